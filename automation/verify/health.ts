/**
 * Waits for the app's health endpoint to answer 200, polling until a deadline. Each attempt has
 * its own timeout so a hung server cannot stretch the deadline, and Ctrl-C ends the wait at once.
 */

export interface HealthOptions {
    /** How long the app may take to become healthy after the update. */
    readonly deadlineMs: number;
    /** Pause between attempts. */
    readonly intervalMs?: number;
    /** Longest single request. */
    readonly requestTimeoutMs?: number;
    readonly signal?: AbortSignal;
}

export type HealthResult =
    | { readonly ok: true; readonly attempts: number; readonly elapsedMs: number }
    | { readonly ok: false; readonly attempts: number; readonly elapsedMs: number; readonly last: string };

/** One GET; resolves to the HTTP status or a one-line reason. Never throws. */
export async function probeOnce(
    url: string,
    timeoutMs: number,
    signal?: AbortSignal,
): Promise<{ status?: number; error?: string; timedOut?: boolean }> {
    const signals = [AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs))), ...(signal ? [signal] : [])];
    try {
        // redirect: "manual" so a redirect to a login or error page is not mistaken for health.
        const res = await fetch(url, {
            signal: AbortSignal.any(signals),
            redirect: "manual",
            headers: { "cache-control": "no-cache" },
        });
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

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener("abort", done, { once: true });
    });
}

export async function waitForHealthy(url: string, opts: HealthOptions): Promise<HealthResult> {
    const interval = opts.intervalMs ?? 500;
    const started = performance.now();
    const deadline = started + opts.deadlineMs;
    let attempts = 0;
    let last = "not tried";
    for (;;) {
        const remaining = deadline - performance.now();
        if (remaining <= 0 || opts.signal?.aborted) break;
        attempts++;
        const requestTimeout = opts.requestTimeoutMs ?? 5000;
        const r = await probeOnce(url, Math.max(1, Math.min(requestTimeout, remaining)), opts.signal);
        if (r.status === 200) return { ok: true, attempts, elapsedMs: performance.now() - started };
        // An attempt cut short by the deadline says nothing new about the app: keep the last real answer.
        const clippedByDeadline = r.timedOut === true && remaining < requestTimeout && attempts > 1;
        if (!clippedByDeadline) last = r.status !== undefined ? `HTTP ${r.status}` : (r.error ?? "no answer");
        await pause(Math.min(interval, Math.max(0, deadline - performance.now())), opts.signal);
    }
    return {
        ok: false,
        attempts,
        elapsedMs: performance.now() - started,
        last: opts.signal?.aborted ? "interrupted" : last,
    };
}
