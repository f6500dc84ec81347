/**
 * Swarm service settings for real-engine scenarios: the guide's health check with the short timing
 * of the recorded runs (real-rollout-log.md §0 "short variant"), and update/rollback configs shaped
 * like the ones Dokploy sends (same fields; Delay/Monitor shortened so a scenario takes seconds).
 */
import { GUIDE_HEALTH_CMD } from "./images";
import { NETWORK } from "./env";

export interface ServiceSettings {
    readonly health: {
        readonly intervalS: number;
        readonly timeoutS: number;
        readonly startPeriodS: number;
        readonly retries: number;
    };
    readonly update: { readonly delayS: number; readonly monitorS: number; readonly parallelism: number };
    readonly rollback: { readonly delayS: number; readonly monitorS: number };
    readonly replicas: number;
}

/** Interval 2 s, Timeout 2 s, StartPeriod 5 s, Retries 2 (the guide: 30 s, 10 s, 40 s, 3). */
export const SHORT_HEALTH: ServiceSettings["health"] = { intervalS: 2, timeoutS: 2, startPeriodS: 5, retries: 2 };
/** start-first, FailureAction rollback, Delay 1 s, Monitor 5 s (the guide's config: 10 s, 60 s). */
export const SHORT_UPDATE: ServiceSettings["update"] = { delayS: 1, monitorS: 5, parallelism: 1 };

const SHORT: ServiceSettings = {
    health: SHORT_HEALTH,
    update: SHORT_UPDATE,
    rollback: { delayS: 1, monitorS: 5 },
    replicas: 1,
};

/** The same short timing in DokployApplication's inputs (healthCheck, updateConfig, rollbackConfig). */
export const SHORT_APP_SETTINGS = {
    healthCheck: {
        intervalSeconds: SHORT_HEALTH.intervalS,
        timeoutSeconds: SHORT_HEALTH.timeoutS,
        startPeriodSeconds: SHORT_HEALTH.startPeriodS,
        retries: SHORT_HEALTH.retries,
    },
    updateConfig: {
        parallelism: SHORT_UPDATE.parallelism,
        delaySeconds: SHORT_UPDATE.delayS,
        monitorSeconds: SHORT_UPDATE.monitorS,
        failureAction: "rollback",
        order: "start-first",
    },
    rollbackConfig: { parallelism: 1, delaySeconds: 1, monitorSeconds: 5, failureAction: "pause", order: "stop-first" },
};

/** `docker service create` arguments (detached) for an app service on dokploy-network. */
export function serviceCreateArgs(name: string, image: string, settings: Partial<ServiceSettings> = {}): string[] {
    const s = { ...SHORT, ...settings };
    return [
        "service", "create", "--detach", "--name", name, "--network", NETWORK, "--replicas", String(s.replicas),
        "--health-cmd", GUIDE_HEALTH_CMD,
        "--health-interval", `${s.health.intervalS}s`, "--health-timeout", `${s.health.timeoutS}s`,
        "--health-start-period", `${s.health.startPeriodS}s`, "--health-retries", String(s.health.retries),
        "--update-order", "start-first", "--update-failure-action", "rollback", "--update-max-failure-ratio", "0",
        "--update-parallelism", String(s.update.parallelism),
        "--update-delay", `${s.update.delayS}s`, "--update-monitor", `${s.update.monitorS}s`,
        "--rollback-order", "stop-first", "--rollback-failure-action", "pause", "--rollback-max-failure-ratio", "0.3",
        "--rollback-parallelism", "1", "--rollback-delay", `${s.rollback.delayS}s`, "--rollback-monitor", `${s.rollback.monitorS}s`,
        image,
    ]; // prettier-ignore
}
