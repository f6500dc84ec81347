/**
 * The typed shape of one stack's configuration, after validation.
 * Pure data: no Pulumi imports, so config can be checked offline (`npm run promote -- --plan`).
 */

/** The three stages of the migration plan, in promotion order. */
export const ENVIRONMENTS = ["dev", "qa", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** The Pulumi project name: the namespace of this program's config keys. */
export const PROJECT = "nextstack";

/** How each environment is written in role and secret names (`GitHubActionsECRPush-Dev`, `DOKPLOY_DEV_URL`). */
export const ENVIRONMENT_LABELS: Readonly<Record<EnvironmentName, { title: string; upper: string }>> = {
    dev: { title: "Dev", upper: "DEV" },
    qa: { title: "QA", upper: "QA" },
    prod: { title: "Prod", upper: "PROD" },
};

export function isEnvironmentName(value: string): value is EnvironmentName {
    return (ENVIRONMENTS as readonly string[]).includes(value);
}

/**
 * A secret config value. It refuses to print itself, so a config object can be logged
 * or thrown without leaking; `reveal()` is called only where a Pulumi secret is made from it.
 */
export class Secret {
    readonly #value: string;
    constructor(value: string) {
        this.#value = value;
    }
    reveal(): string {
        return this.#value;
    }
    toString(): string {
        return "[secret]";
    }
    toJSON(): string {
        return "[secret]";
    }
    [Symbol.for("nodejs.util.inspect.custom")](): string {
        return "[secret]";
    }
}

/** The two IAM access-key slots that make zero-downtime key rotation possible. */
export const KEY_SLOTS = ["blue", "green"] as const;
export type KeySlot = (typeof KEY_SLOTS)[number];

export interface GithubRepository {
    readonly owner: string;
    readonly name: string;
    /** `owner/name` */
    readonly fullName: string;
}

export interface StackConfig {
    readonly stack: string;
    readonly environment: EnvironmentName;
    readonly aws: {
        readonly accountId: string;
        readonly region: string;
        /** The AWS CLI profile (`aws:profile`) through which this stack's account is reached. */
        readonly profile?: string;
        /** A role in this stack's account to assume with the profile's credentials. */
        readonly assumeRoleArn?: string;
    };
    readonly appName: string;
    readonly appRepository: GithubRepository;
    readonly infraRepository: GithubRepository;
    /** Exact OIDC `sub` claims allowed to assume the push role. */
    readonly oidcSubjects: readonly string[];
    readonly domain: string;
    readonly port: number;
    readonly healthPath: string;
    readonly imageTag: string;
    /** The digest promotion resolved imageTag to; deployed as `<repository URL>@<digest>` instead of the tag. */
    readonly imageDigest?: string;
    /** Full image reference override (e.g. a digest); by default `<repository URL>:<imageTag>`. */
    readonly image?: string;
    readonly replicas: number;
    readonly ecr: {
        readonly untaggedExpiryDays: number;
        readonly keepVersionImages: number;
        readonly forceDelete: boolean;
    };
    readonly bucket: { readonly name: string; readonly corsOrigins: readonly string[] };
    readonly runtimeUser: {
        readonly name: string;
        /** The user already exists in the account: adopt it with `import` instead of creating it. */
        readonly exists: boolean;
        readonly accessKeys: readonly KeySlot[];
        readonly activeKey: KeySlot;
    };
    readonly oidcProvider: { readonly create: boolean };
    /** The bucket name (no `s3://`) of a self-managed Pulumi backend, which the PR-preview role may read. */
    readonly stateBucket?: string;
    readonly dokploy: {
        readonly url: string;
        readonly apiToken: Secret;
        readonly projectName: string;
        readonly environmentName: string;
    };
    readonly ssh: {
        readonly host: string;
        readonly port: number;
        readonly user: string;
        readonly privateKey: Secret;
        readonly hostKey: string;
    };
    readonly clerk: { readonly publishableKey: string; readonly secretKey: Secret };
    readonly databaseUrl: Secret;
    /** Non-secret extra environment variables for the app. */
    readonly appEnv: Readonly<Record<string, string>>;
    /** GitHub logins that must approve deployments to the protected `prod` environment. */
    readonly prodReviewers: readonly string[];
    /** Token for the GitHub provider; when absent the provider reads GITHUB_TOKEN. */
    readonly githubToken?: Secret;
}
