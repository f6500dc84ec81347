/**
 * What Swarm itself says about a rollout, read from the engine (not through Dokploy), so the bench
 * can set the watch's and the probe's times against it: `docker service inspect` for
 * UpdateStatus (StartedAt = the update's start, CompletedAt = completed or rollback_completed) and
 * `docker events` for the moment of each state change (UpdateStatus keeps no rollback_started time;
 * the real-rollout log took it from the events the same way, §1 "events" rows).
 */
import { docker, dockerJson } from "../test/support/engine";

export interface SwarmTimes {
    readonly state?: string;
    /** Epoch ms. */
    readonly startedAt?: number;
    readonly completedAt?: number;
}

interface RawStatus {
    State?: string;
    StartedAt?: string;
    CompletedAt?: string;
}

const epoch = (iso: string | undefined): number | undefined => {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(t) ? t : undefined;
};

export async function swarmTimes(service: string): Promise<SwarmTimes> {
    const s = await dockerJson<RawStatus | null>(["service", "inspect", service, "--format", "{{json .UpdateStatus}}"]);
    return { state: s?.State, startedAt: epoch(s?.StartedAt), completedAt: epoch(s?.CompletedAt) };
}

/** Epoch ms of each `updatestate.new` value the service went through between the two times (first seen). */
export async function updateStateChanges(
    service: string,
    sinceMs: number,
    untilMs: number,
): Promise<Map<string, number>> {
    const out = await docker([
        "events",
        "--since",
        (sinceMs / 1000).toFixed(3),
        "--until",
        (untilMs / 1000).toFixed(3),
        "--filter",
        "type=service",
        "--filter",
        `service=${service}`,
        "--format",
        "{{json .}}",
    ]);
    const changes = new Map<string, number>();
    for (const line of out.stdout.split("\n")) {
        if (line.trim() === "") continue;
        const e = JSON.parse(line) as { timeNano?: number; Actor?: { Attributes?: Record<string, string> } };
        const state = e.Actor?.Attributes?.["updatestate.new"];
        if (state && e.timeNano !== undefined && !changes.has(state)) changes.set(state, e.timeNano / 1e6);
    }
    return changes;
}
