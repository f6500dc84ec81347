/**
 * Local diff and update planning (no API calls): which properties changed, which force a
 * replacement, and the fewest Dokploy calls that bring the application to the new spec.
 */
import { sameEnv } from "./dotenv";
import { AppSpec, containsUnknown } from "./spec";
import { HealthCheckSettings, UpdateSettings, swarmUpdateFields } from "./swarm";

/** What the provider stores as outputs: the spec plus what the server assigned. */
export interface AppState extends Omit<
    AppSpec,
    "appName" | "replicas" | "healthCheck" | "updateConfig" | "rollbackConfig"
> {
    /** Server values; null when the server has none (fresh app, or cleared out of band). */
    readonly replicas: number | null;
    readonly healthCheck: HealthCheckSettings | null;
    readonly updateConfig: UpdateSettings | null;
    readonly rollbackConfig: UpdateSettings | null;
    readonly applicationId: string;
    /** The server's appName (prefix + random suffix). */
    readonly appName: string;
    /** The prefix it was created from (the effective `appName` input). */
    readonly appNamePrefix: string;
    readonly projectId: string;
    readonly environmentId: string;
    readonly domainId: string | null;
    readonly url: string | null;
    readonly lastDeploymentId: string | null;
    readonly lastDeploymentStatus: string | null;
    /**
     * The configuration Dokploy holds has been deployed (false after a change saved with
     * deploy: false). Undefined in state written before this field existed.
     */
    readonly deployed?: boolean;
    /** The image the service runs after the last watched rollout (the old one after a rollback). */
    readonly runningImage?: string | null;
    /** How the last watched rollout ended: completed, rolled_back, paused or deadline. */
    readonly rolloutStatus?: string | null;
    /** One line about the last rollout, for people (outcome, Swarm's reason, timings). */
    readonly lastRollout?: string | null;
    /** This resource created the project / environment, so its delete removes them when empty. */
    readonly ownsProject: boolean;
    readonly ownsEnvironment: boolean;
}

/** Properties whose change needs a new application. */
export const REPLACE_KEYS = ["serverUrl", "projectName", "environmentName", "appName"] as const;

const UPDATE_KEYS = [
    "name",
    "description",
    "dockerImage",
    "env",
    "replicas",
    "healthCheck",
    "updateConfig",
    "rollbackConfig",
    "domain",
    "deployPolicy",
    "deployTimeoutSeconds",
] as const;

/** Structural equality for JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
        return (a ?? null) === (b ?? null);
    }
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The last deployment did not leave the app running the spec: never deployed, failed, cancelled,
 * or still "running" when a run stopped waiting (deployTimeoutSeconds); the update then waits for
 * that one first (sync.ts) and deploys again only when it did not end "done". Also when changes
 * were saved with deploy: false since the last deployment.
 */
export function needsDeployment(olds: Partial<AppState>): boolean {
    return (olds.lastDeploymentStatus ?? null) !== "done" || olds.deployed === false;
}

export interface SpecDiff {
    readonly changes: string[];
    readonly replaces: string[];
}

/** Compares stored outputs (possibly refreshed from the server) with new normalized inputs. */
export function diffSpec(olds: Partial<AppState>, news: AppSpec): SpecDiff {
    const replaces: string[] = [];
    const changes: string[] = [];
    const oldPrefix = olds.appNamePrefix ?? olds.appName;
    const oldVal = (k: string): unknown => (k === "appName" ? oldPrefix : (olds as Record<string, unknown>)[k]);
    for (const k of REPLACE_KEYS) {
        const n = (news as unknown as Record<string, unknown>)[k];
        if (containsUnknown(n) || !deepEqual(oldVal(k), n)) replaces.push(k);
    }
    for (const k of UPDATE_KEYS) {
        const n = (news as unknown as Record<string, unknown>)[k];
        const o = oldVal(k);
        const same =
            k === "env"
                ? !containsUnknown(n) && sameEnv(o as string | null, n as string | null)
                : !containsUnknown(n) && deepEqual(o, n);
        if (!same) changes.push(k);
    }
    if (news.deployPolicy === "onChange" && needsDeployment(olds)) changes.push("lastDeploymentStatus");
    return { changes: [...replaces, ...changes], replaces };
}

export type Rollout = "none" | "deploy" | "redeploy" | "reload";

export interface UpdatePlan {
    /** Body for one `application.update` (without applicationId), or null when not needed. */
    readonly appFields: Record<string, unknown> | null;
    readonly saveImage: boolean;
    readonly saveEnv: boolean;
    readonly domain: "none" | "create" | "update" | "delete";
    readonly rollout: Rollout;
}

/** The calls an update needs, from the changed keys of `diffSpec`. */
export function planUpdate(olds: Partial<AppState>, news: AppSpec): UpdatePlan {
    const changed = new Set(diffSpec(olds, news).changes);
    const fields: Record<string, unknown> = {};
    if (changed.has("name")) fields.name = news.name;
    if (changed.has("description")) fields.description = news.description;
    const swarm = ["replicas", "healthCheck", "updateConfig", "rollbackConfig"].some((k) => changed.has(k));
    if (swarm) Object.assign(fields, swarmUpdateFields(news));
    const saveImage = changed.has("dockerImage");
    const saveEnv = changed.has("env");
    let domain: UpdatePlan["domain"] = "none";
    if (changed.has("domain")) {
        if (!news.domain) domain = olds.domainId ? "delete" : "none";
        else domain = olds.domainId ? "update" : "create";
    }
    let rollout: Rollout = "none";
    if (news.deployPolicy === "onChange") {
        const neverDeployed = !olds.lastDeploymentId;
        if (saveImage || saveEnv || needsDeployment(olds)) rollout = neverDeployed ? "deploy" : "redeploy";
        else if (swarm) rollout = "reload";
    }
    return { appFields: Object.keys(fields).length > 0 ? fields : null, saveImage, saveEnv, domain, rollout };
}

/** The public URL of a domain. */
export function domainUrl(d: AppSpec["domain"]): string | null {
    if (!d) return null;
    return `${d.https ? "https" : "http"}://${d.host}${d.path === "/" ? "" : d.path}`;
}
