/**
 * Waits for the app's health endpoint to answer 200, polling until a deadline. Each attempt has
 * its own timeout so a hung server cannot stretch the deadline, and Ctrl-C ends the wait at once.
 */
import { REAL_CLOCK, VerifyClock } from "./clock";

export interface HealthOptions {
    /** How long the app may take to become healthy after the update. */
    readonly deadlineMs: number;
    /** Pause between attempts. */
    readonly intervalMs?: number;
    /** Longest single request. */
    readonly requestTimeoutMs?: number;
    readonly signal?: AbortSignal;
    /** Measures the deadline and paces the attempts (real time unless given; tests pass a virtual one). */
    readonly clock?: VerifyClock;
}

export type HealthResult =
    | { readonly ok: true; readonly attempts: number; readonly elapsedMs: number; readonly version?: string }
    | { readonly ok: false; readonly attempts: number; readonly elapsedMs: number; readonly last: string };

/** One GET; resolves to the HTTP status or a one-line reason. Never throws. */
export interface ProbeAnswer {
    readonly status?: number;
    readonly error?: string;
    readonly timedOut?: boolean;
    /** The `version` field of a JSON body (apps that say which build answered), when asked for. */
    readonly version?: string;
}

/** Body limit for reading `version`: health bodies are small; anything bigger is not one. */
const MAX_BODY = 64 * 1024;

/** The `version` string of a small JSON body, if it has one. */
export function versionOf(body: string): string | undefined {
    if (body.length > MAX_BODY || !body.trimStart().startsWith("{")) return undefined;
    try {
        const v = (JSON.parse(body) as { version?: unknown }).version;
        return typeof v === "string" && v !== "" ? v : undefined;
    } catch {
        return undefined;
    }
}

export async function probeOnce(
    url: string,
    timeoutMs: number,
    signal?: AbortSignal,
    opts: { readVersion?: boolean } = {},
): Promise<ProbeAnswer> {
    const signals = [AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs))), ...(signal ? [signal] : [])];
    try {
        // redirect: "manual" so a redirect to a login or error page is not mistaken for health.
        const res = await fetch(url, {
            signal: AbortSignal.any(signals),
            redirect: "manual",
            headers: { "cache-control": "no-cache" },
        });
        if (opts.readVersion && res.status < 300) return { status: res.status, version: versionOf(await res.text()) };
        await res.body?.cancel();
        return { status: res.status };
    } catch (err) {
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, "bad port"…) is in the cause.
        const c = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
        const cause = typeof c?.code === "string" ? c.code : typeof c?.message === "string" ? c.message : undefined;
        const name = (err as { name?: string }).name;
        if (name === "TimeoutError") return { error: `no answer within ${Math.ceil(timeoutMs)} ms`, timedOut: true };
        return { error: cause ?? (err instanceof Error ? err.message : String(err)) };
    }
}

export async function waitForHealthy(url: string, opts: HealthOptions): Promise<HealthResult> {
    const interval = opts.intervalMs ?? 500;
    const clock = opts.clock ?? REAL_CLOCK;
    const started = clock.now();
    const deadline = started + opts.deadlineMs;
    let attempts = 0;
    let last = "not tried";
    for (;;) {
        const remaining = deadline - clock.now();
        if (remaining <= 0 || opts.signal?.aborted) break;
        attempts++;
        const requestTimeout = opts.requestTimeoutMs ?? 5000;
        const r = await probeOnce(url, Math.max(1, Math.min(requestTimeout, remaining)), opts.signal, {
            readVersion: true,
        });
        if (r.status === 200) return { ok: true, attempts, elapsedMs: clock.now() - started, version: r.version };
        // An attempt cut short by the deadline says nothing new about the app: keep the last real answer.
        const clippedByDeadline = r.timedOut === true && remaining < requestTimeout && attempts > 1;
        if (!clippedByDeadline) last = r.status !== undefined ? `HTTP ${r.status}` : (r.error ?? "no answer");
        await clock.pause(Math.min(interval, Math.max(0, deadline - clock.now())), opts.signal);
    }
    return {
        ok: false,
        attempts,
        elapsedMs: clock.now() - started,
        last: opts.signal?.aborted ? "interrupted" : last,
    };
}
