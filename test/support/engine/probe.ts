/**
 * A client hammering the app through the proxy during a rollout, the way a user would: one GET
 * after another (100 ms apart, 2 s timeout each), recording status and the version that answered.
 */
export interface ProbeSample {
    readonly at: number;
    readonly status: number | "error";
    readonly version?: string;
    readonly detail?: string;
}

export interface Probe {
    /** Samples so far (live). */
    readonly samples: readonly ProbeSample[];
    /** Stops after the request in flight and resolves with every sample. */
    stop(): Promise<readonly ProbeSample[]>;
}

export function startProbe(url: string, intervalMs = 100): Probe {
    const samples: ProbeSample[] = [];
    let running = true;
    const loop = (async () => {
        while (running) {
            samples.push(await sample(url));
            if (running) await new Promise((resolve) => setTimeout(resolve, intervalMs));
        }
    })();
    return {
        samples,
        stop: async () => {
            running = false;
            await loop;
            return samples;
        },
    };
}

async function sample(url: string): Promise<ProbeSample> {
    const at = Date.now();
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        const text = await res.text();
        let version: string | undefined;
        try {
            const body = JSON.parse(text) as { version?: unknown };
            if (typeof body.version === "string") version = body.version;
        } catch {
            // not JSON (the proxy's 502 text): no version
        }
        return { at, status: res.status, version, detail: res.ok ? undefined : text.trim().slice(0, 200) };
    } catch (err) {
        return { at, status: "error", detail: err instanceof Error ? err.message : String(err) };
    }
}

/** Samples that a user would have seen fail: transport errors and any status >= 400. */
export function failures(samples: readonly ProbeSample[]): ProbeSample[] {
    return samples.filter((s) => s.status === "error" || s.status >= 400);
}
