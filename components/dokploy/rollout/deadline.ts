/**
 * How long a rollout may take, derived from the app's own settings, with a text naming the parts
 * (shown in messages, so a user sees which setting to change). Per batch of `parallelism` tasks,
 * Docker 20.10 gives a task until its first passing probe: the first probe runs after Interval,
 * failures inside StartPeriod do not count, and Retries failures make it unhealthy (log §1.3,
 * §1.4); then Swarm waits Delay before the next batch, and Monitor after the last one
 * (completed = last task running + Delay + Monitor, log §1.3).
 */
import { RolloutSettings } from "./types";

/** Time to pull the image on the node and start the container (not covered by the settings). */
export const PULL_MARGIN_MS = 60_000;
/** Old task leaving DNS and being stopped, and the watcher's last poll (log §2: ≈ 3 s). */
export const SETTLE_MARGIN_MS = 10_000;

export interface RolloutDeadline {
    readonly ms: number;
    readonly text: string;
}

const s = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

export function rolloutDeadline(settings: RolloutSettings): RolloutDeadline {
    const h = settings.health;
    const u = settings.update;
    const replicas = Math.max(1, settings.replicas);
    const batches = u.parallelism > 0 ? Math.ceil(replicas / u.parallelism) : 1;
    const taskMs = h.startPeriodMs + h.intervalMs * (h.retries + 1) + h.timeoutMs;
    const batchMs = taskMs + u.delayMs;
    const ms = PULL_MARGIN_MS + batches * batchMs + u.monitorMs + SETTLE_MARGIN_MS;
    const text =
        `${s(ms)} = pull ${s(PULL_MARGIN_MS)} + ${batches} batch${batches === 1 ? "" : "es"} × ` +
        `(start period ${s(h.startPeriodMs)} + interval ${s(h.intervalMs)} × (retries ${h.retries} + 1) + ` +
        `timeout ${s(h.timeoutMs)} + delay ${s(u.delayMs)}) + monitor ${s(u.monitorMs)} + settle ${s(SETTLE_MARGIN_MS)}`;
    return { ms, text };
}
