// The simulated swarm's clock. Simulated time starts at the wall clock when the fake starts and
// then runs 1/timeScale times faster than real time (timeScale = real ms per simulated ms;
// default 0.005, so a guide-settings rollback of 148 s takes 0.74 s), or moves only when a test
// calls advance() ("manual"). Every timestamp the fake shows about
// the swarm and its deployment rows comes from this clock, so they stay consistent with each
// other, and tests never wait a guessed amount of real time.

export type ClockMode = { kind: "scaled"; timeScale: number } | { kind: "manual" };

interface Timer {
    due: number;
    seq: number;
    fn: () => void;
}

export class SimClock {
    private simNow: number;
    private readonly realStart: number;
    private readonly simStart: number;
    private queue: Timer[] = [];
    private seq = 0;
    private real: NodeJS.Timeout | undefined;
    private closed = false;
    private running = false;
    /** Pending sleep() promises: close() resolves them, so nothing waits on a stopped clock. */
    private readonly sleepers = new Set<() => void>();

    constructor(readonly mode: ClockMode) {
        this.realStart = Date.now();
        this.simStart = this.realStart;
        this.simNow = this.simStart;
    }

    /** Real milliseconds per simulated millisecond (1 for manual mode, where time only moves on advance()). */
    get timeScale(): number {
        return this.mode.kind === "scaled" ? this.mode.timeScale : 1;
    }

    /** Simulated epoch milliseconds. In scaled mode this follows the wall clock, sped up. */
    now(): number {
        if (this.mode.kind === "scaled" && !this.running) this.advanceTo(this.derivedNow());
        return this.simNow;
    }

    /** Runs `fn` after `delayMs` of simulated time. Returns a cancel function. */
    after(delayMs: number, fn: () => void): () => void {
        const timer: Timer = { due: this.now() + Math.max(0, delayMs), seq: this.seq++, fn };
        this.queue.push(timer);
        this.queue.sort((a, b) => a.due - b.due || a.seq - b.seq);
        this.arm();
        return () => {
            this.queue = this.queue.filter((t) => t !== timer);
        };
    }

    /** Resolves after `ms` of simulated time (a watcher's injectable sleep; manual mode: on advance()). */
    sleep(ms: number): Promise<void> {
        return new Promise((resolve) => {
            if (this.closed) return resolve();
            this.sleepers.add(resolve);
            this.after(ms, () => {
                this.sleepers.delete(resolve);
                resolve();
            });
        });
    }

    /** Manual mode: moves simulated time forward by `ms`, running every timer that falls due. */
    advance(ms: number): void {
        this.advanceTo(this.simNow + ms);
    }

    /** Runs timers due before `deadline` (bounded: a timer chain cannot loop forever). */
    private advanceTo(target: number): void {
        if (this.running) return;
        this.running = true;
        try {
            for (let i = 0; i < 100_000 && !this.closed; i++) {
                const next = this.queue[0];
                if (!next || next.due > target) break;
                this.queue.shift();
                this.simNow = Math.max(this.simNow, next.due);
                next.fn();
            }
            this.simNow = Math.max(this.simNow, target);
        } finally {
            this.running = false;
        }
        this.arm();
    }

    private derivedNow(): number {
        return this.simStart + (Date.now() - this.realStart) / this.timeScale;
    }

    /** Scaled mode: one real timer for the earliest simulated timer. */
    private arm(): void {
        if (this.mode.kind !== "scaled" || this.closed || this.running) return;
        if (this.real) clearTimeout(this.real);
        this.real = undefined;
        const next = this.queue[0];
        if (!next) return;
        const realDelay = Math.max(0, (next.due - this.derivedNow()) * this.timeScale);
        this.real = setTimeout(() => {
            this.real = undefined;
            this.advanceTo(this.derivedNow());
        }, Math.ceil(realDelay));
    }

    close(): void {
        this.closed = true;
        if (this.real) clearTimeout(this.real);
        this.queue = [];
        for (const wake of this.sleepers) wake();
        this.sleepers.clear();
    }
}
