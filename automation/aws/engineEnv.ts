/**
 * The AWS part of one environment's engine environment. The Pulumi CLI inherits our process
 * environment, so without this an exported AWS_PROFILE or access key of the user's shell would
 * reach every account's run. Pure (no SDK): `--plan` and tests load it for free.
 */

/** What says which AWS identity to use; any of these in the shell would override a stack's profile. */
export const AMBIENT_AWS_CREDENTIAL_VARS = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_DEFAULT_REGION",
] as const;

/** How a stack reaches its account (StackConfig.aws). */
export interface AwsAccess {
    readonly region: string;
    /** AWS CLI profile (`aws:profile`); absent = the ambient credentials (CI with OIDC). */
    readonly profile?: string;
    /** A role in the account to assume with the profile's credentials. */
    readonly assumeRoleArn?: string;
}

/**
 * Variables to set (a string) and to remove (undefined) for one environment's engine run.
 * With a profile, the only identity the engine can see is that profile: every ambient
 * credential variable is removed. Without one (CI: the job's OIDC role is the identity),
 * the ambient credentials stay and `allowedAccountIds` remains the guard.
 */
export function engineEnvFor(
    aws: AwsAccess,
    ambient: NodeJS.ProcessEnv = process.env,
): Readonly<Record<string, string | undefined>> {
    const region = aws.region ? { AWS_REGION: aws.region } : {};
    if (!aws.profile) return region;
    const removed = AMBIENT_AWS_CREDENTIAL_VARS.filter((k) => ambient[k] !== undefined).map((k) => [k, undefined]);
    return { ...Object.fromEntries(removed), AWS_PROFILE: aws.profile, ...region };
}
