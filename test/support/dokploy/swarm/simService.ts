// One simulated swarm service: create, rolling update, failure action, rollback, scale, remove.
// Copies swarmkit's behaviour as recorded in real-rollout-log.md:
// - Create: one task per replica at once; no UpdateStatus ("created, no UpdateStatus", §2).
// - Update (every Dokploy deploy, since ForceUpdate changes): Parallelism slots at a time; with
//   start-first the new task must reach running (healthy) before the old one is told to shut
//   down (§1.3, §1.5); Delay after each batch, then Monitor → "completed" (§1.3: new-running +
//   Delay + Monitor; 2 replicas: slot 2 replaced 10 s after slot 1, §1.6).
// - A failed new task: restart policy replacement after 5 s (swarm default, Dokploy sets none,
//   §8); FailureAction "rollback" → rollback_started ≈ Delay after the failure with 1 replica,
//   0.25 s with more (§1.4, swarmkit updater.go); "pause" → "paused".
// - Rollback: Spec ← previous spec, PreviousSpec = null; tasks of the bad spec shut down; old
//   tasks that still run are reused; rollback_completed = rollback Delay + Monitor later (exactly
//   15 s with 5 + 10, §8).
// - Swarm keeps 5 tasks per slot (TaskHistoryRetentionLimit default), older ones and their
//   containers are removed.
import type { SimClock } from "./clock";
import { rfc3339, swarmId } from "./dockerText";
import type { ServiceSpec, UpdateConfig, UpdateStatus } from "./model";
import type { ImageBehaviour } from "./simContainer";
import { SimTask } from "./simTask";

const NS_PER_MS = 1e6;
const HISTORY_PER_SLOT = 5;
const RESTART_DELAY_MS = 5000;
const MULTI_REPLICA_REACTION_MS = 250;

interface Cfg {
    parallelism: number;
    delay: number;
    monitor: number;
    failureAction: string;
    order: string;
}

/** Docker's defaults for an unset UpdateConfig/RollbackConfig field. */
function cfgOf(c: UpdateConfig | undefined): Cfg {
    return {
        parallelism: c?.Parallelism ?? 1,
        delay: (c?.Delay ?? 0) / NS_PER_MS,
        monitor: (c?.Monitor || 5e9) / NS_PER_MS,
        failureAction: c?.FailureAction ?? "pause",
        order: c?.Order ?? "stop-first",
    };
}

function templateKey(spec: ServiceSpec): string {
    return JSON.stringify(spec.TaskTemplate);
}

export class SimService {
    readonly id = swarmId();
    readonly createdAt: number;
    spec: ServiceSpec;
    previousSpec: ServiceSpec | undefined;
    updateStatus: UpdateStatus | undefined;
    tasks: SimTask[] = [];
    private templateId = 0;
    private previousTemplateId: number | undefined;
    /** Bumped by every update, rollback, scale and removal: stale callbacks check it and stop. */
    private gen = 0;
    private cancels: (() => void)[] = [];

    constructor(
        private readonly clock: SimClock,
        spec: ServiceSpec,
        private readonly behaviour: (image: string) => ImageBehaviour,
        private readonly onContainerGone: (containerId: string) => void,
    ) {
        this.createdAt = clock.now();
        this.spec = spec;
        for (let slot = 1; slot <= this.replicas; slot++) this.startTask(slot, this.gen);
    }

    get replicas(): number {
        return this.spec.Mode.Replicated.Replicas;
    }

    private later(ms: number, fn: () => void): void {
        this.cancels.push(this.clock.after(ms, fn));
    }

    /** Swarm's default restart policy (Dokploy sets none): any exit, 5 s delay; Condition "none" never restarts. */
    private restartDelay(): number | undefined {
        const rp = this.spec.TaskTemplate.RestartPolicy;
        const o = typeof rp === "object" && rp !== null && !Array.isArray(rp) ? rp : {};
        if (o.Condition === "none") return undefined;
        return typeof o.Delay === "number" ? o.Delay / NS_PER_MS : RESTART_DELAY_MS;
    }

    private activeTasks(slot: number): SimTask[] {
        return this.tasks.filter((t) => t.slot === slot && t.active);
    }

    /** A task of the current template for `slot`; failures are replaced by the restart policy. */
    private startTask(slot: number, gen: number, delayMs = 0, onRunning?: () => void): SimTask {
        const task: SimTask = new SimTask(
            this.clock,
            this.spec.Name,
            this.id,
            slot,
            this.spec,
            this.templateId,
            this.behaviour(this.spec.TaskTemplate.ContainerSpec.Image),
            {
                onRunning: () => {
                    if (gen === this.gen) onRunning?.();
                },
                onFailed: (failed) => {
                    if (gen !== this.gen || failed.templateId !== this.templateId) return;
                    this.onTaskFailed(failed, gen);
                    const delay = this.restartDelay();
                    if (delay !== undefined) this.startTask(slot, gen, delay, onRunning);
                },
            },
        );
        this.tasks.push(task);
        this.prune(slot);
        task.launch(delayMs);
        return task;
    }

    private prune(slot: number): void {
        const inSlot = this.tasks.filter((t) => t.slot === slot);
        const old = inSlot.filter((t) => !t.active).slice(0, Math.max(0, inSlot.length - HISTORY_PER_SLOT));
        for (const t of old) {
            t.forget();
            if (t.container) this.onContainerGone(t.container.id);
        }
        this.tasks = this.tasks.filter((t) => !old.includes(t));
    }

    /** A new spec (Dokploy's service.update). Rolls the tasks when the task template changed. */
    update(spec: ServiceSpec): void {
        const rolling = templateKey(spec) !== templateKey(this.spec);
        this.gen++;
        for (const cancel of this.cancels) cancel();
        this.cancels = [];
        this.previousSpec = this.spec;
        this.spec = spec;
        if (!rolling) return this.reconcile();
        this.previousTemplateId = this.templateId;
        this.templateId++;
        this.updateStatus = { State: "updating", StartedAt: rfc3339(this.clock.now()), Message: "update in progress" };
        this.rollSlots(1, this.gen, cfgOf(spec.UpdateConfig));
    }

    private rollSlots(first: number, gen: number, cfg: Cfg): void {
        if (gen !== this.gen) return;
        if (first > this.replicas) {
            this.later(cfg.monitor, () => {
                if (gen !== this.gen || this.updateStatus?.State !== "updating") return;
                this.updateStatus = {
                    ...this.updateStatus,
                    State: "completed",
                    CompletedAt: rfc3339(this.clock.now()),
                    Message: "update completed",
                };
            });
            return;
        }
        const last = Math.min(this.replicas, first + Math.max(1, cfg.parallelism) - 1);
        let pending = last - first + 1;
        const batchDone = (): void => {
            if (--pending === 0) this.later(cfg.delay, () => this.rollSlots(last + 1, gen, cfg));
        };
        for (let slot = first; slot <= last; slot++) this.replaceSlot(slot, gen, cfg.order, batchDone);
    }

    private replaceSlot(slot: number, gen: number, order: string, done: () => void): void {
        const old = this.activeTasks(slot);
        const current = old.filter((t) => t.templateId === this.templateId && t.state === "running");
        if (current.length > 0) return done(); // reused (e.g. the old task during a rollback)
        // Tasks that never got to run (a starting task of an aborted update) are not worth keeping.
        for (const t of old) if (t.state !== "running") t.shutdown();
        const running = old.filter((t) => t.state === "running");
        if (order === "start-first") {
            this.startTask(slot, gen, 0, () => {
                for (const t of running) t.shutdown();
                done();
            });
            return;
        }
        for (const t of running) t.shutdown();
        this.later(running.length > 0 ? 3200 : 0, () => {
            if (gen === this.gen) this.startTask(slot, gen, 0, done);
        });
    }

    private onTaskFailed(task: SimTask, gen: number): void {
        const state = this.updateStatus?.State;
        if (state !== "updating") return;
        const cfg = cfgOf(this.spec.UpdateConfig);
        if (cfg.failureAction === "continue") return;
        const reaction =
            this.replicas === 1 ? Math.max(cfg.delay, MULTI_REPLICA_REACTION_MS) : MULTI_REPLICA_REACTION_MS;
        const fullId = task.id;
        this.later(reaction, () => {
            if (gen !== this.gen || this.updateStatus?.State !== "updating") return;
            if (cfg.failureAction === "pause" || !this.previousSpec) {
                this.updateStatus = {
                    ...this.updateStatus,
                    State: "paused",
                    Message: `update paused due to failure or early termination of task ${fullId}`,
                };
                return;
            }
            this.rollback(fullId);
        });
    }

    private rollback(taskId: string): void {
        const restored = this.previousSpec!;
        this.gen++;
        const gen = this.gen;
        for (const cancel of this.cancels) cancel();
        this.cancels = [];
        this.spec = restored;
        this.previousSpec = undefined;
        this.templateId = this.previousTemplateId ?? this.templateId;
        this.updateStatus = {
            State: "rollback_started",
            StartedAt: rfc3339(this.clock.now()),
            Message: `update rolled back due to failure or early termination of task ${taskId}`,
        };
        for (const t of this.tasks) if (t.active && t.templateId !== this.templateId) t.shutdown();
        const cfg = cfgOf(restored.RollbackConfig);
        const finish = (): void =>
            this.later(cfg.delay + cfg.monitor, () => {
                if (gen !== this.gen) return;
                this.updateStatus = {
                    ...this.updateStatus!,
                    State: "rollback_completed",
                    CompletedAt: rfc3339(this.clock.now()),
                    Message: "rollback completed",
                };
            });
        let pending = this.replicas;
        for (let slot = 1; slot <= this.replicas; slot++) {
            const reused = this.activeTasks(slot).some((t) => t.templateId === this.templateId);
            if (reused) {
                if (--pending === 0) finish();
            } else {
                this.startTask(slot, gen, 3200, () => {
                    if (--pending === 0) finish();
                });
            }
        }
    }

    /** Replicas changed without a new task template (`docker service scale`). */
    private reconcile(): void {
        const gen = this.gen;
        for (let slot = 1; slot <= this.replicas; slot++) {
            if (this.activeTasks(slot).length === 0) this.startTask(slot, gen);
        }
        for (const t of this.tasks) if (t.active && t.slot > this.replicas) t.shutdown();
    }

    scale(replicas: number): void {
        this.update({ ...this.spec, Mode: { Replicated: { Replicas: replicas } } });
    }

    /** `docker service rm`: the service is gone at once; its containers stop ≈ 3 s later (§6), then go. */
    remove(): void {
        this.gen++;
        for (const cancel of this.cancels) cancel();
        for (const t of this.tasks) {
            t.shutdown();
            const container = t.container;
            this.clock.after(3500, () => {
                t.forget();
                if (container) this.onContainerGone(container.id);
            });
        }
    }

    runningCount(): number {
        return this.tasks.filter((t) => t.desired === "running" && t.state === "running").length;
    }
}
