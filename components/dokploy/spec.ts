/**
 * The application's desired state as the provider stores it (the result of `check`): inputs
 * validated, defaults from the guide applied, env as dotenv text. Pure; no API calls.
 */
import { imageReferenceProblem } from "./image";
import { isEnvKey, toDotenv } from "./dotenv";
import { HealthCheckSettings, UpdateSettings, curlHealthTest } from "./swarm";

export type DeployPolicy = "onChange" | "never";

/** An HTTPS (or HTTP) route from a host to the app's port. */
export interface DomainSettings {
    readonly host: string;
    readonly port: number;
    readonly https: boolean;
    readonly certificateType: "letsencrypt" | "none";
    readonly path: string;
}

/** Normalized inputs. During preview a field may still hold the engine's unknown marker. */
export interface AppSpec {
    readonly serverUrl: string;
    readonly projectName: string;
    readonly environmentName: string;
    readonly name: string;
    /** Effective appName prefix (Dokploy appends `-xxxxxx`). */
    readonly appName: string;
    readonly description: string | null;
    readonly dockerImage: string;
    readonly env: string | null;
    readonly replicas: number;
    readonly healthCheck: HealthCheckSettings;
    readonly updateConfig: UpdateSettings;
    readonly rollbackConfig: UpdateSettings;
    readonly domain: DomainSettings | null;
    readonly deployPolicy: DeployPolicy;
    readonly deployTimeoutSeconds: number;
}

/** A `check` failure, as Pulumi shows it. */
export interface SpecFailure {
    readonly property: string;
    readonly reason: string;
}

/** The value the engine sends for not-yet-known inputs during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value, or anything inside it, is still unknown. */
export function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
    return false;
}

export const DEFAULTS = {
    replicas: 1,
    healthPath: "/api/health",
    appPort: 3000,
    healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, startPeriodSeconds: 40, retries: 3 },
    updateConfig: {
        parallelism: 1,
        delaySeconds: 10,
        failureAction: "rollback",
        order: "start-first",
        monitorSeconds: 60,
        maxFailureRatio: 0,
    } as UpdateSettings,
    rollbackConfig: {
        parallelism: 1,
        delaySeconds: 5,
        failureAction: "pause",
        order: "stop-first",
        monitorSeconds: 10,
        maxFailureRatio: 0.3,
    } as UpdateSettings,
    deployPolicy: "onChange" as DeployPolicy,
    deployTimeoutSeconds: 600,
    /** Swarm service names are at most 63 characters and Dokploy appends 7. */
    appNameMaxLength: 56,
};

/** The default appName prefix for a display name: lower-case, dashes, starts with a letter. */
export function deriveAppName(name: string): string {
    let s = name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-+|-+$/g, "");
    if (!/^[a-z]/.test(s)) s = `app-${s}`.replace(/-+$/, "");
    return s.slice(0, DEFAULTS.appNameMaxLength).replace(/-+$/, "");
}

/** Normalizes `serverUrl`: scheme + host (+ base path), no trailing `/` or `/api`. */
export function normalizeServerUrl(raw: string): string | { error: string } {
    let u: URL;
    try {
        u = new URL(raw);
    } catch {
        return { error: `"${raw}" is not a URL (expected e.g. https://dokploy.example.com)` };
    }
    if (u.protocol !== "https:" && u.protocol !== "http:") return { error: "must use https:// (or http://)" };
    if (u.username || u.password)
        return { error: "must not contain credentials; the API token comes from stack config" };
    if (u.search || u.hash) return { error: "must not contain a query or fragment" };
    const path = u.pathname.replace(/\/+$/, "").replace(/\/api$/, "");
    return `${u.protocol}//${u.host}${path}`;
}

type Raw = Record<string, unknown>;

/** Gathers every failure; no field initializers (the provider serializer drops them). */
class Collector {
    readonly failures: SpecFailure[];
    constructor() {
        this.failures = [];
    }
    fail(property: string, reason: string): void {
        this.failures.push({ property, reason });
    }
    str(obj: Raw, key: string, path: string, required: boolean): string | undefined {
        const v = obj[key];
        if (v === undefined || v === null) {
            if (required) this.fail(path, "is required");
            return undefined;
        }
        if (typeof v !== "string") return (this.fail(path, "must be a string"), undefined);
        if (required && v.trim().length === 0) return (this.fail(path, "must not be empty"), undefined);
        return v;
    }
    num(obj: Raw, key: string, path: string, def: number, min: number, max: number, integer: boolean): number {
        const v = obj[key];
        if (v === undefined || v === null) return def;
        if (typeof v !== "number" || !Number.isFinite(v)) return (this.fail(path, "must be a number"), def);
        if (integer && !Number.isInteger(v)) return (this.fail(path, "must be a whole number"), def);
        if (v < min || v > max) return (this.fail(path, `must be between ${min} and ${max}`), def);
        return v;
    }
    obj(v: unknown, path: string): Raw {
        if (v === undefined || v === null) return {};
        if (typeof v !== "object" || Array.isArray(v)) return (this.fail(path, "must be an object"), {});
        return v as Raw;
    }
    oneOf<T extends string>(obj: Raw, key: string, path: string, allowed: readonly T[], def: T): T {
        const v = obj[key];
        if (v === undefined || v === null) return def;
        if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
            return (this.fail(path, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`), def);
        }
        return v as T;
    }
}

function normalizeEnv(c: Collector, v: unknown): string | null {
    if (v === undefined || v === null) return null;
    if (typeof v === "string") return v;
    if (typeof v !== "object" || Array.isArray(v))
        return (c.fail("env", "must be a map of strings or dotenv text"), null);
    const vars: Record<string, string> = {};
    for (const [k, val] of Object.entries(v as Raw)) {
        // Reasons name the key, never the value: env values are secrets.
        if (!isEnvKey(k))
            c.fail(`env.${k}`, "is not a valid variable name (letters, digits, _; not starting with a digit)");
        else if (typeof val !== "string") c.fail(`env.${k}`, "must be a string");
        else vars[k] = val;
    }
    return toDotenv(vars);
}

function normalizeUpdate(c: Collector, raw: unknown, path: string, d: UpdateSettings): UpdateSettings {
    const o = c.obj(raw, path);
    return {
        parallelism: c.num(o, "parallelism", `${path}.parallelism`, d.parallelism, 0, 1000, true),
        delaySeconds: c.num(o, "delaySeconds", `${path}.delaySeconds`, d.delaySeconds, 0, 86400, false),
        failureAction: c.oneOf(
            o,
            "failureAction",
            `${path}.failureAction`,
            ["continue", "pause", "rollback"] as const,
            d.failureAction,
        ),
        order: c.oneOf(o, "order", `${path}.order`, ["start-first", "stop-first"] as const, d.order),
        monitorSeconds: c.num(o, "monitorSeconds", `${path}.monitorSeconds`, d.monitorSeconds, 0, 86400, false),
        maxFailureRatio: c.num(o, "maxFailureRatio", `${path}.maxFailureRatio`, d.maxFailureRatio, 0, 1, false),
    };
}

function normalizeDomain(c: Collector, raw: unknown): DomainSettings | null {
    if (raw === undefined || raw === null) return null;
    const o = c.obj(raw, "domain");
    const host = c.str(o, "host", "domain.host", true) ?? "";
    if (
        host &&
        !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(host)
    ) {
        c.fail("domain.host", `"${host}" is not a lower-case host name (no scheme, port or path)`);
    }
    const path = c.str(o, "path", "domain.path", false) ?? "/";
    if (!path.startsWith("/")) c.fail("domain.path", "must start with /");
    return {
        host,
        port: c.num(o, "port", "domain.port", DEFAULTS.appPort, 1, 65535, true),
        https: o.https === undefined || o.https === null ? true : o.https === true,
        certificateType: c.oneOf(
            o,
            "certificateType",
            "domain.certificateType",
            ["letsencrypt", "none"] as const,
            "letsencrypt",
        ),
        path,
    };
}

function normalizeHealth(c: Collector, raw: unknown, appPort: number): HealthCheckSettings {
    const o = c.obj(raw, "healthCheck");
    const d = DEFAULTS.healthCheck;
    const path = c.str(o, "path", "healthCheck.path", false) ?? DEFAULTS.healthPath;
    if (!path.startsWith("/")) c.fail("healthCheck.path", "must start with /");
    const port = c.num(o, "port", "healthCheck.port", appPort, 1, 65535, true);
    const command = c.str(o, "command", "healthCheck.command", false);
    const test = o.disabled === true ? ["NONE"] : command ? ["CMD-SHELL", command] : curlHealthTest(port, path);
    return {
        test,
        intervalSeconds: c.num(o, "intervalSeconds", "healthCheck.intervalSeconds", d.intervalSeconds, 0, 86400, false),
        timeoutSeconds: c.num(o, "timeoutSeconds", "healthCheck.timeoutSeconds", d.timeoutSeconds, 0, 86400, false),
        startPeriodSeconds: c.num(
            o,
            "startPeriodSeconds",
            "healthCheck.startPeriodSeconds",
            d.startPeriodSeconds,
            0,
            86400,
            false,
        ),
        retries: c.num(o, "retries", "healthCheck.retries", d.retries, 0, 100, true),
    };
}

/** `deploy: false` is `deployPolicy: "never"`; both given and contradicting is an error. */
function deployPolicyOf(c: Collector, raw: Raw): DeployPolicy {
    const policy = c.oneOf(raw, "deployPolicy", "deployPolicy", ["onChange", "never"] as const, DEFAULTS.deployPolicy);
    const d = raw.deploy;
    if (d === undefined || d === null) return policy;
    if (typeof d !== "boolean") return (c.fail("deploy", "must be true or false"), policy);
    if (raw.deployPolicy !== undefined && raw.deployPolicy !== null && (policy === "never") === d) {
        c.fail("deploy", `contradicts deployPolicy "${policy}"; set only one of them`);
    }
    return d ? policy : "never";
}

/** Runs `fn` unless the raw value is unknown (preview), in which case the raw value is kept. */
function known<T>(raw: unknown, fn: () => T): T {
    return containsUnknown(raw) ? (raw as T) : fn();
}

/** Validates raw inputs and applies defaults; returns every problem at once. */
export function normalizeSpec(raw: Raw): { spec: AppSpec; failures: SpecFailure[] } {
    const c = new Collector();
    const s = (key: string, required: boolean): string => known(raw[key], () => c.str(raw, key, key, required) ?? "");
    const serverUrl = known(raw.serverUrl, () => {
        const r = normalizeServerUrl(s("serverUrl", true));
        if (typeof r === "string") return r;
        if (raw.serverUrl) c.fail("serverUrl", r.error);
        return "";
    });
    const name = s("name", true);
    const appName = known(raw.appName, () => {
        const given = c.str(raw, "appName", "appName", false);
        const v = given ?? deriveAppName(name);
        if (given !== undefined && (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(v) || v.includes("--"))) {
            c.fail("appName", `"${v}" must be lower-case letters, digits and single dashes, starting with a letter`);
        } else if (v.length > DEFAULTS.appNameMaxLength) {
            c.fail(
                "appName",
                `must be at most ${DEFAULTS.appNameMaxLength} characters (Dokploy adds a 7-character suffix)`,
            );
        }
        return v;
    });
    const dockerImage = known(raw.dockerImage, () => {
        const img = s("dockerImage", true);
        const problem = img ? imageReferenceProblem(img) : undefined;
        if (problem) c.fail("dockerImage", problem);
        return img;
    });
    const domain = known(raw.domain, () => normalizeDomain(c, raw.domain));
    const appPort = domain && !containsUnknown(domain) ? domain.port : DEFAULTS.appPort;
    const spec: AppSpec = {
        serverUrl,
        projectName: s("projectName", true),
        environmentName: s("environmentName", true),
        name,
        appName,
        description: known(raw.description, () => c.str(raw, "description", "description", false) ?? null),
        dockerImage,
        env: known(raw.env, () => normalizeEnv(c, raw.env)),
        replicas: known(raw.replicas, () => c.num(raw, "replicas", "replicas", DEFAULTS.replicas, 0, 1000, true)),
        healthCheck: known(raw.healthCheck, () => normalizeHealth(c, raw.healthCheck, appPort)),
        updateConfig: known(raw.updateConfig, () =>
            normalizeUpdate(c, raw.updateConfig, "updateConfig", DEFAULTS.updateConfig),
        ),
        rollbackConfig: known(raw.rollbackConfig, () =>
            normalizeUpdate(c, raw.rollbackConfig, "rollbackConfig", DEFAULTS.rollbackConfig),
        ),
        domain,
        deployPolicy: known(raw.deploy, () => known(raw.deployPolicy, () => deployPolicyOf(c, raw))),
        deployTimeoutSeconds: known(raw.deployTimeoutSeconds, () =>
            c.num(raw, "deployTimeoutSeconds", "deployTimeoutSeconds", DEFAULTS.deployTimeoutSeconds, 1, 86400, false),
        ),
    };
    return { spec, failures: c.failures };
}
