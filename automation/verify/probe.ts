/**
 * The zero-downtime probe: GETs the app URL every `intervalMs` (not waiting for answers, so a
 * slow or hung app cannot lower the rate) from before the update until verification ends.
 *
 * Downtime is measured per outage as "send time of the first failed request → send time of the
 * next successful one" (or the end of probing). Both ends are sampled once per interval, so the
 * figure is within one interval of the real outage; no failures means a longest gap of 0.
 */
import { probeOnce } from "./health";

export interface ProbeOptions {
    /** Time between requests; 200 ms = 5 requests per second. */
    readonly intervalMs?: number;
    readonly requestTimeoutMs?: number;
}

export interface ProbeReport {
    readonly sent: number;
    readonly failures: number;
    /** Longest outage, ms (0 when nothing failed). */
    readonly longestGapMs: number;
    readonly durationMs: number;
    readonly intervalMs: number;
    /** First failure reasons (up to 3), for the message. */
    readonly samples: readonly string[];
}

interface Sample {
    readonly sentAt: number;
    ok?: boolean;
    reason?: string;
}

export class Probe {
    private readonly interval: number;
    private readonly timeout: number;
    private readonly samples: Sample[] = [];
    private readonly pending = new Set<Promise<void>>();
    private readonly abort = new AbortController();
    private timer?: NodeJS.Timeout;
    private startedAt = 0;

    constructor(
        readonly url: string,
        opts: ProbeOptions = {},
    ) {
        this.interval = opts.intervalMs ?? 200;
        this.timeout = opts.requestTimeoutMs ?? 2000;
    }

    get running(): boolean {
        return this.timer !== undefined;
    }

    /** How many requests have been answered so far (tests wait on this, never on time). */
    get answered(): { ok: number; failed: number } {
        let ok = 0,
            failed = 0;
        for (const s of this.samples)
            if (s.ok === true) ok++;
            else if (s.ok === false) failed++;
        return { ok, failed };
    }

    start(): this {
        if (this.timer) return this;
        this.startedAt = performance.now();
        this.fire();
        this.timer = setInterval(() => this.fire(), this.interval);
        return this;
    }

    private fire(): void {
        const sample: Sample = { sentAt: performance.now() };
        this.samples.push(sample);
        const p = probeOnce(this.url, this.timeout, this.abort.signal).then((r) => {
            // 5xx and no answer are outages; 4xx still means the app (not the proxy) answered.
            sample.ok = r.status !== undefined && r.status < 500;
            if (!sample.ok) sample.reason = r.status !== undefined ? `HTTP ${r.status}` : r.error;
        });
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
    }

    /** Stops sending, lets requests in flight finish (each bounded by its timeout), and reports. */
    async stop(): Promise<ProbeReport> {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
        const stoppedAt = performance.now();
        await Promise.all([...this.pending]);
        return summarise(this.samples, this.startedAt, stoppedAt, this.interval);
    }

    /** Ctrl-C: stop at once, abandoning requests in flight. */
    async cancel(): Promise<ProbeReport> {
        this.abort.abort();
        return this.stop();
    }
}

export function summarise(
    samples: readonly Sample[],
    startedAt: number,
    stoppedAt: number,
    intervalMs: number,
): ProbeReport {
    const ordered = [...samples].sort((a, b) => a.sentAt - b.sentAt);
    let longest = 0;
    let outageStart: number | undefined;
    const reasons: string[] = [];
    for (const s of ordered) {
        if (s.ok) {
            if (outageStart !== undefined) longest = Math.max(longest, s.sentAt - outageStart);
            outageStart = undefined;
        } else {
            outageStart ??= s.sentAt;
            if (s.reason && reasons.length < 3 && !reasons.includes(s.reason)) reasons.push(s.reason);
        }
    }
    if (outageStart !== undefined) longest = Math.max(longest, stoppedAt - outageStart);
    return {
        sent: ordered.length,
        failures: ordered.filter((s) => !s.ok).length,
        longestGapMs: Math.round(longest),
        durationMs: Math.round(stoppedAt - startedAt),
        intervalMs,
        samples: reasons,
    };
}

export function describeProbe(r: ProbeReport): string {
    return `${r.sent} requests in ${(r.durationMs / 1000).toFixed(1)} s, ${r.failures} failed, longest outage ${r.longestGapMs} ms (±${r.intervalMs} ms)`;
}
