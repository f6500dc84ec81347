/**
 * Validates one stack's raw config: every problem at once, each naming the stack, the key,
 * what is wrong and the command that fixes it. Pure: no Pulumi, no I/O.
 */
import { appEnvProblems } from "./appEnv";
import { fixCommand, KEY_SPECS } from "./keys";
import { ConfigProblem } from "./problems";
import { RawStackConfig } from "./rawConfig";
import { Reader, shellWord } from "./reader";
import { region } from "./regions";
import * as rules from "./rules";
import { EnvironmentName, isEnvironmentName, KEY_SLOTS, KeySlot, Secret, StackConfig } from "./schema";

export { ConfigError, ConfigProblem, formatProblems, ProblemKind } from "./problems";

export type ConfigResult =
    | { readonly ok: true; readonly config: StackConfig; readonly problems: readonly [] }
    | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

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
    const profile = r.optional("aws:profile", rules.awsProfile);
    const role = r.optional("assumeRoleArn", rules.roleArnIn(accountId));
    return {
        accountId,
        region: r.text("aws:region", "", region),
        ...(profile ? { profile } : {}),
        ...(role ? { assumeRoleArn: role } : {}),
    };
}

/** The bucket of a self-managed backend, by name: `s3://name` is the backend URL, not the bucket. */
function stateBucket(r: Reader): string | undefined {
    const v = r.optional("stateBucket", (b) => (b.startsWith("s3://") ? undefined : rules.bucketName(b)));
    if (!v?.startsWith("s3://")) return v;
    const name = v.slice("s3://".length).replace(/\/.*$/, "");
    r.invalid(
        "stateBucket",
        `"${v}" is the backend URL; drop the s3:// scheme and give the bucket name only`,
        fixCommand("stateBucket", r.stack, shellWord(name || "<state-bucket>")),
    );
    return undefined;
}

/** The runtime user's access-key slots; the active one is checked only against a valid list. */
function runtimeKeys(r: Reader): { accessKeys: KeySlot[]; activeKey: KeySlot } {
    const accessKeys = r.list("runtimeAccessKeys", ["blue"], (k) =>
        KEY_SLOTS.includes(k as KeySlot) ? undefined : `"${k}" is not a key slot (blue or green)`,
    );
    if (!r.failed("runtimeAccessKeys") && (accessKeys.length === 0 || new Set(accessKeys).size !== accessKeys.length))
        r.invalid("runtimeAccessKeys", "must list one or two distinct slots");
    const activeKey = r.text("activeRuntimeKey", accessKeys[0] ?? "blue");
    if (!r.failed("runtimeAccessKeys") && !r.failed("activeRuntimeKey") && !accessKeys.includes(activeKey))
        r.invalid("activeRuntimeKey", `"${activeKey}" is not one of runtimeAccessKeys (${accessKeys.join(", ")})`);
    return { accessKeys: accessKeys as KeySlot[], activeKey: activeKey as KeySlot };
}

/** Prod on Clerk development keys means real users signing in to a test instance: refused unless deliberate. */
function clerk(r: Reader, prod: boolean): StackConfig["clerk"] {
    const publishableKey = r.text("clerkPublishableKey", "", rules.clerkPublishableKey);
    const secretKey = r.secret("clerkSecretKey", rules.clerkSecretKey);
    const allowTest = r.bool("allowClerkTestKeysInProd", false);
    if (allowTest && !prod)
        r.invalid(
            "allowClerkTestKeysInProd",
            "only applies to prod",
            `pulumi config rm allowClerkTestKeysInProd -s ${r.stack}`,
        );
    if (prod && !allowTest) {
        const why =
            "is a Clerk development key in prod; use the production instance's key (or set allowClerkTestKeysInProd to true if prod is not live yet)";
        if (publishableKey.startsWith("pk_test_")) r.invalid("clerkPublishableKey", why);
        if (secretKey.reveal().startsWith("sk_test_")) r.invalid("clerkSecretKey", why);
    }
    return { publishableKey, secretKey };
}

/** Extra app variables: valid names, none that the stack sets itself (it would be dropped). */
function appEnv(r: Reader): Record<string, string> {
    const env = r.record("appEnv");
    const problems = appEnvProblems(env);
    if (problems.length === 0) return env;
    const rest = Object.fromEntries(Object.entries(env).filter(([k]) => !problems.some((p) => p.name === k)));
    const keep =
        Object.keys(rest).length === 0
            ? `pulumi config rm appEnv -s ${r.stack}`
            : fixCommand("appEnv", r.stack, shellWord(JSON.stringify(rest)));
    for (const p of problems) r.invalid("appEnv", p.message, p.key ? `${keep} && ${fixCommand(p.key, r.stack)}` : keep);
    return env;
}

export function validateStackConfig(raw: RawStackConfig): ConfigResult {
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
    const r = new Reader(raw);
    const env = raw.stack;
    const prod = env === "prod";

    const appName = r.text("appName", "app", rules.appName);
    const appRepo = r.text("appRepository", "owner/app", rules.githubRepository);
    const domain = r.text("domain", "", rules.hostname);
    // A subject is checked against the app repository only when that repository is valid (root cause only).
    const subjectCheck = r.failed("appRepository") ? undefined : rules.oidcSubject(appRepo, prod);
    const forceDelete = r.bool("ecrForceDelete", !prod);
    if (prod && forceDelete)
        r.invalid("ecrForceDelete", "must be false in prod: a destroy would delete every released image");
    const reviewers = r.list("prodReviewers", [], rules.githubLogin);
    if (reviewers.length > 6) r.invalid("prodReviewers", "GitHub allows at most 6 reviewers per environment");
    const hostKey = r.text("sshHostKey", "", rules.sshHostKey);
    const image = r.optional("image", rules.imageReference);
    const imageDigest = r.optional("imageDigest", rules.imageDigest);
    const state = stateBucket(r);

    const config: StackConfig = {
        stack: raw.stack,
        environment: env,
        aws: awsAccess(r),
        appName,
        appRepository: repository(appRepo),
        infraRepository: repository(r.text("infraRepository", "owner/infra", rules.githubRepository)),
        oidcSubjects: r.list(
            "oidcSubjects",
            defaultSubjects(appRepo, env),
            subjectCheck,
            "is an empty list: no workflow could push images; list at least one subject, or remove the key for the defaults",
        ),
        domain,
        port: r.int("port", 3000, 1, 65535),
        healthPath: r.text("healthPath", "/api/health", rules.healthPath),
        imageTag: r.text("imageTag", "latest", rules.imageTag),
        ...(imageDigest ? { imageDigest } : {}),
        ...(image ? { image } : {}),
        replicas: r.int("replicas", 1, 1, 20),
        ecr: {
            untaggedExpiryDays: r.int("ecrUntaggedExpiryDays", 14, 1, 365),
            keepVersionImages: r.int("ecrKeepVersionImages", 20, 1, 1000),
            forceDelete,
        },
        bucket: {
            name: r.text("bucketName", `${appName}-${env}-assets`, rules.bucketName),
            corsOrigins: r.list(
                "corsOrigins",
                [`https://${domain}`],
                rules.corsOrigin,
                "is an empty list: the browser could not upload; list the app's origin, or remove the key for https://<domain>",
            ),
        },
        runtimeUser: {
            name: r.text(
                "runtimeUserName",
                `${appName}-s3-uploader${env === "dev" ? "" : `-${env}`}`,
                rules.iamUserName,
            ),
            exists: r.bool("runtimeUserExists", false),
            ...runtimeKeys(r),
        },
        oidcProvider: { create: r.bool("createOidcProvider", true) },
        ...(state ? { stateBucket: state } : {}),
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
        clerk: clerk(r, prod),
        databaseUrl: r.secret("databaseUrl", rules.databaseUrl),
        appEnv: appEnv(r),
        prodReviewers: reviewers,
        githubToken: r.has("github:token") ? r.secret("github:token") : undefined,
    };
    r.unknownKeys();
    const order = (key: string) => {
        const i = KEY_SPECS.findIndex((s) => s.key === key);
        return i < 0 ? KEY_SPECS.length : i;
    };
    const problems = [...r.problems].sort((a, b) => order(a.key) - order(b.key));
    return problems.length === 0 ? { ok: true, config, problems: [] } : { ok: false, problems };
}
