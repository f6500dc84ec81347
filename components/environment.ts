/**
 * Environment: one whole environment (dev, qa or prod) from its validated config. It owns the
 * explicit providers (so no resource can fall back to ambient credentials or another account)
 * and turns each config Secret into a Pulumi secret exactly once, here.
 */
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { AwsTarget, ecrRegistryHost, ecrRepositoryArn, ecrRepositoryUrl, s3BucketArn } from "./arns";
import { AssetsBucket } from "./assetsBucket";
import { CiSecrets } from "./ciSecrets";
import { ENVIRONMENT_LABELS, PROJECT, StackConfig, StackOwnedVariable } from "./config";
import { DokployApplication } from "./dokploy/application";
import { DokployHost } from "./dokployHost";
import { GithubOidc } from "./githubOidc";
import { chooseImage } from "./imageRef";
import { ImageRegistry } from "./registry";
import { RuntimeAccess } from "./runtimeAccess";

export interface EnvironmentArgs {
    /** The validated stack config (plain data: it decides which resources exist). */
    readonly config: StackConfig;
}

/** The app container's environment: config.appEnv first, so it cannot override what the stack owns. */
export function appEnvironment(
    c: StackConfig,
    values: {
        bucketName: string;
        accessKeyId: string;
        secretAccessKey: string;
        databaseUrl: string;
        clerkSecretKey: string;
    },
): Record<string, string> {
    // Typed against the one list validation also reads, so the two cannot drift apart.
    const owned = {
        NODE_ENV: "production",
        PORT: String(c.port),
        DATABASE_URL: values.databaseUrl,
        NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: c.clerk.publishableKey,
        CLERK_SECRET_KEY: values.clerkSecretKey,
        AWS_REGION: c.aws.region,
        S3_BUCKET_NAME: values.bucketName,
        AWS_ACCESS_KEY_ID: values.accessKeyId,
        AWS_SECRET_ACCESS_KEY: values.secretAccessKey,
    } satisfies Record<StackOwnedVariable, string>;
    return { ...c.appEnv, ...owned };
}

export class Environment extends pulumi.ComponentResource {
    public readonly awsProvider: aws.Provider;
    public readonly githubProvider: github.Provider;
    public readonly registry: ImageRegistry;
    public readonly assets: AssetsBucket;
    public readonly oidc: GithubOidc;
    public readonly runtime: RuntimeAccess;
    public readonly dokployHost: DokployHost;
    public readonly ciSecrets: CiSecrets;
    public readonly application: DokployApplication;
    /** The account the AWS credentials actually reach (the provider refuses any other). */
    public readonly accountId: pulumi.Output<string>;
    /** The image the app is configured with: config.image, `<repositoryUrl>:<imageTag>@<digest>`, or `<repositoryUrl>:<imageTag>` while absent. */
    public readonly image: pulumi.Output<string>;
    /** The digest deployed, "" while the image is not in the registry. */
    public readonly imageDigest: pulumi.Output<string>;
    /** What to do next ("none" once the app runs its image): on a fresh account, push the first image. */
    public readonly nextStep: pulumi.Output<string>;
    /** The app container's environment variables, a Pulumi secret. */
    public readonly appEnv: pulumi.Output<Record<string, string>>;
    public readonly appUrl: pulumi.Output<string>;
    public readonly healthUrl: pulumi.Output<string>;

    constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:env:Environment", name, {}, opts);
        const c = args.config;
        const env = c.environment;
        const prod = env === "prod";
        const label = ENVIRONMENT_LABELS[env];
        const tags = { project: PROJECT, environment: env, "managed-by": "pulumi" };
        // Every ARN a policy names follows from the validated config, never from a provider output,
        // so a policy is complete at preview time and under any mocks (see arns.ts).
        const target: AwsTarget = { accountId: c.aws.accountId, region: c.aws.region };
        const repositoryName = `${c.appName}-${env}`;
        const repositoryArn = ecrRepositoryArn(target, repositoryName);
        const bucketArn = s3BucketArn(c.aws.region, c.bucket.name);

        // The one place config secrets become Pulumi secrets.
        const secret = {
            dokployApiToken: pulumi.secret(c.dokploy.apiToken.reveal()),
            sshPrivateKey: pulumi.secret(c.ssh.privateKey.reveal()),
            clerkSecretKey: pulumi.secret(c.clerk.secretKey.reveal()),
            databaseUrl: pulumi.secret(c.databaseUrl.reveal()),
            githubToken: c.githubToken ? pulumi.secret(c.githubToken.reveal()) : undefined,
        };

        this.awsProvider = new aws.Provider(
            `${name}-aws`,
            {
                region: c.aws.region as aws.Region,
                // Each stack reaches its own account: its profile, then optionally its role there.
                // allowedAccountIds stays the guard against credentials that reach another account.
                ...(c.aws.profile ? { profile: c.aws.profile } : {}),
                ...(c.aws.assumeRoleArn
                    ? { assumeRoles: [{ roleArn: c.aws.assumeRoleArn, sessionName: `${PROJECT}-${env}` }] }
                    : {}),
                allowedAccountIds: [c.aws.accountId],
            },
            { parent: this },
        );
        this.githubProvider = new github.Provider(
            `${name}-github`,
            {
                owner: c.appRepository.owner,
                ...(secret.githubToken ? { token: secret.githubToken } : {}),
            },
            { parent: this },
        );
        const commandProvider = new command.Provider(`${name}-command`, {}, { parent: this });
        const onAws = { parent: this, providers: [this.awsProvider] };

        this.registry = new ImageRegistry(
            `${name}-registry`,
            {
                target,
                repositoryName,
                untaggedExpiryDays: c.ecr.untaggedExpiryDays,
                keepVersionImages: c.ecr.keepVersionImages,
                forceDelete: c.ecr.forceDelete && !prod,
                protect: prod,
                tags,
            },
            onAws,
        );

        this.assets = new AssetsBucket(
            `${name}-assets`,
            {
                bucketName: c.bucket.name,
                region: c.aws.region,
                corsOrigins: [...c.bucket.corsOrigins],
                forceDestroy: !prod,
                protect: prod,
                tags,
            },
            onAws,
        );

        this.oidc = new GithubOidc(
            `${name}-oidc`,
            {
                createProvider: c.oidcProvider.create,
                target,
                pushRoleName: `GitHubActionsECRPush-${label.title}`,
                previewRoleName: `GitHubActionsPulumiPreview-${label.title}`,
                pushSubjects: [...c.oidcSubjects],
                infraRepository: c.infraRepository.fullName,
                repositoryArn,
                bucketArn,
                runtimeUserName: c.runtimeUser.name,
                stateBucketArn: c.stateBucket ? s3BucketArn(c.aws.region, c.stateBucket) : undefined,
                tags,
            },
            onAws,
        );

        this.runtime = new RuntimeAccess(
            `${name}-runtime`,
            {
                userName: c.runtimeUser.name,
                ...(c.runtimeUser.exists ? { importExistingUser: c.runtimeUser.name } : {}),
                bucketArn,
                repositoryArn,
                accessKeys: c.runtimeUser.accessKeys,
                activeKey: c.runtimeUser.activeKey,
                tags,
            },
            onAws,
        );

        this.dokployHost = new DokployHost(
            `${name}-dokploy-host`,
            {
                host: c.ssh.host,
                port: c.ssh.port,
                user: c.ssh.user,
                privateKey: secret.sshPrivateKey,
                hostKey: c.ssh.hostKey,
                profile: `${PROJECT}-${env}-ecr`,
                region: c.aws.region,
                // The account's registry endpoint exists without any repository: no need to wait for one.
                registryHost: ecrRegistryHost(target),
                accessKeyId: this.runtime.activeAccessKeyId,
                secretAccessKey: this.runtime.activeSecretAccessKey,
                // The first login needs the runtime user's policy in place, not only its key.
                loginAfter: [this.runtime],
            },
            { parent: this, providers: [commandProvider] },
        );

        // The configured account: the provider's allowedAccountIds already refuses any other, and
        // no invoke is needed (an unanswered invoke would leave this output pending forever).
        this.accountId = pulumi.output(c.aws.accountId);
        // Deploy only an image the registry holds (a fresh account's repository starts empty).
        const choice = chooseImage(
            {
                environment: env,
                repositoryName: this.registry.name,
                repositoryUrl: ecrRepositoryUrl(target, repositoryName),
                tag: c.imageTag,
                digest: c.imageDigest,
                override: c.image,
            },
            { parent: this, provider: this.awsProvider },
        );
        this.image = choice.image;
        this.imageDigest = choice.digest;
        this.nextStep = choice.nextStep;
        this.appEnv = pulumi.secret(
            pulumi
                .all([
                    this.assets.bucketName,
                    this.runtime.activeAccessKeyId,
                    this.runtime.activeSecretAccessKey,
                    secret.databaseUrl,
                    secret.clerkSecretKey,
                ])
                .apply(([bucketName, accessKeyId, secretAccessKey, databaseUrl, clerkSecretKey]) =>
                    appEnvironment(c, { bucketName, accessKeyId, secretAccessKey, databaseUrl, clerkSecretKey }),
                ),
        );

        // The host must be logged in to ECR before Dokploy pulls the image.
        this.application = new DokployApplication(
            `${name}-app`,
            {
                serverUrl: c.dokploy.url,
                projectName: c.dokploy.projectName,
                environmentName: c.dokploy.environmentName,
                name: c.appName,
                // Swarm service name prefix; Dokploy appends a random 6-character suffix.
                appName: c.appName,
                dockerImage: this.image,
                deploy: choice.deploy,
                env: this.appEnv,
                replicas: c.replicas,
                healthCheck: { path: c.healthPath, port: c.port },
                domain: { host: c.domain, port: c.port, https: true },
            },
            { parent: this, dependsOn: [this.dokployHost] },
        );
        this.appUrl = this.application.url.apply((url) => url ?? `https://${c.domain}`);
        this.healthUrl = pulumi.interpolate`${this.appUrl}${c.healthPath}`;

        this.ciSecrets = new CiSecrets(
            `${name}-ci-secrets`,
            {
                environment: env,
                repository: c.appRepository.name,
                awsOidcRoleArn: this.oidc.pushRoleArn,
                dokployUrl: c.dokploy.url,
                dokployToken: secret.dokployApiToken,
                dokployAppId: this.application.applicationId,
                dokployAppUrl: this.appUrl,
                clerkPublishableKey: c.clerk.publishableKey,
                clerkSecretKey: secret.clerkSecretKey,
                prodReviewers: c.prodReviewers,
            },
            { parent: this, providers: [this.githubProvider] },
        );

        this.registerOutputs({
            accountId: this.accountId,
            image: this.image,
            imageDigest: this.imageDigest,
            nextStep: this.nextStep,
            appUrl: this.appUrl,
            healthUrl: this.healthUrl,
        });
    }
}
