/** Bounded polling: tests wait for a condition with a deadline, never for a guessed time. */

export interface WaitOptions {
    /** Give up after this long. */
    readonly deadlineMs: number;
    /** What is awaited, for the error message ("service engine-a to reach completed"). */
    readonly what: string;
    /** Pause between polls; default 200 ms. */
    readonly intervalMs?: number;
}

/**
 * Polls `condition` until it returns a value other than undefined/false/null and resolves with it.
 * A throwing poll counts as "not yet". On the deadline, rejects naming `what` and the last
 * error or value seen, so a failure says where it stuck.
 */
export async function waitFor<T>(
    condition: () => Promise<T | undefined | null | false> | T | undefined | null | false,
    options: WaitOptions,
): Promise<T> {
    const deadline = Date.now() + options.deadlineMs;
    let last = "nothing yet";
    for (;;) {
        try {
            const value = await condition();
            if (value !== undefined && value !== null && value !== false) return value;
            last = `last value ${String(value)}`;
        } catch (err) {
            last = `last error: ${err instanceof Error ? err.message : String(err)}`;
        }
        if (Date.now() >= deadline) {
            throw new Error(`timed out after ${options.deadlineMs} ms waiting for ${options.what} (${last})`);
        }
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
}
