/**
 * CiSecrets: the app repository's GitHub Actions secrets for one environment, with the guide's
 * exact names, and for prod the protected `prod` GitHub environment whose reviewers gate a release
 * (SECURITY.md §8). Values go through `value` (encrypted client-side by the provider), never the
 * deprecated `plaintextValue`, and every value is a Pulumi secret so state keeps it encrypted.
 */
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENT_LABELS, EnvironmentName } from "./config";

/** The secret names the app's workflows read, per environment (`DOKPLOY_DEV_URL`, …). */
export function ciSecretNames(environment: EnvironmentName) {
    const ENV = ENVIRONMENT_LABELS[environment].upper;
    return {
        awsOidcRoleArn: `AWS_OIDC_ROLE_ARN_${ENV}`,
        dokployUrl: `DOKPLOY_${ENV}_URL`,
        dokployToken: `DOKPLOY_${ENV}_TOKEN`,
        dokployAppId: `DOKPLOY_${ENV}_APP_ID`,
        dokployAppUrl: `DOKPLOY_${ENV}_APP_URL`,
        clerkPublishableKey: `NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY_${ENV}`,
        clerkSecretKey: `CLERK_SECRET_KEY_${ENV}`,
    } as const;
}

export type CiSecretKey = keyof ReturnType<typeof ciSecretNames>;

/** Resource role per secret, so logical names stay stable if a secret is renamed. */
const ROLES: Readonly<Record<CiSecretKey, string>> = {
    awsOidcRoleArn: "aws-oidc-role-arn",
    dokployUrl: "dokploy-url",
    dokployToken: "dokploy-token",
    dokployAppId: "dokploy-app-id",
    dokployAppUrl: "dokploy-app-url",
    clerkPublishableKey: "clerk-publishable-key",
    clerkSecretKey: "clerk-secret-key",
};

export interface CiSecretsArgs {
    /** The environment; plain because prod adds the protected GitHub environment. */
    readonly environment: EnvironmentName;
    /** The app repository's name (without owner; the GitHub provider's owner is the repository owner). */
    readonly repository: pulumi.Input<string>;
    /** The push role the app's workflow assumes (`AWS_OIDC_ROLE_ARN_<ENV>`). */
    readonly awsOidcRoleArn: pulumi.Input<string>;
    /** The Dokploy server's URL (`DOKPLOY_<ENV>_URL`). */
    readonly dokployUrl: pulumi.Input<string>;
    /** The Dokploy API token (`DOKPLOY_<ENV>_TOKEN`); pass a Pulumi secret. */
    readonly dokployToken: pulumi.Input<string>;
    /** The Dokploy application id the workflow redeploys (`DOKPLOY_<ENV>_APP_ID`). */
    readonly dokployAppId: pulumi.Input<string>;
    /** The app's public URL (`DOKPLOY_<ENV>_APP_URL`). */
    readonly dokployAppUrl: pulumi.Input<string>;
    /** Clerk's publishable key (`NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY_<ENV>`), baked into the image at build time. */
    readonly clerkPublishableKey: pulumi.Input<string>;
    /** Clerk's secret key (`CLERK_SECRET_KEY_<ENV>`); pass a Pulumi secret. */
    readonly clerkSecretKey: pulumi.Input<string>;
    /** GitHub logins that must approve prod deployments (prod only; plain, each is looked up). */
    readonly prodReviewers?: readonly string[];
}

export class CiSecrets extends pulumi.ComponentResource {
    /** The Actions secrets by key, for callers that depend on them. */
    public readonly secrets: Readonly<Record<CiSecretKey, github.ActionsSecret>>;
    /** The secret names created, in the order above. */
    public readonly secretNames: pulumi.Output<string[]>;
    /** The protected `prod` GitHub environment (prod only). */
    public readonly prodEnvironment?: github.RepositoryEnvironment;

    constructor(name: string, args: CiSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:github:CiSecrets", name, {}, opts);
        const names = ciSecretNames(args.environment);
        const values: Record<CiSecretKey, pulumi.Input<string>> = {
            awsOidcRoleArn: args.awsOidcRoleArn,
            dokployUrl: args.dokployUrl,
            dokployToken: args.dokployToken,
            dokployAppId: args.dokployAppId,
            dokployAppUrl: args.dokployAppUrl,
            clerkPublishableKey: args.clerkPublishableKey,
            clerkSecretKey: args.clerkSecretKey,
        };
        const secrets = {} as Record<CiSecretKey, github.ActionsSecret>;
        for (const key of Object.keys(names) as CiSecretKey[]) {
            secrets[key] = new github.ActionsSecret(
                `${name}-${ROLES[key]}`,
                {
                    repository: args.repository,
                    secretName: names[key],
                    value: pulumi.secret(values[key]),
                },
                { parent: this },
            );
        }
        this.secrets = secrets;
        this.secretNames = pulumi.output(Object.values(names));

        if (args.environment === "prod") {
            const reviewers = args.prodReviewers ?? [];
            const userIds = reviewers.map((login) =>
                github.getUserOutput({ username: login }, { parent: this }).id.apply((id) => Number(id)),
            );
            this.prodEnvironment = new github.RepositoryEnvironment(
                `${name}-prod-environment`,
                {
                    repository: args.repository,
                    environment: "prod",
                    // Self-review only matters with reviewers; without any, prod is gated by branch protection alone.
                    ...(reviewers.length > 0 ? { reviewers: [{ users: userIds }], preventSelfReview: true } : {}),
                    deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
                },
                { parent: this },
            );
        }

        this.registerOutputs({ secretNames: this.secretNames });
    }
}
