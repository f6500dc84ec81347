/**
 * The time verification runs on: what the health wait measures its deadline with and pauses
 * between attempts, and what paces the probe and stamps its requests. Real time unless a caller
 * passes another (tests drive a virtual one, so a deadline of seconds costs no seconds); each
 * request's own timeout is always real (it bounds a real socket).
 */
export interface VerifyClock {
    /** Milliseconds on a monotonic scale (performance.now() for real). */
    now(): number;
    /** Resolves after `ms`, or early (without error) when `signal` aborts. */
    pause(ms: number, signal?: AbortSignal): Promise<void>;
    /** Calls `tick` every `ms` until the returned function is called (setInterval for real). */
    every(ms: number, tick: () => void): () => void;
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

export const REAL_CLOCK: VerifyClock = {
    now: () => performance.now(),
    pause,
    every(ms, tick) {
        const timer = setInterval(tick, ms);
        return () => clearInterval(timer);
    },
};
