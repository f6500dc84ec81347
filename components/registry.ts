/**
 * ImageRegistry: this environment's ECR repository `<app>-<env>` (SECURITY.md §4).
 * `v*` tags are frozen while `latest` may move, images are scanned on push, and a lifecycle
 * policy keeps storage bounded without ever touching the newest released versions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsTarget, ecrRepositoryArn, ecrRepositoryUrl } from "./arns";
import { knownAfter } from "./knownAfter";

export interface ImageRegistryArgs {
    /** The account and region the provider is pinned to: they make the repository's ARN and URL. */
    readonly target: AwsTarget;
    /** The repository name, `<app>-<env>`. Plain: the ARN and URL are derived from it. */
    readonly repositoryName: string;
    /** Days after which untagged images (superseded `latest` layers, failed pushes) expire. */
    readonly untaggedExpiryDays: pulumi.Input<number>;
    /** How many `v*` images to keep; older releases expire. */
    readonly keepVersionImages: pulumi.Input<number>;
    /** Let a destroy delete the repository while it still holds images (dev/qa only). */
    readonly forceDelete: pulumi.Input<boolean>;
    /** Protect the repository from deletion by Pulumi (prod). A resource option, hence a plain boolean. */
    readonly protect?: boolean;
    /** Tags for the repository. */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** A lifecycle rule as ECR stores it (plain data, assignable to the provider's input type). */
export interface LifecycleRule {
    readonly rulePriority: number;
    readonly description: string;
    readonly selection: {
        readonly tagStatus: "untagged" | "tagged";
        readonly tagPrefixList?: string[];
        readonly countType: "sinceImagePushed" | "imageCountMoreThan";
        readonly countUnit?: "days";
        readonly countNumber: number;
    };
    readonly action: { readonly type: "expire" };
}

/**
 * The lifecycle policy. Rules are in ascending `rulePriority`, as ECR stores them, so the
 * provider sees no perpetual diff; untagged images go first because they are never deployed.
 */
export function lifecyclePolicyDocument(
    untaggedExpiryDays: number,
    keepVersionImages: number,
): { rules: LifecycleRule[] } {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${untaggedExpiryDays} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: untaggedExpiryDays,
                },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${keepVersionImages} v* images`,
                selection: {
                    tagStatus: "tagged",
                    tagPrefixList: ["v"],
                    countType: "imageCountMoreThan",
                    countNumber: keepVersionImages,
                },
                action: { type: "expire" },
            },
        ],
    };
}

export class ImageRegistry extends pulumi.ComponentResource {
    /** The repository, for callers that need more than the outputs below. */
    public readonly repository: aws.ecr.Repository;
    /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: push and pull images here. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** The repository ARN: the only resource the push role and the runtime user may use. */
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: ImageRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:aws:ImageRegistry", name, {}, opts);

        this.repository = new aws.ecr.Repository(
            `${name}-repository`,
            {
                name: args.repositoryName,
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "AES256" }],
                // Plain IMMUTABLE would reject the second push of `latest` (SECURITY.md §4).
                imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
                imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "latest" }],
                forceDelete: args.forceDelete,
                tags: args.tags,
            },
            { parent: this, protect: args.protect === true },
        );

        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: args.repositoryName,
                policy: pulumi
                    .all([args.untaggedExpiryDays, args.keepVersionImages])
                    .apply(([days, keep]): aws.types.input.ecr.LifecyclePolicyDocument =>
                        lifecyclePolicyDocument(days, keep),
                    ),
            },
            { parent: this, dependsOn: [this.repository] },
        );

        // Derived from config, not read back from the provider: identical values, known at preview,
        // never undefined under mocks. Consumers are still ordered after the repository.
        this.repositoryUrl = knownAfter(this.repository, ecrRepositoryUrl(args.target, args.repositoryName));
        this.arn = knownAfter(this.repository, ecrRepositoryArn(args.target, args.repositoryName));
        this.name = knownAfter(this.repository, args.repositoryName);
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, arn: this.arn, name: this.name });
    }
}
