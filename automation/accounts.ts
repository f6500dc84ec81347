/**
 * Readiness, AWS part: before any preview, each environment's credentials must reach the account
 * its stack is pinned to. Says which profile (and role), which account it reached, and the fix.
 */
import { EnvironmentName } from "../components/config";
import { CallerIdentity, IdentityOf } from "./aws/callerIdentity";
import { AwsAccess } from "./aws/engineEnv";
import { PromotionError } from "./errors";
import { ConfigReadiness } from "./readiness";

export class AccountMismatchError extends PromotionError {
    constructor(
        readonly env: EnvironmentName,
        message: string,
        next: string,
    ) {
        super(message, next);
        this.name = "AccountMismatchError";
    }
}

/** "profile jesusidev-QA, then role arn:…" / "the ambient AWS credentials". */
export function describeAccess(aws: AwsAccess): string {
    const base = aws.profile ? `AWS profile "${aws.profile}"` : "the ambient AWS credentials (no aws:profile)";
    return aws.assumeRoleArn ? `${base}, then role ${aws.assumeRoleArn}` : base;
}

function loginFix(env: EnvironmentName, aws: AwsAccess): string {
    return aws.profile
        ? `aws sso login --profile ${aws.profile}   (or fix that profile in ~/.aws/config; check with: aws sts get-caller-identity --profile ${aws.profile})`
        : `pulumi config set aws:profile <profile of this account> -s ${env}`;
}

const firstLine = (err: unknown): string =>
    (err instanceof Error ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}` : String(err)).split(
        "\n",
    )[0];

/** Checks one environment; resolves with the identity reached. */
export async function verifyAccount(
    env: EnvironmentName,
    aws: AwsAccess & { readonly accountId: string },
    identityOf: IdentityOf,
): Promise<CallerIdentity> {
    let id: CallerIdentity;
    try {
        id = await identityOf(aws);
    } catch (err) {
        throw new AccountMismatchError(
            env,
            `${env}: the ${describeAccess(aws)} could not reach AWS: ${firstLine(err)}`,
            loginFix(env, aws),
        );
    }
    if (id.account !== aws.accountId) {
        throw new AccountMismatchError(
            env,
            `${env}: the ${describeAccess(aws)} reaches account ${id.account} (${id.arn}), not ${aws.accountId} (accountId in Pulumi.${env}.yaml).`,
            aws.profile
                ? `pulumi config set aws:profile <the profile of account ${aws.accountId}> -s ${env}   (or: aws sso login --profile ${aws.profile}, if it signs in to the wrong account)`
                : `pulumi config set aws:profile <the profile of account ${aws.accountId}> -s ${env}`,
        );
    }
    return id;
}

/** Every walked environment with a valid config, in order; the first failure throws. */
export async function verifyAccounts(
    readiness: readonly ConfigReadiness[],
    walk: readonly EnvironmentName[],
    identityOf: IdentityOf,
): Promise<string> {
    const checked: string[] = [];
    for (const env of walk) {
        const aws = readiness.find((r) => r.env === env)?.config?.aws;
        // An invalid config is reported by that environment's own readiness step.
        if (!aws) continue;
        await verifyAccount(env, aws, identityOf);
        checked.push(`${env} ${aws.accountId}${aws.profile ? ` (${aws.profile})` : ""}`);
    }
    return checked.join(", ");
}
