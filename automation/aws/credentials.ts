/**
 * What an AWS SDK v3 client needs to act in one environment's account: its region and a
 * credentials provider from the stack's profile (static keys, SSO or a role profile), then
 * optionally the stack's role assumed with those credentials. Endpoints are left to the SDK, so
 * its standard settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_ECR…) apply.
 */
import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { AwsAccess } from "./engineEnv";

export type { AwsAccess } from "./engineEnv";

export type AwsCredentialsProvider = ReturnType<typeof fromIni>;

export interface AwsClientConfig {
    readonly region: string;
    readonly credentials: AwsCredentialsProvider;
}

/** The session name the role's CloudTrail entries show. */
export const ROLE_SESSION_NAME = "nextstack-promote";

export function awsClientConfigFor(access: AwsAccess): AwsClientConfig {
    const { region, profile, assumeRoleArn } = access;
    // ignoreCache: re-read ~/.aws on every call, so an `aws sso login` during a run is seen.
    // Without a profile, the ambient chain (env keys, web identity in CI, instance role).
    const base: AwsCredentialsProvider = profile
        ? fromIni({ profile, ignoreCache: true, clientConfig: { region } })
        : fromNodeProviderChain({ clientConfig: { region } });
    const credentials = assumeRoleArn
        ? fromTemporaryCredentials({
              masterCredentials: base,
              params: { RoleArn: assumeRoleArn, RoleSessionName: ROLE_SESSION_NAME },
              clientConfig: { region },
          })
        : base;
    return { region, credentials };
}
