/**
 * RuntimeAccess: the IAM user the running app and the Dokploy host use (SECURITY.md §3, §6):
 * S3 object access on the assets bucket, ECR pull on this environment's repository, nothing else.
 *
 * Zero-downtime key rotation uses two key slots, `blue` and `green` (IAM allows two keys).
 * Replacing a single key resource would delete the old key in the same `up`, before consumers
 * have the new one. Instead, with `blue` active:
 *   1. Add green:     `pulumi config set runtimeAccessKeys '["blue","green"]'` → `pulumi up`
 *                     (green is created; everything still uses blue).
 *   2. Switch active: `pulumi config set activeRuntimeKey green` → `pulumi up`
 *                     (the app's env and the Dokploy host's ECR profile move to green; verify).
 *   3. Drop blue:     `pulumi config set runtimeAccessKeys '["green"]'` → `pulumi up`
 *                     (blue is deleted once nothing uses it).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KeySlot } from "./config";
import { knownAfter } from "./knownAfter";

export const S3_OBJECT_ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
] as const;
export const ECR_PULL_ACTIONS = [
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchCheckLayerAvailability",
] as const;

/**
 * The runtime user's only policy. No s3:ListBucket: presigned uploads and reads name their
 * object, so listing would only widen what a leaked key reveals. No PutObjectAcl: ACLs are off.
 */
export function runtimePolicy(
    bucketArn: pulumi.Input<string>,
    repositoryArn: pulumi.Input<string>,
): aws.types.input.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssetsObjects",
                Effect: "Allow",
                Action: [...S3_OBJECT_ACTIONS],
                Resource: pulumi.interpolate`${bucketArn}/*`,
            },
            { Sid: "PullThisRepository", Effect: "Allow", Action: [...ECR_PULL_ACTIONS], Resource: repositoryArn },
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        ],
    };
}

export interface RuntimeAccessArgs {
    /** The IAM user's name. */
    readonly userName: pulumi.Input<string>;
    /** Set when the user already exists: its name, adopted with the `import` option (a resource option, hence plain). */
    readonly importExistingUser?: string;
    /** The assets bucket whose objects the user may read and write. */
    readonly bucketArn: pulumi.Input<string>;
    /** The ECR repository the user may pull from. */
    readonly repositoryArn: pulumi.Input<string>;
    /** The key slots that exist: one normally, two during a rotation. Plain: each slot is a resource. */
    readonly accessKeys: readonly KeySlot[];
    /** The slot consumers use; must be one of `accessKeys`. */
    readonly activeKey: KeySlot;
    /** Tags for a user created here (an imported user keeps its own, so the import matches). */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class RuntimeAccess extends pulumi.ComponentResource {
    public readonly user: aws.iam.User;
    public readonly userName: pulumi.Output<string>;
    public readonly userArn: pulumi.Output<string>;
    /** Every existing key's id by slot (ids are not secret). */
    public readonly accessKeyIds: Readonly<Partial<Record<KeySlot, pulumi.Output<string>>>>;
    /** The active slot's access key id. */
    public readonly activeAccessKeyId: pulumi.Output<string>;
    /** The active slot's secret access key, a Pulumi secret. */
    public readonly activeSecretAccessKey: pulumi.Output<string>;

    constructor(name: string, args: RuntimeAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:aws:RuntimeAccess", name, {}, opts);
        if (!args.accessKeys.includes(args.activeKey)) {
            throw new Error(
                `RuntimeAccess ${name}: active key "${args.activeKey}" is not one of ${args.accessKeys.join(", ")}`,
            );
        }

        this.user = new aws.iam.User(
            `${name}-user`,
            {
                name: args.userName,
                ...(args.importExistingUser ? {} : { tags: args.tags }),
            },
            {
                parent: this,
                // The import id of an IAM user is its name. An adopted user existed before this stack,
                // so a destroy leaves it in place. Remove the option after the first `up`.
                ...(args.importExistingUser ? { import: args.importExistingUser, retainOnDelete: true } : {}),
            },
        );

        // The user's name is config: the policy and keys name it directly and wait for it with dependsOn.
        const afterUser = { parent: this, dependsOn: [this.user] };
        new aws.iam.UserPolicy(
            `${name}-policy`,
            {
                user: args.userName,
                policy: runtimePolicy(args.bucketArn, args.repositoryArn),
            },
            afterUser,
        );

        const keys: Partial<Record<KeySlot, aws.iam.AccessKey>> = {};
        for (const slot of args.accessKeys) {
            keys[slot] = new aws.iam.AccessKey(
                `${name}-key-${slot}`,
                { user: args.userName },
                {
                    ...afterUser,
                    // The provider already marks it sensitive; listing it makes that independent of the provider (pulumi-aws#726).
                    additionalSecretOutputs: ["secret"],
                },
            );
        }
        const active = keys[args.activeKey] as aws.iam.AccessKey;

        this.userName = knownAfter(this.user, args.userName);
        this.userArn = this.user.arn;
        this.accessKeyIds = Object.fromEntries(Object.entries(keys).map(([slot, key]) => [slot, key.id]));
        this.activeAccessKeyId = active.id;
        this.activeSecretAccessKey = pulumi.secret(active.secret);
        this.registerOutputs({
            userName: this.userName,
            userArn: this.userArn,
            activeAccessKeyId: this.activeAccessKeyId,
            activeSecretAccessKey: this.activeSecretAccessKey,
        });
    }
}
