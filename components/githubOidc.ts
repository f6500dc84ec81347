/**
 * GithubOidc: keyless CI access to this environment's AWS account (SECURITY.md §1–3).
 * The account's GitHub OIDC provider (created and retained, or looked up), the role the app's
 * workflows assume to push images, and the read-only role PR previews of this repository assume.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsTarget, GITHUB_OIDC_HOST, githubOidcProviderArn, iamArn } from "./arns";
import { knownAfter } from "./knownAfter";

export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
const CLAIM = GITHUB_OIDC_HOST;

/** What pushing an image needs (AWS "image-push-iam"); GetDownloadUrlForLayer only serves --cache-from. */
export const ECR_PUSH_ACTIONS = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
] as const;

/**
 * What `pulumi preview` needs to refresh this environment's resources, and nothing that writes.
 * sts:GetCallerIdentity is absent on purpose: it needs no permission, and granting it would need `*`.
 */
export const PREVIEW_ECR_ACTIONS = [
    "ecr:Describe*",
    "ecr:List*",
    "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy",
] as const;
export const PREVIEW_IAM_ACTIONS = ["iam:Get*", "iam:List*"] as const;
export const PREVIEW_S3_ACTIONS = [
    "s3:GetBucket*",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetAccelerateConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
] as const;

/**
 * Trust for GitHub's OIDC tokens: audience sts.amazonaws.com and one of the exact subjects.
 * StringEquals on both (never StringLike, never ForAllValues:, which is true when a claim is missing).
 */
export function githubTrustPolicy(
    providerArn: pulumi.Input<string>,
    subjects: readonly string[],
): aws.types.input.iam.PolicyDocument {
    if (subjects.length === 0) throw new Error("githubTrustPolicy: at least one exact OIDC subject is required");
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GitHubActionsOidc",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${CLAIM}:aud`]: "sts.amazonaws.com",
                        [`${CLAIM}:sub`]: [...subjects],
                    },
                },
            },
        ],
    };
}

/** Push to this one repository; GetAuthorizationToken has no resource-level support, hence `*`. */
export function ecrPushPolicy(repositoryArn: pulumi.Input<string>): aws.types.input.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "PushThisRepository", Effect: "Allow", Action: [...ECR_PUSH_ACTIONS], Resource: repositoryArn },
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        ],
    };
}

export interface PreviewScope {
    readonly repositoryArn: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    /** The IAM roles, user and OIDC provider of this environment. */
    readonly iamArns: readonly pulumi.Input<string>[];
    /** A self-managed Pulumi backend's bucket: previews read the stack's state under `.pulumi/`. */
    readonly stateBucketArn?: pulumi.Input<string>;
}

/** Read-only access to a self-managed backend's state; previews take no lock and write nothing. */
function stateReadStatements(bucketArn: pulumi.Input<string>): aws.types.input.iam.PolicyStatement[] {
    return [
        {
            Sid: "ListPulumiState",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: bucketArn,
            Condition: { StringLike: { "s3:prefix": [".pulumi", ".pulumi/*"] } },
        },
        {
            Sid: "ReadPulumiState",
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: pulumi.interpolate`${bucketArn}/.pulumi/*`,
        },
    ];
}

/** Read-only access to exactly this environment's resources, for PR previews. */
export function previewReadOnlyPolicy(scope: PreviewScope): aws.types.input.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadRegistry", Effect: "Allow", Action: [...PREVIEW_ECR_ACTIONS], Resource: scope.repositoryArn },
            { Sid: "ReadIam", Effect: "Allow", Action: [...PREVIEW_IAM_ACTIONS], Resource: [...scope.iamArns] },
            { Sid: "ReadBucket", Effect: "Allow", Action: [...PREVIEW_S3_ACTIONS], Resource: scope.bucketArn },
            ...(scope.stateBucketArn ? stateReadStatements(scope.stateBucketArn) : []),
        ],
    };
}

export interface GithubOidcArgs {
    /** Create the account's GitHub OIDC provider (true), or look up the one that exists (false). A graph choice, hence plain. */
    readonly createProvider: boolean;
    /** The account and region the provider is pinned to: they make the provider's and roles' ARNs. */
    readonly target: AwsTarget;
    /** The push role's name, `GitHubActionsECRPush-<Env>`. Plain: its ARN is derived from it. */
    readonly pushRoleName: string;
    /** The preview role's name, `GitHubActionsPulumiPreview-<Env>`. Plain: its ARN is derived from it. */
    readonly previewRoleName: string;
    /** The exact `sub` claims allowed to assume the push role. */
    readonly pushSubjects: pulumi.Input<string[]>;
    /** This infrastructure repository (`owner/name`); only its pull requests may assume the preview role. */
    readonly infraRepository: pulumi.Input<string>;
    /** The ECR repository the push role may push to. */
    readonly repositoryArn: pulumi.Input<string>;
    /** The assets bucket the preview role may read the configuration of. */
    readonly bucketArn: pulumi.Input<string>;
    /** The runtime IAM user's name, whose configuration the preview role may read. */
    readonly runtimeUserName: string;
    /** A self-managed Pulumi backend's bucket ARN, whose `.pulumi/` state the preview role may read. */
    readonly stateBucketArn?: pulumi.Input<string>;
    /** Tags for the roles and the provider. */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class GithubOidc extends pulumi.ComponentResource {
    /** The OIDC provider's ARN (created here or looked up). */
    public readonly providerArn: pulumi.Output<string>;
    public readonly pushRoleArn: pulumi.Output<string>;
    public readonly pushRoleName: pulumi.Output<string>;
    public readonly previewRoleArn: pulumi.Output<string>;
    public readonly previewRoleName: pulumi.Output<string>;

    constructor(name: string, args: GithubOidcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:aws:GithubOidc", name, {}, opts);

        // The provider's ARN is fixed by account and URL, so trust policies use the derived value;
        // the roles are still ordered after a provider created here (dependsOn).
        const providerArn = githubOidcProviderArn(args.target);
        const afterProvider: pulumi.CustomResourceOptions = { parent: this };
        if (args.createProvider) {
            // One provider per URL per account: a destroy must not break other stacks' roles, so it is retained.
            const provider = new aws.iam.OpenIdConnectProvider(
                `${name}-provider`,
                {
                    url: GITHUB_OIDC_URL,
                    clientIdLists: ["sts.amazonaws.com"],
                    tags: args.tags,
                },
                { parent: this, retainOnDelete: true },
            );
            afterProvider.dependsOn = [provider];
            this.providerArn = knownAfter(provider, providerArn);
        } else {
            // The lookup is the existence check (it fails the run when the provider is missing). By
            // ARN, it is one iam:GetOpenIDConnectProvider on that ARN (which the preview role may read);
            // by URL it would list every provider (iam:ListOpenIDConnectProviders on `*`).
            this.providerArn = aws.iam
                .getOpenIdConnectProviderOutput({ arn: providerArn }, { parent: this })
                .arn.apply(() => providerArn);
        }

        const pushRole = new aws.iam.Role(
            `${name}-push-role`,
            {
                name: args.pushRoleName,
                description: "GitHub Actions: push images to this environment's ECR repository",
                assumeRolePolicy: pulumi
                    .all([this.providerArn, args.pushSubjects])
                    .apply(([arn, subjects]) => githubTrustPolicy(arn, subjects)),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            afterProvider,
        );
        new aws.iam.RolePolicy(
            `${name}-push-policy`,
            {
                role: args.pushRoleName,
                policy: ecrPushPolicy(args.repositoryArn),
            },
            { parent: this, dependsOn: [pushRole] },
        );

        const previewSubject = pulumi.interpolate`repo:${args.infraRepository}:pull_request`;
        const previewRole = new aws.iam.Role(
            `${name}-preview-role`,
            {
                name: args.previewRoleName,
                description:
                    "GitHub Actions: read-only pulumi preview from pull requests of the infrastructure repository",
                assumeRolePolicy: pulumi
                    .all([this.providerArn, previewSubject])
                    .apply(([arn, subject]) => githubTrustPolicy(arn, [subject])),
                maxSessionDuration: 3600,
                tags: args.tags,
            },
            afterProvider,
        );
        const pushRoleArn = iamArn(args.target, "role", args.pushRoleName);
        const previewRoleArn = iamArn(args.target, "role", args.previewRoleName);
        new aws.iam.RolePolicy(
            `${name}-preview-policy`,
            {
                role: args.previewRoleName,
                policy: previewReadOnlyPolicy({
                    repositoryArn: args.repositoryArn,
                    bucketArn: args.bucketArn,
                    stateBucketArn: args.stateBucketArn,
                    iamArns: [
                        pushRoleArn,
                        previewRoleArn,
                        iamArn(args.target, "user", args.runtimeUserName),
                        providerArn,
                    ],
                }),
            },
            { parent: this, dependsOn: [previewRole] },
        );

        this.pushRoleArn = knownAfter(pushRole, pushRoleArn);
        this.pushRoleName = knownAfter(pushRole, args.pushRoleName);
        this.previewRoleArn = knownAfter(previewRole, previewRoleArn);
        this.previewRoleName = knownAfter(previewRole, args.previewRoleName);
        this.registerOutputs({
            providerArn: this.providerArn,
            pushRoleArn: this.pushRoleArn,
            pushRoleName: this.pushRoleName,
            previewRoleArn: this.previewRoleArn,
            previewRoleName: this.previewRoleName,
        });
    }
}
