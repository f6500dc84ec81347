/**
 * The zero-downtime probe: GETs the app's health URL every `intervalMs` (not waiting for answers,
 * so a slow or hung app cannot lower the rate) from before the update call until the rollout has
 * completed plus a settle period, so the whole cut-over window is covered.
 *
 * Downtime is measured per outage as "send time of the first failed request → send time of the
 * next successful one" (or the end of probing). Both ends are sampled once per interval, so the
 * figure is within one interval of the real outage; no failures means a longest gap of 0.
 * An outage already running at the first request (the app was down before the update, e.g.
 * the broken version a rollback replaces) is reported apart, not as the cut-over's gap.
 * When the body carries `version`, each answer keeps it, so the report shows which version
 * answered over time (start-first: both answer alternately for about 1 s, real-rollout-log §1.6).
 */
import { REAL_CLOCK, VerifyClock } from "./clock";
import { probeOnce } from "./health";

export interface ProbeOptions {
    /** Time between requests; 200 ms = 5 requests per second. */
    readonly intervalMs?: number;
    readonly requestTimeoutMs?: number;
    /** Paces the requests and stamps their send times (real time unless given; tests pass a virtual one). */
    readonly clock?: VerifyClock;
}

/** One request as the report plots it: send time relative to the probe's start. */
export interface ProbeRequest {
    readonly atMs: number;
    readonly ok: boolean;
    readonly version?: string;
    readonly reason?: string;
}

/** Which version answered, and when first and last (ms after the probe started). */
export interface VersionAnswers {
    readonly version: string;
    readonly count: number;
    readonly firstMs: number;
    readonly lastMs: number;
}

export interface ProbeReport {
    readonly sent: number;
    readonly failures: number;
    /** Longest outage that began while probing, ms (0 when nothing failed). */
    readonly longestGapMs: number;
    /** How long the app was already failing when probing started (0: it answered at once). */
    readonly alreadyDownMs: number;
    readonly durationMs: number;
    readonly intervalMs: number;
    /** First failure reasons (up to 3), for the message. */
    readonly samples: readonly string[];
    /** Wall-clock epoch ms of the first request (the report's time axis starts here). */
    readonly startedAt: number;
    readonly requests: readonly ProbeRequest[];
    /** Versions in order of first answer; empty when the body carries none. */
    readonly versions: readonly VersionAnswers[];
}

interface Sample {
    readonly sentAt: number;
    ok?: boolean;
    reason?: string;
    version?: string;
}

export class Probe {
    private readonly interval: number;
    private readonly timeout: number;
    private readonly samples: Sample[] = [];
    private readonly pending = new Set<Promise<void>>();
    private readonly abort = new AbortController();
    private readonly clock: VerifyClock;
    private stopTicking?: () => void;
    private startedAt = 0;
    private startedEpoch = 0;

    constructor(
        readonly url: string,
        opts: ProbeOptions = {},
    ) {
        this.interval = opts.intervalMs ?? 200;
        this.timeout = opts.requestTimeoutMs ?? 2000;
        this.clock = opts.clock ?? REAL_CLOCK;
    }

    get running(): boolean {
        return this.stopTicking !== undefined;
    }

    get intervalMs(): number {
        return this.interval;
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

    /** The version of the first successful answer (what ran before the update), once known. */
    get firstVersion(): string | undefined {
        return this.samples.find((s) => s.ok === true)?.version;
    }

    start(): this {
        if (this.stopTicking) return this;
        this.startedAt = this.clock.now();
        this.startedEpoch = Date.now();
        this.fire();
        this.stopTicking = this.clock.every(this.interval, () => this.fire());
        return this;
    }

    private fire(): void {
        const sample: Sample = { sentAt: this.clock.now() };
        this.samples.push(sample);
        const p = probeOnce(this.url, this.timeout, this.abort.signal, { readVersion: true }).then((r) => {
            // 5xx and no answer are outages; 4xx still means the app (not the proxy) answered.
            sample.ok = r.status !== undefined && r.status < 500;
            if (!sample.ok) sample.reason = r.status !== undefined ? `HTTP ${r.status}` : r.error;
            sample.version = r.version;
        });
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
    }

    /** Stops sending, lets requests in flight finish (each bounded by its timeout), and reports. */
    async stop(): Promise<ProbeReport> {
        this.stopTicking?.();
        this.stopTicking = undefined;
        const stoppedAt = this.clock.now();
        await Promise.all([...this.pending]);
        return summarise(this.samples, this.startedAt, stoppedAt, this.interval, this.startedEpoch);
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
    startedEpoch = 0,
): ProbeReport {
    const ordered = [...samples].sort((a, b) => a.sentAt - b.sentAt);
    let longest = 0;
    let alreadyDown = 0;
    let outageStart: number | undefined;
    const first = ordered[0];
    // The gap of an outage that began at the very first request belongs to the state before.
    const close = (end: number) => {
        if (outageStart === undefined) return;
        if (outageStart === first?.sentAt) alreadyDown = end - outageStart;
        else longest = Math.max(longest, end - outageStart);
    };
    const reasons: string[] = [];
    const versions = new Map<string, { count: number; firstMs: number; lastMs: number }>();
    const requests: ProbeRequest[] = [];
    for (const s of ordered) {
        const atMs = Math.round(s.sentAt - startedAt);
        requests.push({ atMs, ok: s.ok === true, version: s.version, reason: s.reason });
        if (s.ok) {
            close(s.sentAt);
            outageStart = undefined;
            if (s.version) {
                const v = versions.get(s.version);
                if (v) {
                    v.count++;
                    v.lastMs = atMs;
                } else versions.set(s.version, { count: 1, firstMs: atMs, lastMs: atMs });
            }
        } else {
            outageStart ??= s.sentAt;
            if (s.reason && reasons.length < 3 && !reasons.includes(s.reason)) reasons.push(s.reason);
        }
    }
    close(stoppedAt);
    return {
        sent: ordered.length,
        failures: ordered.filter((s) => !s.ok).length,
        longestGapMs: Math.round(longest),
        alreadyDownMs: Math.round(alreadyDown),
        durationMs: Math.round(stoppedAt - startedAt),
        intervalMs,
        samples: reasons,
        startedAt: startedEpoch,
        requests,
        versions: [...versions].map(([version, v]) => ({ version, ...v })),
    };
}

/** The cut-over as clients saw it: the old version's last answer and the new one's first. */
export interface CutOver {
    readonly oldVersion?: string;
    readonly newVersion?: string;
    readonly lastOldMs?: number;
    readonly firstNewMs?: number;
}

/**
 * `oldVersion`: what answered before the update (the probe's first answer). The new version is
 * `expected` when it answered, else the last other version that answered.
 */
export function cutOver(r: ProbeReport, oldVersion: string | undefined, expected: string): CutOver {
    const old = oldVersion ? r.versions.find((v) => v.version === oldVersion) : undefined;
    const others = r.versions.filter((v) => v.version !== oldVersion);
    const fresh = others.find((v) => v.version === expected) ?? others.at(-1);
    return {
        oldVersion,
        newVersion: fresh?.version,
        lastOldMs: fresh && old ? old.lastMs : undefined,
        firstNewMs: fresh?.firstMs,
    };
}

const secs = (ms: number) => `+${(ms / 1000).toFixed(1)} s`;

export function describeCutOver(c: CutOver): string | undefined {
    if (!c.newVersion) return c.oldVersion ? `only ${c.oldVersion} answered` : undefined;
    const first = c.firstNewMs !== undefined ? `first ${c.newVersion} ${secs(c.firstNewMs)}` : undefined;
    const last = c.oldVersion && c.lastOldMs !== undefined ? `last ${c.oldVersion} ${secs(c.lastOldMs)}` : undefined;
    return [first, last].filter(Boolean).join(", ");
}

export function describeProbe(r: ProbeReport): string {
    const before = r.alreadyDownMs ? `, already failing for the first ${r.alreadyDownMs} ms` : "";
    return `${r.sent} requests in ${(r.durationMs / 1000).toFixed(1)} s, ${r.failures} failed${before}, longest outage ${r.longestGapMs} ms (±${r.intervalMs} ms)`;
}
