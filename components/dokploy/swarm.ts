/**
 * Pure mapping between this project's swarm settings (seconds, camelCase) and the Docker
 * swarm JSON Dokploy stores (PascalCase, durations in nanoseconds; API.md §5.2). The mapping is
 * bijective on what `toSwarm*` produces, so `fromSwarm*(toSwarm*(x))` equals `x`, which is what
 * lets `read` report server drift in our terms and `diff` compare like with like.
 */

/** Normalized health check: the exact Docker `Test` plus timings. */
export interface HealthCheckSettings {
    readonly test: readonly string[];
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    readonly startPeriodSeconds: number;
    readonly retries: number;
}

/** Normalized update or rollback config. */
export interface UpdateSettings {
    readonly parallelism: number;
    readonly delaySeconds: number;
    readonly failureAction: "continue" | "pause" | "rollback";
    readonly order: "start-first" | "stop-first";
    readonly monitorSeconds: number;
    readonly maxFailureRatio: number;
}

/** Docker's HealthConfig as Dokploy stores it. */
export interface HealthCheckSwarm {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    StartPeriod?: number;
    Retries?: number;
}

/** Docker's UpdateConfig/RollbackConfig as Dokploy stores it. */
export interface UpdateConfigSwarm {
    Parallelism: number;
    Order: string;
    Delay?: number;
    FailureAction?: string;
    Monitor?: number;
    MaxFailureRatio?: number;
}

const NS_PER_SECOND = 1e9;

/** Seconds → integer nanoseconds. */
export function secondsToNanos(s: number): number {
    return Math.round(s * NS_PER_SECOND);
}

/** Nanoseconds → seconds (ms precision, so float noise cannot create a diff). */
export function nanosToSeconds(ns: number): number {
    return Math.round(ns / 1e6) / 1e3;
}

function isObj(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number {
    return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

/** The guide's health check command: curl the app's health path inside the container. */
export function curlHealthTest(port: number, path: string): string[] {
    return ["CMD-SHELL", `curl -f http://localhost:${port}${path} || exit 1`];
}

export function toHealthCheckSwarm(h: HealthCheckSettings): HealthCheckSwarm {
    return {
        Test: [...h.test],
        Interval: secondsToNanos(h.intervalSeconds),
        Timeout: secondsToNanos(h.timeoutSeconds),
        StartPeriod: secondsToNanos(h.startPeriodSeconds),
        Retries: h.retries,
    };
}

/** Server JSON → settings; null when the server has none (or something unreadable). */
export function fromHealthCheckSwarm(v: unknown): HealthCheckSettings | null {
    if (!isObj(v)) return null;
    const test = Array.isArray(v.Test) ? v.Test.map((x) => String(x)) : [];
    return {
        test,
        intervalSeconds: nanosToSeconds(num(v.Interval)),
        timeoutSeconds: nanosToSeconds(num(v.Timeout)),
        startPeriodSeconds: nanosToSeconds(num(v.StartPeriod)),
        retries: num(v.Retries),
    };
}

export function toUpdateConfigSwarm(u: UpdateSettings): UpdateConfigSwarm {
    return {
        Parallelism: u.parallelism,
        Delay: secondsToNanos(u.delaySeconds),
        FailureAction: u.failureAction,
        Monitor: secondsToNanos(u.monitorSeconds),
        MaxFailureRatio: u.maxFailureRatio,
        Order: u.order,
    };
}

export function fromUpdateConfigSwarm(v: unknown): UpdateSettings | null {
    if (!isObj(v)) return null;
    const fa = v.FailureAction;
    return {
        parallelism: num(v.Parallelism),
        delaySeconds: nanosToSeconds(num(v.Delay)),
        // Docker's defaults for absent keys, so an out-of-band minimal object still maps.
        failureAction: fa === "continue" || fa === "rollback" ? fa : "pause",
        order: v.Order === "start-first" ? "start-first" : "stop-first",
        monitorSeconds: nanosToSeconds(num(v.Monitor)),
        maxFailureRatio: num(v.MaxFailureRatio),
    };
}

/** Effective replica count: a replicated `modeSwarm` overrides the `replicas` column. */
export function effectiveReplicas(replicas: number | null, modeSwarm: unknown): number | null {
    if (isObj(modeSwarm)) {
        if (isObj(modeSwarm.Replicated) && typeof modeSwarm.Replicated.Replicas === "number")
            return modeSwarm.Replicated.Replicas;
        return null; // global or job mode: not a replica count we manage
    }
    return replicas;
}

/** The `application.update` fields for our swarm settings (modeSwarm cleared so replicas applies). */
export function swarmUpdateFields(s: {
    replicas: number;
    healthCheck: HealthCheckSettings;
    updateConfig: UpdateSettings;
    rollbackConfig: UpdateSettings;
}): Record<string, unknown> {
    return {
        replicas: s.replicas,
        modeSwarm: null,
        healthCheckSwarm: toHealthCheckSwarm(s.healthCheck),
        updateConfigSwarm: toUpdateConfigSwarm(s.updateConfig),
        rollbackConfigSwarm: toUpdateConfigSwarm(s.rollbackConfig),
    };
}
