/**
 * A simulated Swarm for the in-memory engine: each `up` starts a rollout that goes through the
 * states a real one does, on a scaled clock (`msPerSecond` real ms per simulated second), and
 * a memory RolloutWatch reports them. What answers the app's health URL follows the rollout, so
 * verification cannot pass before the rollout ends.
 *
 * Copied from shared/dokploy/real-rollout-log.md, short health check (interval 2 s, start period
 * 5 s, retries 2; update delay 10 s, monitor 10 s), 1 replica, v0.25.6:
 * - good (§1.3, §1.6, §2 "a-v1-to-v2"): new task started +0.7 s, healthy +2.8 s; old and new
 *   answer alternately until the old task leaves DNS ≈ 1.1 s later; the old task gets SIGTERM
 *   ≈ 2 s after that; `completed` = healthy + delay + monitor (+22.8 s).
 * - bad (§1.4, §1.5, §2 "b-v2-to-bad"): unhealthy +9.4 s, task failed +11.4 s with Swarm's error
 *   "task: non-zero exit (143): dockerexec: unhealthy container", rollback_started +21.7 s,
 *   rollback_completed +36.7 s; only the old version ever answers.
 * - first deployment (§2 "0-initial-v1"): nothing answers (502) until the first task is healthy
 *   (+2.8 s); a created service has no UpdateStatus, so healthy is the end.
 * - slow beyond the deadline: healthy only after the deadline (the watch gives up first).
 *
 * The steps (and the deadline, a step of its own) fire one after another, each its scaled delay
 * after the one before, so a loaded machine can stretch a rollout but never reorder it. What the
 * tests check needs the order of the states, not their length, except for one thing a real probe
 * sees because the states last seconds: the old version answers alone for 2.8 s (§1.6), ~14
 * intervals of the 200 ms probe, before the new task is healthy. So the step that first changes
 * what answers waits, besides its delay, until the health URL has answered once since the update
 * began (`askedBefore`): the probe, started before the update call, sees the old version first
 * however short the scale and however loaded the machine.
 */
import { EnvironmentName } from "../../components/config";
import { RolloutEvent, RolloutResult, RolloutSettings } from "../../components/dokploy/rollout/types";
import { RolloutWatch, WatchRequest } from "../../automation/rollout";
import { rolloutDeadline } from "../../components/dokploy/rollout";

export const SHORT_SETTINGS: RolloutSettings = {
    replicas: 1,
    health: { intervalMs: 2000, timeoutMs: 2000, startPeriodMs: 5000, retries: 2 },
    update: { parallelism: 1, delayMs: 10_000, monitorMs: 10_000, order: "start-first", failureAction: "rollback" },
};

export const UNHEALTHY_REASON = "task: non-zero exit (143): dockerexec: unhealthy container";

export type RolloutKind = "good" | "bad" | "slow";

const NO_ROLLOUT_MS = 5000;

/**
 * Longest real wait for the health URL to answer before a held step fires anyway: only a swarm
 * whose app nobody asks (an `up` without promotion's probe) gets there, and it still completes.
 */
const NO_OBSERVER_MS = 2000;

interface Step {
    readonly atS: number;
    readonly kind?: RolloutEvent["kind"];
    readonly detail?: string;
    /** What answers the health URL from this step on. */
    readonly answering?: readonly string[];
    readonly outcome?: RolloutResult["outcome"];
    /** Fires only once the health URL answered after the update was submitted (see above). */
    readonly afterAnswer?: boolean;
    /** The rollout's deadline (the watch gives up), on the same clock as the steps. */
    readonly deadline?: boolean;
}

function script(kind: RolloutKind, from: string | undefined, to: string, image: (v: string) => string): Step[] {
    const start: Step[] = [
        { atS: 0, kind: "submitted", detail: image(to) },
        { atS: 0.7, kind: "task_started", detail: `task of ${image(to)}` },
    ];
    if (!from) return [...start, { atS: 2.8, kind: "task_healthy", answering: [to], outcome: "completed" }];
    if (kind === "bad")
        return [
            ...start,
            { atS: 9.4, kind: "task_unhealthy", detail: "wget: server returned error: HTTP/1.1 500" },
            { atS: 11.4, kind: "task_failed", detail: UNHEALTHY_REASON },
            { atS: 21.7, kind: "rollback_started", detail: `back to ${image(from)}` },
            { atS: 36.7, kind: "rolled_back", outcome: "rolled_back" },
        ];
    if (kind === "slow") return [...start, { atS: 10_000, kind: "task_healthy", answering: [to] }];
    return [
        ...start,
        { atS: 2.8, kind: "task_healthy", answering: [from, to], afterAnswer: true },
        { atS: 3.9, answering: [to] },
        { atS: 5.9, kind: "old_task_stopped", detail: `exit 143, ${image(from)}` },
        { atS: 22.8, kind: "completed", outcome: "completed" },
    ];
}

export class SimulatedRollout {
    readonly events: RolloutEvent[] = [];
    outcome?: RolloutResult["outcome"];
    endedAt?: number;
    private readonly listeners = new Set<() => void>();
    readonly onEvent = new Set<(e: RolloutEvent) => void>();
    /**
     * How many times the health URL had been asked when this update began: at its submission, or
     * earlier when a watch was already waiting for it (promotion asks for the watch right after
     * starting its probe, before the update call). Answers after that are this update's.
     */
    askedBefore = 0;

    constructor(
        readonly env: EnvironmentName,
        readonly version: string,
        readonly startedAt: number,
        readonly fromImage: string | undefined,
        readonly toImage: string,
    ) {}

    emit(e: RolloutEvent | undefined, outcome?: RolloutResult["outcome"]): void {
        if (e) {
            this.events.push(e);
            for (const l of this.onEvent) l(e);
        }
        if (outcome) {
            this.outcome = outcome;
            this.endedAt = Date.now();
        }
        for (const l of this.listeners) l();
    }

    /** Set by the simulated clock when the rollout's deadline passed (so load cannot reorder it). */
    deadlinePassed = false;

    passDeadline(): void {
        this.deadlinePassed = true;
        for (const l of this.listeners) l();
    }

    /** Resolves when the outcome is known, or when the deadline passed on the same clock. */
    settled(signal?: AbortSignal): Promise<"ended" | "deadline"> {
        return new Promise((resolve, reject) => {
            const done = (why: "ended" | "deadline" | "aborted") => {
                this.listeners.delete(check);
                signal?.removeEventListener("abort", abort);
                if (why === "aborted") reject(new Error("rollout watch aborted"));
                else resolve(why);
            };
            const check = () => {
                if (this.outcome) done("ended");
                else if (this.deadlinePassed) done("deadline");
            };
            const abort = () => done("aborted");
            this.listeners.add(check);
            signal?.addEventListener("abort", abort, { once: true });
            if (signal?.aborted) abort();
            check();
        });
    }
}

export class MemorySwarm {
    readonly rollouts: SimulatedRollout[] = [];
    /** Versions whose containers fail their health check, and ones that turn healthy too late. */
    readonly bad = new Set<string>();
    readonly slow = new Set<string>();
    /** Every observable step in order, for order assertions ("verified after completed"). */
    readonly log: string[] = [];
    private readonly answering = new Map<EnvironmentName, readonly string[]>();
    private readonly images = new Map<EnvironmentName, string>();
    private readonly timers = new Set<NodeJS.Timeout>();
    private readonly turns = new Set<NodeJS.Immediate>();
    private readonly started = new Set<() => void>();
    /** How often each environment's health URL was asked, and who waits for the next answer. */
    private readonly asked = new Map<EnvironmentName, number>();
    private readonly askWaiters = new Set<() => void>();
    /** Called after every step with its log line (`<env> <version> <kind>`), e.g. to press Ctrl-C at one. */
    readonly onStep = new Set<(line: string) => void>();
    private turn = 0;

    constructor(
        readonly o: {
            msPerSecond: number;
            settings?: RolloutSettings;
            image: (env: EnvironmentName, v: string) => string;
        },
    ) {}

    get settings(): RolloutSettings {
        return this.o.settings ?? SHORT_SETTINGS;
    }

    /** The version answering the health URL now (alternating while both tasks are in DNS); undefined = 502. */
    answer(env: EnvironmentName): string | undefined {
        const a = this.answering.get(env);
        const version = a?.length ? a[this.turn++ % a.length] : undefined;
        this.asked.set(env, (this.asked.get(env) ?? 0) + 1);
        for (const w of [...this.askWaiters]) w();
        return version;
    }

    servingImage(env: EnvironmentName): string | undefined {
        return this.images.get(env);
    }

    /** Starts a rollout of `version` in `env` and returns it (its steps fire on the scaled clock). */
    start(env: EnvironmentName, version: string): SimulatedRollout {
        const from = this.answering.get(env)?.at(-1);
        const fromImage = this.images.get(env);
        const toImage = this.o.image(env, version);
        const r = new SimulatedRollout(env, version, Date.now(), fromImage, toImage);
        this.rollouts.push(r);
        const kind: RolloutKind = this.bad.has(version) ? "bad" : this.slow.has(version) ? "slow" : "good";
        r.askedBefore = this.asked.get(env) ?? 0;
        // The deadline is a step on the same clock, ordered with the others (sort is stable).
        const steps = [
            ...script(kind, from, version, (v) => this.o.image(env, v)),
            { atS: rolloutDeadline(this.settings).ms / 1000, deadline: true },
        ].sort((a, b) => a.atS - b.atS);
        const fire = (step: Step) => {
            if (step.deadline) return r.passDeadline();
            if (step.answering) this.answering.set(env, step.answering);
            if (step.outcome === "completed") this.images.set(env, toImage);
            if (step.kind) this.log.push(`${env} ${version} ${step.kind}`);
            r.emit(step.kind ? { at: Date.now(), kind: step.kind, detail: step.detail } : undefined, step.outcome);
            if (step.kind) for (const l of this.onStep) l(`${env} ${version} ${step.kind}`);
        };
        const next = (i: number) => {
            const step = steps[i];
            if (!step) return;
            this.after((step.atS - (steps[i - 1]?.atS ?? 0)) * this.o.msPerSecond, () => {
                const go = () => {
                    fire(step);
                    next(i + 1);
                };
                if (step.afterAnswer) this.onceAsked(env, r.askedBefore, go);
                else go();
            });
        };
        next(0);
        for (const l of this.started) l();
        return r;
    }

    /** Runs `run` after `ms`; below Node's 1 ms timer floor, on the event loop's next turn. */
    private after(ms: number, run: () => void): void {
        if (ms < 1) {
            const turn = setImmediate(() => {
                this.turns.delete(turn);
                run();
            });
            this.turns.add(turn);
            return;
        }
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            run();
        }, ms);
        this.timers.add(timer);
    }

    /** Runs `go` (on a timer of its own) once `env`'s health URL was asked more than `count` times. */
    private onceAsked(env: EnvironmentName, count: number, go: () => void): void {
        if ((this.asked.get(env) ?? 0) > count) return go();
        const done = () => {
            this.askWaiters.delete(check);
            clearTimeout(fallback);
            this.timers.delete(fallback);
            this.after(0, go);
        };
        const check = () => {
            if ((this.asked.get(env) ?? 0) > count) done();
        };
        const fallback = setTimeout(done, NO_OBSERVER_MS);
        this.timers.add(fallback);
        this.askWaiters.add(check);
    }

    /** The memory RolloutWatch: waits for the rollout started at or after `since`, then for its end. */
    readonly watch: RolloutWatch = {
        baseline: async (env, _appName, o) => {
            const image = this.images.get(env);
            return image && !o?.stoppedOnly ? [`container-of-${image}`] : [];
        },
        watch: async (env, req: WatchRequest): Promise<RolloutResult> => {
            const deadline = rolloutDeadline(this.settings);
            // The watcher's "create" rules with an empty baseline: with no rollout coming, judge what runs now.
            const steady = req.firstDeploy === true && req.baseline !== undefined;
            const asked = this.asked.get(env) ?? 0;
            const rollout = steady
                ? this.rollouts.find((r) => r.env === env && r.startedAt >= req.since)
                : await this.rolloutSince(env, req.since, asked, req.signal);
            if (steady && !rollout) {
                const image = this.images.get(env);
                const ok = image === req.expectedImage;
                return {
                    outcome: ok ? "completed" : "deadline",
                    servingImage: image,
                    reason: ok ? undefined : `the service runs ${image ?? "nothing"}`,
                    events: [{ at: Date.now(), kind: ok ? "completed" : "deadline" }],
                    deadlineMs: this.deadlineMs,
                    deadlineText: `${deadline.text} (simulated: 1 s = ${this.o.msPerSecond} ms)`,
                    calls: 0,
                    startedAt: req.since,
                    endedAt: Date.now(),
                };
            }
            const forward = (e: RolloutEvent) => req.onEvent?.(e);
            for (const e of rollout?.events ?? []) forward(e);
            rollout?.onEvent.add(forward);
            const ended = rollout
                ? await rollout.settled(req.signal).finally(() => rollout.onEvent.delete(forward))
                : "deadline";
            const outcome = ended === "ended" && rollout?.outcome ? rollout.outcome : "deadline";
            const events = [...(rollout?.events ?? [])];
            if (outcome === "deadline") events.push({ at: Date.now(), kind: "deadline" });
            return {
                outcome,
                servingImage: this.images.get(env),
                reason: outcome === "rolled_back" ? UNHEALTHY_REASON : undefined,
                events,
                deadlineMs: this.deadlineMs,
                deadlineText: `${deadline.text} (simulated: 1 s = ${this.o.msPerSecond} ms)`,
                calls: 0,
                startedAt: req.since,
                endedAt: Date.now(),
            };
        },
    };

    /** The deadline in real ms on the scaled clock. */
    get deadlineMs(): number {
        return rolloutDeadline(this.settings).ms * (this.o.msPerSecond / 1000);
    }

    /**
     * The rollout started at or after `since`; waits for it while the update is being submitted.
     * No rollout within NO_ROLLOUT_MS (real time, generous for a loaded machine) = none came.
     */
    private async rolloutSince(
        env: EnvironmentName,
        since: number,
        asked: number,
        signal?: AbortSignal,
    ): Promise<SimulatedRollout | undefined> {
        const find = () => {
            const r = this.rollouts.find((x) => x.env === env && x.startedAt >= since);
            if (r) r.askedBefore = Math.min(r.askedBefore, asked);
            return r;
        };
        const existing = find();
        if (existing) return existing;
        return new Promise((resolve, reject) => {
            const done = () => {
                clearTimeout(timer);
                this.started.delete(check);
                signal?.removeEventListener("abort", abort);
            };
            const check = () => {
                const r = find();
                if (r) {
                    done();
                    resolve(r);
                }
            };
            const abort = () => {
                done();
                reject(new Error("rollout watch aborted"));
            };
            const timer = setTimeout(() => {
                done();
                resolve(undefined);
            }, NO_ROLLOUT_MS);
            this.started.add(check);
            signal?.addEventListener("abort", abort, { once: true });
        });
    }

    dispose(): void {
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
        for (const t of this.turns) clearImmediate(t);
        this.turns.clear();
        this.askWaiters.clear();
    }
}
