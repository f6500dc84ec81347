/**
 * The catalogue of config keys: what each means, which part of the environment needs it,
 * whether it is secret, and an example for the fix command in error messages.
 * Readiness tables and README docs are driven by this one list.
 */
import { EnvironmentName, isEnvironmentName } from "./schema";

/** The parts of an environment, as the guide's status tables name them. */
export const AREAS = [
    "stack",
    "registry",
    "oidc",
    "runtime",
    "bucket",
    "dokployHost",
    "dokployApp",
    "ciSecrets",
] as const;
export type Area = (typeof AREAS)[number];

export const AREA_TITLES: Readonly<Record<Area, string>> = {
    stack: "AWS account",
    registry: "ECR repository",
    oidc: "GitHub OIDC role",
    runtime: "Runtime IAM user",
    bucket: "S3 assets bucket",
    dokployHost: "ECR login on Dokploy host",
    dokployApp: "Dokploy application",
    ciSecrets: "GitHub Actions secrets",
};

export interface KeySpec {
    /** Key as written in `pulumi config set`: bare for this project, `aws:region` for others. */
    readonly key: string;
    readonly area: Area;
    readonly secret: boolean;
    /** Required keys have no default: a stack is not ready until they are set. */
    readonly required: boolean;
    readonly description: string;
    /** A value to show in the fix command; `<...>` marks what the user must fill in. */
    readonly example: (env: EnvironmentName) => string;
    /** A multi-line value (a PEM key), whose format ends in a newline. */
    readonly multiline: boolean;
}

const spec = (
    key: string,
    area: Area,
    description: string,
    example: string | ((env: EnvironmentName) => string),
    options: { secret?: boolean; required?: boolean; multiline?: boolean } = {},
): KeySpec => ({
    key,
    area,
    description,
    secret: options.secret ?? false,
    required: options.required ?? false,
    multiline: options.multiline ?? false,
    example: typeof example === "string" ? () => example : example,
});

export const KEY_SPECS: readonly KeySpec[] = [
    spec("accountId", "stack", "the AWS account ID of this environment (12 digits)", "<12-digit account id>", {
        required: true,
    }),
    spec("aws:region", "stack", "the AWS region", "us-west-2", { required: true }),
    spec(
        "aws:profile",
        "stack",
        "the AWS CLI profile this stack's account is reached through (unset: the ambient credentials)",
        (e) => `jesusidev-${e.toUpperCase()}`,
    ),
    spec(
        "assumeRoleArn",
        "stack",
        "an IAM role in this stack's account to assume after the profile's credentials (optional)",
        "arn:aws:iam::<account id>:role/<role name>",
    ),
    spec("appName", "stack", "the app's name, used in ECR, S3 and IAM names", "nextstack-saas-starter", {
        required: true,
    }),
    spec(
        "appRepository",
        "ciSecrets",
        "the app's GitHub repository (owner/name)",
        "your-username/nextstack-saas-starter",
        { required: true },
    ),
    spec(
        "infraRepository",
        "oidc",
        "this infrastructure repository (owner/name), trusted for PR previews",
        "your-username/nextstack-environments",
        { required: true },
    ),
    spec(
        "oidcSubjects",
        "oidc",
        "exact OIDC subjects allowed to push images (JSON list)",
        (e) => `'["repo:<owner>/<repo>:environment:${e}"]'`,
    ),
    spec(
        "createOidcProvider",
        "oidc",
        "create the account's GitHub OIDC provider (false: look up the existing one)",
        "false",
    ),
    spec(
        "stateBucket",
        "oidc",
        "the bucket name of a self-managed Pulumi backend, without s3:// (for s3://my-state write my-state); PR previews may read its .pulumi/ prefix",
        "<state-bucket>",
    ),
    spec("domain", "dokployApp", "the app's public host name", (e) => `${e}.<your-domain>`, { required: true }),
    spec("port", "dokployApp", "the port the app listens on", "3000"),
    spec("healthPath", "dokployApp", "the app's health endpoint", "/api/health"),
    spec("imageTag", "dokployApp", "the image tag to deploy", "v1.0.0"),
    spec(
        "imageDigest",
        "dokployApp",
        "the digest of the image imageTag named when npm run promote checked it; deployed instead of the tag (set by promotion)",
        "sha256:<64 hex digits>",
    ),
    spec(
        "image",
        "dokployApp",
        "a full image reference overriding <repository>:<imageTag> (e.g. a digest)",
        "<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:<digest>",
    ),
    spec("replicas", "dokployApp", "how many app containers run", "2"),
    spec("appEnv", "dokployApp", "extra non-secret app environment variables (JSON object)", `'{"LOG_LEVEL":"info"}'`),
    spec("ecrUntaggedExpiryDays", "registry", "days after which untagged images expire", "14"),
    spec("ecrKeepVersionImages", "registry", "how many v* images to keep", "20"),
    spec(
        "ecrForceDelete",
        "registry",
        "let a destroy delete a repository that still holds images (never in prod)",
        "false",
    ),
    spec("bucketName", "bucket", "the S3 assets bucket name", (e) => `<app>-${e}-assets`),
    spec(
        "corsOrigins",
        "bucket",
        "origins allowed to upload from the browser (JSON list)",
        (e) => `'["https://${e}.<your-domain>"]'`,
    ),
    spec(
        "runtimeUserName",
        "runtime",
        "the runtime IAM user's name",
        (e) => `<app>-s3-uploader${e === "dev" ? "" : `-${e}`}`,
    ),
    spec("runtimeUserExists", "runtime", "the runtime user already exists: import it instead of creating it", "true"),
    spec(
        "runtimeAccessKeys",
        "runtime",
        "access-key slots that exist (JSON list of blue/green; two during a rotation)",
        `'["blue","green"]'`,
    ),
    spec("activeRuntimeKey", "runtime", "the access-key slot consumers use (blue or green)", "green"),
    spec("dokployUrl", "dokployApp", "the Dokploy server's HTTPS URL", (e) => `https://dokploy-${e}.<your-domain>`, {
        required: true,
    }),
    spec("dokployApiToken", "dokployApp", "a Dokploy API key created with rate limiting off", "<dokploy api key>", {
        required: true,
        secret: true,
    }),
    spec("dokployProjectName", "dokployApp", "the Dokploy project holding the app", "nextstack-saas-starter"),
    spec("dokployEnvironmentName", "dokployApp", "the Dokploy environment (stage) holding the app", (e) => e),
    spec("dokployHost", "dokployHost", "the Dokploy server's SSH host name or address", "<host or ip>", {
        required: true,
    }),
    spec("sshPort", "dokployHost", "the Dokploy server's SSH port", "22"),
    spec("sshUser", "dokployHost", "the SSH user on the Dokploy server", "root"),
    spec("sshPrivateKey", "dokployHost", "the SSH private key for the Dokploy server", '"$(cat ~/.ssh/dokploy)"', {
        required: true,
        secret: true,
        multiline: true,
    }),
    spec(
        "sshHostKey",
        "dokployHost",
        "the server's pinned SSH host key (ssh-keyscan -t ed25519 <host>)",
        '"ssh-ed25519 AAAA..."',
        { required: true },
    ),
    spec(
        "clerkPublishableKey",
        "ciSecrets",
        "the Clerk publishable key",
        (e) => (e === "prod" ? "pk_live_<...>" : "pk_test_<...>"),
        { required: true },
    ),
    spec(
        "clerkSecretKey",
        "ciSecrets",
        "the Clerk secret key",
        (e) => (e === "prod" ? "sk_live_<...>" : "sk_test_<...>"),
        { required: true, secret: true },
    ),
    spec(
        "allowClerkTestKeysInProd",
        "ciSecrets",
        "let prod run on Clerk development keys (pk_test_/sk_test_); only for a prod that is not live yet",
        "true",
    ),
    spec("databaseUrl", "dokployApp", "the app's database URL", "postgresql://<user>:<password>@<host>:5432/<db>", {
        required: true,
        secret: true,
    }),
    spec(
        "prodReviewers",
        "ciSecrets",
        "GitHub logins that approve prod deployments (JSON list, at most 6)",
        `'["alice","bob"]'`,
    ),
    spec(
        "github:token",
        "ciSecrets",
        "a GitHub token that can write the app repository's Actions secrets (or set GITHUB_TOKEN)",
        "<github token>",
        { secret: true },
    ),
];

export function keySpec(key: string): KeySpec | undefined {
    return KEY_SPECS.find((s) => s.key === key);
}

/** The command that sets a key, exactly as a user would type it. */
export function fixCommand(key: string, stack: string, value?: string): string {
    const s = keySpec(key);
    const env = isEnvironmentName(stack) ? stack : "dev";
    const shown = value ?? s?.example(env) ?? "<value>";
    return `pulumi config set${s?.secret ? " --secret" : ""} ${key} ${shown} -s ${stack}`;
}
