/**
 * How long a rollout may take, derived from the app's Swarm settings, with the derivation in
 * words for messages. Per batch of `parallelism` replicas a new task may need the start period
 * plus `retries` probe intervals (+ one timeout) to turn healthy or unhealthy (Docker 20.10 runs
 * the first probe only after one interval, real-rollout-log §1.3), then Swarm waits `delay`;
 * after the last batch it monitors for `monitor`. A rollback is seen within the same bound
 * (§1.4: failure + delay, then rollback delay + monitor, well under a batch). A margin covers
 * image pulls and polling.
 */
import { RolloutSettings } from "../components/dokploy/rollout/types";

export interface Deadline {
    readonly ms: number;
    readonly text: string;
}

const MARGIN_MS = 30_000;
const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function rolloutDeadline(settings: RolloutSettings, marginMs = MARGIN_MS): Deadline {
    const { health, update } = settings;
    const batches = Math.max(1, Math.ceil(settings.replicas / Math.max(1, update.parallelism || settings.replicas)));
    const perBatch =
        health.startPeriodMs + health.intervalMs * Math.max(1, health.retries) + health.timeoutMs + update.delayMs;
    const ms = batches * perBatch + update.monitorMs + marginMs;
    return {
        ms,
        text:
            `${s(ms)} = ${batches} batch${batches > 1 ? "es" : ""} × (start period ${s(health.startPeriodMs)}` +
            ` + ${health.retries} × ${s(health.intervalMs)} interval + ${s(health.timeoutMs)} timeout` +
            ` + ${s(update.delayMs)} delay) + ${s(update.monitorMs)} monitor + ${s(marginMs)} margin`,
    };
}
