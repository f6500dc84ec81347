/**
 * Snapshots of Dokploy's container endpoints as real Dokploy answered them during real rollouts
 * (/work/shared/dokploy/real-rollout-log.md). Ids, names, images, states, health statuses,
 * streaks and probe outputs are copied from §4.2/§4.3; the moments come from the §2/§3/§4.3
 * tables. The log trims docker inspect to a few keys; the bodies below put those keys back in
 * docker inspect's nesting (Config.Image, State.Status, State.Health) and give each probe a
 * Start/End at the event-stream time of that probe (§3 "healthcheck exec_die").
 */
import {
    parseContainerConfig,
    parseContainerRows,
    parseServiceTaskRows,
    parseSwarmServices,
} from "../components/dokploy/rollout/wire";
import { RolloutSnapshot } from "../components/dokploy/rollout/evaluate";
import { RolloutSettings } from "../components/dokploy/rollout/types";

export const T0 = Date.parse("2026-11-29T03:50:42.000Z");
export const at = (s: number): number => T0 + Math.round(s * 1000);
export const IMG = (tag: string): string => `127.0.0.1:5000/app:${tag}`;

export interface Ctr {
    readonly id: string;
    /** `<appName>.<slot>.<taskId>` */
    readonly name: string;
    readonly image: string;
    readonly state: "created" | "running" | "exited";
    readonly health?: "starting" | "healthy" | "unhealthy";
    readonly streak?: number;
    /** Probe end times (s after T0) and exit codes; outputs as recorded for that image. */
    readonly probes?: readonly { readonly t: number; readonly ok: boolean }[];
    readonly exitCode?: number;
    /** v0.30.2's Status column. */
    readonly status?: string;
}

const OUTPUT: Record<string, string> = {
    ok: '{"status":"ok","version":"v2","marker":"m0","host":"90b51186e514"}',
    bad: "wget: server returned error: HTTP/1.1 500 Internal Server Error",
};

export function inspectBody(c: Ctr): Record<string, unknown> {
    const probes = (c.probes ?? []).slice(-5).map((p) => ({
        Start: new Date(at(p.t) - 50).toISOString(),
        End: new Date(at(p.t)).toISOString(),
        ExitCode: p.ok ? 0 : 1,
        Output: p.ok ? OUTPUT.ok : OUTPUT.bad,
    }));
    const taskId = c.name.split(".").pop();
    return {
        Id: `${c.id}${"0".repeat(52)}`,
        Name: `/${c.name}`,
        Image: "sha256:0123",
        Config: { Image: c.image, Labels: { "com.docker.swarm.task.id": taskId } },
        State: {
            Status: c.state,
            Running: c.state === "running",
            ExitCode: c.exitCode ?? 0,
            ...(c.health ? { Health: { Status: c.health, FailingStreak: c.streak ?? 0, Log: probes } } : {}),
        },
    };
}

export function rowBody(c: Ctr): Record<string, unknown> {
    return {
        containerId: c.id,
        name: c.name,
        state: c.state,
        ...(c.status ? { status: c.status } : {}),
    };
}

/** One poll: swarm.getNodeApps rows, the container list, and getConfig of each listed container. */
export function snapshot(
    t: number,
    specImage: string | undefined,
    appName: string,
    ctrs: readonly Ctr[],
    tasks?: readonly Record<string, unknown>[],
    others: readonly Record<string, unknown>[] = [],
): RolloutSnapshot {
    const services = [
        ...others,
        ...(specImage
            ? [{ ID: "roqj2w9tazqj", Image: specImage, Mode: "replicated", Name: appName, Ports: "", Replicas: "1/1" }]
            : []),
    ];
    const configs: RolloutSnapshot["configs"] = Object.fromEntries(
        ctrs.map((c) => [c.id, { at: at(t), config: parseContainerConfig(inspectBody(c)) }]),
    );
    return {
        at: at(t),
        service: parseSwarmServices(services).find((s) => s.name === appName),
        containers: parseContainerRows(ctrs.map(rowBody)),
        configs,
        tasks: tasks ? parseServiceTaskRows(tasks) : undefined,
    };
}

/** The swarm settings the recorded short runs sent with application.update, in Dokploy's wire form (§0). */
export const RECORDED_SHORT_SWARM = {
    healthCheckSwarm: {
        Test: ["CMD-SHELL", "curl -f http://localhost:3000/api/health || exit 1"],
        Interval: 2e9,
        Timeout: 2e9,
        StartPeriod: 5e9,
        Retries: 2,
    },
    updateConfigSwarm: {
        Parallelism: 1,
        Delay: 10e9,
        FailureAction: "rollback",
        Monitor: 10e9,
        MaxFailureRatio: 0,
        Order: "start-first",
    },
    rollbackConfigSwarm: {
        Parallelism: 1,
        Delay: 5e9,
        FailureAction: "pause",
        Monitor: 10e9,
        MaxFailureRatio: 0.3,
        Order: "stop-first",
    },
};

/** Settings of the recorded runs (§0): the guide's and the short health check. */
export function settingsOf(check: "guide" | "short", replicas = 1): RolloutSettings {
    const guide = check === "guide";
    return {
        replicas,
        health: guide
            ? { intervalMs: 30_000, timeoutMs: 10_000, startPeriodMs: 40_000, retries: 3 }
            : { intervalMs: 2_000, timeoutMs: 2_000, startPeriodMs: 5_000, retries: 2 },
        update: {
            parallelism: 1,
            delayMs: 10_000,
            monitorMs: guide ? 60_000 : 10_000,
            order: "start-first",
            failureAction: "rollback",
            maxFailureRatio: 0,
        },
    };
}

/** Probes every `interval` s from `first` to `last` (inclusive), all passing or all failing. */
export function probes(first: number, last: number, interval: number, ok: boolean): { t: number; ok: boolean }[] {
    const out: { t: number; ok: boolean }[] = [];
    for (let t = first; t <= last + 1e-9; t += interval) out.push({ t: Math.round(t * 100) / 100, ok });
    return out;
}
