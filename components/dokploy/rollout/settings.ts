/**
 * RolloutSettings from what Dokploy stores for an application (healthCheckSwarm,
 * updateConfigSwarm in nanoseconds, replicas/modeSwarm), with Docker's defaults for what is
 * missing: a null updateConfigSwarm means Docker's own (parallelism 1, delay 0, pause, monitor
 * 5 s, stop-first), a null health check means the image's (unknown here: treated as none).
 */
import { effectiveReplicas } from "../swarm";
import { DokployApplicationRow, isRecord } from "../types";
import { RolloutSettings } from "./types";

const nsToMs = (v: unknown, def: number): number =>
    typeof v === "number" && Number.isFinite(v) ? Math.round(v / 1e6) : def;

export function settingsFromApplication(
    app: Pick<DokployApplicationRow, "replicas" | "modeSwarm" | "healthCheckSwarm" | "updateConfigSwarm">,
): RolloutSettings {
    const h = isRecord(app.healthCheckSwarm) ? app.healthCheckSwarm : {};
    const u = isRecord(app.updateConfigSwarm) ? app.updateConfigSwarm : {};
    const fa = u.FailureAction;
    const test = Array.isArray(h.Test) ? h.Test : [];
    const hasCheck = test.length > 0 && test[0] !== "NONE";
    return {
        replicas: effectiveReplicas(app.replicas, app.modeSwarm) ?? 1,
        health: {
            // Docker's defaults for a check without timings: 30 s interval and timeout, 3 retries.
            intervalMs: hasCheck ? nsToMs(h.Interval, 30_000) || 30_000 : 0,
            timeoutMs: hasCheck ? nsToMs(h.Timeout, 30_000) || 30_000 : 0,
            startPeriodMs: hasCheck ? nsToMs(h.StartPeriod, 0) : 0,
            retries: hasCheck ? (typeof h.Retries === "number" && h.Retries > 0 ? h.Retries : 3) : 0,
        },
        update: {
            parallelism: typeof u.Parallelism === "number" ? u.Parallelism : 1,
            delayMs: nsToMs(u.Delay, 0),
            monitorMs: nsToMs(u.Monitor, 5_000) || 5_000,
            order: u.Order === "start-first" ? "start-first" : "stop-first",
            failureAction: fa === "rollback" || fa === "continue" ? fa : "pause",
            maxFailureRatio: typeof u.MaxFailureRatio === "number" ? u.MaxFailureRatio : 0,
        },
    };
}
