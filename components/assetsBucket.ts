/**
 * AssetsBucket: the app's private S3 bucket for browser uploads through presigned URLs
 * (SECURITY.md §5). AWS already defaults new buckets to most of this; the explicit resources
 * make the intent testable and any drift visible in a preview.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { s3BucketArn } from "./arns";
import { knownAfter } from "./knownAfter";

/** Deny every request that does not use TLS (CIS AWS Foundations 3.1.1). */
export function tlsOnlyBucketPolicy(bucketArn: pulumi.Input<string>): aws.types.input.iam.PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** Browser uploads from the app's exact origins only: a wildcard with PUT would let any site upload. */
export function corsRules(origins: readonly string[]): aws.types.input.s3.BucketCorsConfigurationCorsRule[] {
    if (origins.length === 0 || origins.some((o) => o.includes("*"))) {
        throw new Error("corsRules: list exact origins (no wildcard)");
    }
    return [
        {
            allowedMethods: ["PUT", "GET", "HEAD"],
            allowedOrigins: [...origins],
            allowedHeaders: ["content-type"],
            exposeHeaders: ["ETag"],
            maxAgeSeconds: 3000,
        },
    ];
}

export interface AssetsBucketArgs {
    /** The bucket name, `<app>-<env>-assets` unless configured otherwise. Plain: the ARN is derived from it. */
    readonly bucketName: string;
    /** The provider's region; it selects the ARN's partition. */
    readonly region: string;
    /** Exact browser origins allowed to upload (e.g. `https://dev.example.com`). */
    readonly corsOrigins: pulumi.Input<string[]>;
    /** Days a replaced or deleted object version is kept before it expires. */
    readonly noncurrentVersionExpiryDays?: pulumi.Input<number>;
    /** Let a destroy empty the bucket (dev/qa only). */
    readonly forceDestroy: pulumi.Input<boolean>;
    /** Protect the bucket from deletion by Pulumi (prod). A resource option, hence a plain boolean. */
    readonly protect?: boolean;
    /** Tags for the bucket. */
    readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class AssetsBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AssetsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:aws:AssetsBucket", name, {}, opts);
        // S3 names buckets globally: the ARN follows from the name, so the policy never waits on (or
        // trusts) a provider output. The companion resources name the bucket the same way and are
        // ordered after it with dependsOn.
        const bucket = args.bucketName;
        const bucketArn = s3BucketArn(args.region, bucket);

        this.bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            {
                bucket: args.bucketName,
                forceDestroy: args.forceDestroy,
                tags: args.tags,
            },
            { parent: this, protect: args.protect === true },
        );
        const child = { parent: this, dependsOn: [this.bucket] };

        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            child,
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            {
                bucket,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            },
            child,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            {
                bucket,
                versioningConfiguration: { status: "Enabled" },
            },
            child,
        );
        // Versioning keeps overwritten uploads recoverable; expiring old versions keeps the cost bounded.
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpiryDays ?? 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this, dependsOn: [this.bucket, versioning] },
        );
        // S3 rejects a bucket policy while the public-access block is being applied; order them.
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            {
                bucket,
                policy: tlsOnlyBucketPolicy(bucketArn),
            },
            { parent: this, dependsOn: [this.bucket, publicAccess] },
        );
        new aws.s3.BucketCorsConfiguration(
            `${name}-cors`,
            {
                bucket,
                corsRules: pulumi.output(args.corsOrigins).apply((origins) => corsRules(origins)),
            },
            child,
        );

        this.bucketName = knownAfter(this.bucket, bucket);
        this.arn = knownAfter(this.bucket, bucketArn);
        this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
    }
}
