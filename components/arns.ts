/**
 * ARNs and hosts that are fully determined by the validated config (account, region, names).
 * Policies are built from these rather than from resource outputs: the value is the same one AWS
 * returns, it is known at preview time, and it cannot be `undefined` under a mock that does not
 * compute outputs, so a policy can never silently lose its Resource or Principal.
 */

/** Where a resource lives: the account the provider is pinned to, and its region. */
export interface AwsTarget {
    readonly accountId: string;
    readonly region: string;
}

/** Partition and DNS suffix by region prefix; the config rules accept commercial, China, GovCloud and ISO regions. */
const PARTITIONS: readonly { readonly prefix: RegExp; readonly partition: string; readonly dnsSuffix: string }[] = [
    { prefix: /^cn-/, partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" },
    { prefix: /^us-gov-/, partition: "aws-us-gov", dnsSuffix: "amazonaws.com" },
    { prefix: /^us-iso-/, partition: "aws-iso", dnsSuffix: "c2s.ic.gov" },
    { prefix: /^us-isob-/, partition: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov" },
    { prefix: /^eu-isoe-/, partition: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk" },
    { prefix: /^us-isof-/, partition: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov" },
];

export function partitionOf(region: string): { partition: string; dnsSuffix: string } {
    const found = PARTITIONS.find((p) => p.prefix.test(region));
    return found ?? { partition: "aws", dnsSuffix: "amazonaws.com" };
}

/** The GitHub OIDC issuer host: the provider URL without its scheme, as IAM names the provider. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export function ecrRepositoryArn(t: AwsTarget, repositoryName: string): string {
    return `arn:${partitionOf(t.region).partition}:ecr:${t.region}:${t.accountId}:repository/${repositoryName}`;
}

/** `<account>.dkr.ecr.<region>.<suffix>`: the account's registry, what `docker login` takes. */
export function ecrRegistryHost(t: AwsTarget): string {
    return `${t.accountId}.dkr.ecr.${t.region}.${partitionOf(t.region).dnsSuffix}`;
}

export function ecrRepositoryUrl(t: AwsTarget, repositoryName: string): string {
    return `${ecrRegistryHost(t)}/${repositoryName}`;
}

/** Bucket ARNs carry neither account nor region; the region only selects the partition. */
export function s3BucketArn(region: string, bucketName: string): string {
    return `arn:${partitionOf(region).partition}:s3:::${bucketName}`;
}

/** IAM ARNs of resources created at the default path `/` (this program sets no path). */
export function iamArn(t: AwsTarget, kind: "role" | "user" | "oidc-provider", name: string): string {
    return `arn:${partitionOf(t.region).partition}:iam::${t.accountId}:${kind}/${name}`;
}

/** One GitHub OIDC provider per account, named after its issuer host. */
export function githubOidcProviderArn(t: AwsTarget): string {
    return iamArn(t, "oidc-provider", GITHUB_OIDC_HOST);
}
