/**
 * Validates one stack's raw config: every problem at once, each naming the stack, the key,
 * what is wrong and the command that fixes it. Pure: no Pulumi, no I/O.
 */
import { fixCommand, KEY_SPECS, keySpec } from "./keys";
import { RawStackConfig, RawValue } from "./rawConfig";
import * as rules from "./rules";
import { EnvironmentName, isEnvironmentName, KEY_SLOTS, KeySlot, Secret, StackConfig } from "./schema";
import { closest } from "./suggest";

export type ProblemKind = "missing" | "invalid" | "plaintext-secret" | "unknown-key";

export interface ConfigProblem {
    readonly stack: string;
    readonly key: string;
    readonly kind: ProblemKind;
    /** What is wrong, in one sentence. */
    readonly message: string;
    /** The command that fixes it. */
    readonly fix: string;
}

export type ConfigResult =
    | { readonly ok: true; readonly config: StackConfig; readonly problems: readonly [] }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** Thrown by the program when config is invalid, before any resource is registered. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(formatProblems(problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
    const stack = problems[0]?.stack ?? "?";
    const lines = problems.map((p) => `  - ${p.key}: ${p.message}\n    fix: ${p.fix}`);
    return `Stack "${stack}" has ${problems.length} config problem(s); nothing was created:\n${lines.join("\n")}`;
}

/** Reads typed values, recording a problem for each that is missing or invalid. */
class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(private readonly raw: RawStackConfig) {}

    private problem(key: string, kind: ProblemKind, message: string, fix?: string): void {
        this.problems.push({ stack: this.raw.stack, key, kind, message, fix: fix ?? fixCommand(key, this.raw.stack) });
    }

    invalid(key: string, message: string): void {
        this.problem(key, "invalid", message);
    }

    private entry(key: string): RawValue | undefined {
        const value = this.raw.values.get(key);
        const spec = keySpec(key);
        if (value === undefined || value.value.trim() === "") {
            if (spec?.required) this.problem(key, "missing", `is not set: ${spec.description}`);
            return undefined;
        }
        if (spec?.secret && !value.secret) {
            const s = this.raw.stack;
            this.problem(
                key,
                "plaintext-secret",
                "is stored in plain text in the stack file; it must be a secret",
                `pulumi config rm ${key} -s ${s} && ${fixCommand(key, s)}`,
            );
            return undefined;
        }
        return value;
    }

    /** A text value, checked unless only its ciphertext is known. */
    text(key: string, fallback: string, check?: (v: string) => string | undefined): string {
        const e = this.entry(key);
        if (!e) return fallback;
        if (!e.encrypted && check) {
            const wrong = check(e.value.trim());
            if (wrong) this.invalid(key, wrong);
        }
        return e.value.trim();
    }

    secret(key: string, check?: (v: string) => string | undefined): Secret {
        return new Secret(this.text(key, "", check));
    }

    has(key: string): boolean {
        return this.raw.values.has(key);
    }

    optionalSecret(key: string): Secret | undefined {
        return this.has(key) ? this.secret(key) : undefined;
    }

    int(key: string, fallback: number, min: number, max: number): number {
        const text = this.text(key, String(fallback));
        const n = Number(text);
        if (!Number.isInteger(n) || n < min || n > max) {
            this.invalid(key, `must be a whole number from ${min} to ${max} (got "${text}")`);
            return fallback;
        }
        return n;
    }

    bool(key: string, fallback: boolean): boolean {
        const text = this.text(key, String(fallback));
        if (text !== "true" && text !== "false") {
            this.invalid(key, `must be true or false (got "${text}")`);
            return fallback;
        }
        return text === "true";
    }

    private json(key: string, fallback: string): unknown {
        const text = this.text(key, fallback);
        try {
            return JSON.parse(text);
        } catch {
            return undefined;
        }
    }

    list(key: string, fallback: readonly string[], check?: (v: string) => string | undefined): string[] {
        const parsed = this.json(key, JSON.stringify(fallback));
        if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === "string")) {
            this.invalid(key, 'must be a JSON list of strings, e.g. \'["a","b"]\'');
            return [...fallback];
        }
        for (const item of parsed) {
            const wrong = check?.(item);
            if (wrong) this.invalid(key, wrong);
        }
        return parsed;
    }

    record(key: string): Record<string, string> {
        const parsed = this.json(key, "{}");
        const ok =
            typeof parsed === "object" &&
            parsed !== null &&
            !Array.isArray(parsed) &&
            Object.values(parsed).every((x) => typeof x === "string");
        if (!ok) {
            this.invalid(key, 'must be a JSON object of strings, e.g. \'{"LOG_LEVEL":"info"}\'');
            return {};
        }
        return parsed as Record<string, string>;
    }

    unknownKeys(): void {
        const known = new Set(KEY_SPECS.map((s) => s.key));
        for (const key of this.raw.values.keys()) {
            if (key.includes(":") || known.has(key)) continue;
            const near = closest(
                key,
                [...known].filter((k) => !k.includes(":")),
            );
            this.problem(
                key,
                "unknown-key",
                `is not a setting of this program${near ? ` (did you mean ${near}?)` : ""}`,
                `pulumi config rm ${key} -s ${this.raw.stack}${near ? ` && ${fixCommand(near, this.raw.stack)}` : ""}`,
            );
        }
    }
}

function repository(fullName: string) {
    const [owner = "", name = ""] = fullName.split("/");
    return { owner, name, fullName };
}

function defaultSubjects(repo: string, env: EnvironmentName): string[] {
    const byEnvironment = `repo:${repo}:environment:${env}`;
    // Prod trusts its protected GitHub environment only (SECURITY.md §2): a push to main alone cannot ship to prod.
    return env === "prod" ? [byEnvironment] : [`repo:${repo}:ref:refs/heads/main`, byEnvironment];
}

function awsAccess(r: Reader): StackConfig["aws"] {
    const accountId = r.text("accountId", "", rules.accountId);
    const region = r.text("aws:region", "", rules.region);
    const profile = r.has("aws:profile") ? r.text("aws:profile", "", rules.awsProfile) : undefined;
    const role = r.has("assumeRoleArn") ? r.text("assumeRoleArn", "", rules.roleArnIn(accountId)) : undefined;
    return { accountId, region, ...(profile ? { profile } : {}), ...(role ? { assumeRoleArn: role } : {}) };
}

export function validateStackConfig(raw: RawStackConfig): ConfigResult {
    const r = new Reader(raw);
    if (!isEnvironmentName(raw.stack)) {
        return {
            ok: false,
            problems: [
                {
                    stack: raw.stack,
                    key: "(stack name)",
                    kind: "invalid",
                    message: `"${raw.stack}" is not an environment of the migration plan (dev, qa, prod)`,
                    fix: "pulumi stack select dev   (or qa, prod)",
                },
            ],
        };
    }
    const env = raw.stack;
    const prod = env === "prod";

    const appName = r.text("appName", "app", rules.appName);
    const appRepo = r.text("appRepository", "owner/app", rules.githubRepository);
    const domain = r.text("domain", "", rules.hostname);
    const port = r.int("port", 3000, 1, 65535);
    const tag = r.text("imageTag", "latest", rules.imageTag);
    const image = r.has("image") ? r.text("image", "", rules.imageReference) : undefined;
    const stateBucket = r.has("stateBucket") ? r.text("stateBucket", "", rules.bucketName) : undefined;
    const forceDelete = r.bool("ecrForceDelete", !prod);
    if (prod && forceDelete)
        r.invalid("ecrForceDelete", "must be false in prod: a destroy would delete every released image");
    const accessKeys = r.list("runtimeAccessKeys", ["blue"], (k) =>
        KEY_SLOTS.includes(k as KeySlot) ? undefined : `"${k}" is not a key slot (blue or green)`,
    );
    const activeKey = r.text("activeRuntimeKey", accessKeys[0] ?? "blue");
    if (!accessKeys.includes(activeKey))
        r.invalid(
            "activeRuntimeKey",
            `"${activeKey}" is not one of runtimeAccessKeys (${accessKeys.join(", ") || "none"})`,
        );
    if (accessKeys.length === 0 || new Set(accessKeys).size !== accessKeys.length)
        r.invalid("runtimeAccessKeys", "must list one or two distinct slots");
    const reviewers = r.list("prodReviewers", [], rules.githubLogin);
    if (reviewers.length > 6) r.invalid("prodReviewers", "GitHub allows at most 6 reviewers per environment");
    const hostKey = r.text("sshHostKey", "", rules.sshHostKey);

    const config: StackConfig = {
        stack: raw.stack,
        environment: env,
        aws: awsAccess(r),
        appName,
        appRepository: repository(appRepo),
        infraRepository: repository(r.text("infraRepository", "owner/infra", rules.githubRepository)),
        oidcSubjects: r.list("oidcSubjects", defaultSubjects(appRepo, env), rules.oidcSubject(appRepo, prod)),
        domain,
        port,
        healthPath: r.text("healthPath", "/api/health", rules.healthPath),
        imageTag: tag,
        ...(image ? { image } : {}),
        replicas: r.int("replicas", 1, 1, 20),
        ecr: {
            untaggedExpiryDays: r.int("ecrUntaggedExpiryDays", 14, 1, 365),
            keepVersionImages: r.int("ecrKeepVersionImages", 20, 1, 1000),
            forceDelete,
        },
        bucket: {
            name: r.text("bucketName", `${appName}-${env}-assets`, rules.bucketName),
            corsOrigins: r.list("corsOrigins", [`https://${domain}`], rules.corsOrigin),
        },
        runtimeUser: {
            name: r.text(
                "runtimeUserName",
                `${appName}-s3-uploader${env === "dev" ? "" : `-${env}`}`,
                rules.iamUserName,
            ),
            exists: r.bool("runtimeUserExists", false),
            accessKeys: accessKeys as KeySlot[],
            activeKey: activeKey as KeySlot,
        },
        oidcProvider: { create: r.bool("createOidcProvider", true) },
        ...(stateBucket ? { stateBucket } : {}),
        dokploy: {
            url: r.text("dokployUrl", "", rules.dokployUrl).replace(/\/+$/, ""),
            apiToken: r.secret("dokployApiToken"),
            projectName: r.text("dokployProjectName", appName),
            environmentName: r.text("dokployEnvironmentName", prod ? "production" : env),
        },
        ssh: {
            host: r.text("dokployHost", "", rules.sshHost),
            port: r.int("sshPort", 22, 1, 65535),
            user: r.text("sshUser", "root", (v) =>
                /^[a-z_][a-z0-9_-]{0,31}$/.test(v) ? undefined : "is not a Unix user name",
            ),
            privateKey: r.secret("sshPrivateKey", (v) =>
                v.includes("PRIVATE KEY") ? undefined : "is not a PEM/OpenSSH private key",
            ),
            hostKey: rules.normalizeHostKey(hostKey) ?? hostKey,
        },
        clerk: {
            publishableKey: r.text("clerkPublishableKey", "", rules.clerkPublishableKey),
            secretKey: r.secret("clerkSecretKey", rules.clerkSecretKey),
        },
        databaseUrl: r.secret("databaseUrl", rules.databaseUrl),
        appEnv: r.record("appEnv"),
        prodReviewers: reviewers,
        githubToken: r.optionalSecret("github:token"),
    };
    r.unknownKeys();
    const order = (key: string) => {
        const i = KEY_SPECS.findIndex((s) => s.key === key);
        return i < 0 ? KEY_SPECS.length : i;
    };
    const problems = [...r.problems].sort((a, b) => order(a.key) - order(b.key));
    return problems.length === 0 ? { ok: true, config, problems: [] } : { ok: false, problems };
}
