/**
 * Watches one Swarm rollout to its end through Dokploy's API only.
 *
 * Decision: the API, not SSH. A user on a laptop or a CI job has the Dokploy URL and API key
 * already (the provider needs them anyway); SSH to the Dokploy host would need a host key, a
 * user with docker rights and a reachable port 22. Dokploy's docker.* and swarm.getNodeApps
 * endpoints show enough to decide (real-rollout-log.md §1.9, §4): each container's image and
 * health (docker.getConfig), the service spec image that flips back at rollback_started
 * (swarm.getNodeApps), and Swarm's task error on v0.30.2 (docker.getServiceContainersByAppName).
 * What the API does not show, UpdateStatus, is derived: completed = last new task running +
 * Delay + Monitor (§1.3).
 *
 * Cost: these endpoints shell out to the docker CLI on the host (0.1–0.6 s each, §4.4), so calls
 * are paced to at most one per `callIntervalMs` on average; a config of an exited container
 * never changes and is read once.
 */
import { DokployClient } from "../client";
import { ConfigSample, evaluateRollout, INITIAL_STATE, RolloutSnapshot, taskIdOf, WatchContext } from "./evaluate";
import { rolloutDeadline } from "./deadline";
import { RolloutEvent, RolloutResult, RolloutSettings } from "./types";

export type RolloutClient = Pick<
    DokployClient,
    "containersByAppNameMatch" | "serviceContainersByAppName" | "containerConfig" | "swarmService"
>;

export interface WatchOptions {
    /** The swarm service name (Dokploy's appName with its suffix). */
    readonly appName: string;
    readonly expectedImage: string;
    /** From baselineContainers(), taken before the deploy call. */
    readonly baselineContainerIds: readonly string[];
    readonly settings: RolloutSettings;
    /** A service create (no rollback, no Delay/Monitor). Default false. */
    readonly firstDeploy?: boolean;
    /** Epoch ms of the deploy call (default: now). The deadline counts from here. */
    readonly startedAt?: number;
    /** Default: rolloutDeadline(settings). */
    readonly deadline?: { readonly ms: number; readonly text: string };
    readonly signal?: AbortSignal;
    readonly onEvent?: (e: RolloutEvent) => void;
    /** Clock and sleep, injectable (tests, and the fake Dokploy's faster clock). */
    readonly now?: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
    /** Average spacing of API calls (default 1000 ms: ≤ 1 call per second). */
    readonly callIntervalMs?: number;
    /** Least time between two polls (default 1000 ms). */
    readonly pollMinMs?: number;
    /** Added to Swarm's completion time (default 1000 ms). */
    readonly completionMarginMs?: number;
}

/** The app's container ids right now (exited ones included): the "old" ones of the next rollout. */
export async function baselineContainers(client: RolloutClient, appName: string): Promise<string[]> {
    const rows = await client.containersByAppNameMatch(appName);
    return rows.filter((r) => taskIdOf(appName, r.name) !== undefined).map((r) => r.containerId);
}

function abortError(signal: AbortSignal): Error {
    const reason: unknown = signal.reason;
    return reason instanceof Error ? reason : new Error("rollout watch aborted");
}

export async function watchRollout(client: RolloutClient, o: WatchOptions): Promise<RolloutResult> {
    const now = o.now ?? Date.now;
    const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const callIntervalMs = o.callIntervalMs ?? 1000;
    const pollMinMs = o.pollMinMs ?? 1000;
    const startedAt = o.startedAt ?? now();
    const deadline = o.deadline ?? rolloutDeadline(o.settings);
    const ctx: WatchContext = {
        appName: o.appName,
        expectedImage: o.expectedImage,
        baselineContainerIds: o.baselineContainerIds,
        settings: o.settings,
        firstDeploy: o.firstDeploy ?? false,
        startedAt,
        deadlineMs: deadline.ms,
        deadlineText: deadline.text,
        completionMarginMs: o.completionMarginMs ?? 1000,
    };
    const events: RolloutEvent[] = [];
    const emit = (e: RolloutEvent): void => {
        events.push(e);
        o.onEvent?.(e);
    };
    emit({ at: startedAt, kind: "submitted", detail: `${o.appName} → ${o.expectedImage}` });
    const watchStart = now();
    let calls = 0;
    let callsBefore = 0;
    const counted = <T>(p: Promise<T>): Promise<T> => {
        calls++;
        return p;
    };
    // Exited containers never change; running ones of the baseline only need their image once.
    const final: Record<string, ConfigSample> = {};
    const baseline = new Set(o.baselineContainerIds.map((id) => id.slice(0, 12)));
    let state = INITIAL_STATE;
    for (let round = 0; round < 100_000; round++) {
        if (o.signal?.aborted) throw abortError(o.signal);
        const at = now();
        const service = await counted(client.swarmService(o.appName));
        const containers = (await counted(client.containersByAppNameMatch(o.appName))).filter(
            (r) => taskIdOf(o.appName, r.name) !== undefined,
        );
        const configs: Record<string, ConfigSample> = {};
        for (const row of containers) {
            const id = row.containerId.slice(0, 12);
            const cached = final[id];
            if (cached && (row.state !== "running" || baseline.has(id))) {
                configs[row.containerId] = cached;
                continue;
            }
            if (baseline.has(id) && row.state !== "running") continue; // old and stopped: not needed
            const config = await counted(client.containerConfig(row.containerId));
            const sample: ConfigSample = { at: now(), config };
            configs[row.containerId] = sample;
            if (baseline.has(id) || (config && config.status !== "running" && config.status !== "created"))
                final[id] = sample;
        }
        let snap: RolloutSnapshot = { at, service, containers, configs };
        let result = evaluateRollout(ctx, state, snap);
        if (result.wantsTasks) {
            snap = { ...snap, tasks: await counted(client.serviceContainersByAppName(o.appName)) };
            result = evaluateRollout(ctx, state, snap);
        }
        state = result.state;
        for (const e of result.events) emit(e);
        if (result.outcome) {
            return {
                outcome: result.outcome,
                servingImage: result.servingImage,
                reason: result.reason,
                events,
                deadlineMs: deadline.ms,
                deadlineText: deadline.text,
                calls,
                startedAt,
                endedAt: now(),
            };
        }
        // Pace: a poll may start once the calls made plus this poll's fit the budget (so the
        // average stays ≤ 1 per callIntervalMs). While only Swarm's completion time is awaited,
        // skip a poll that would push the confirming one past that time, and let the confirming
        // poll land at that time even a little ahead of the budget: it is the watch's last one
        // when all is well, and a late one only delays the verdict (bench: npm run bench).
        const roundCalls = calls - callsBefore;
        callsBefore = calls;
        const budgetAt = (rounds: number): number => watchStart + (calls + rounds * roundCalls) * callIntervalMs;
        const t = now();
        let next = Math.max(at + pollMinMs, budgetAt(1));
        const c = result.completionAt;
        if (c !== undefined && (next >= c || budgetAt(2) > c)) next = Math.max(c, t);
        next = Math.min(next, startedAt + deadline.ms);
        if (next > t) await sleep(next - t);
    }
    throw new Error(`rollout watch of ${o.appName} made no decision`); // unreachable: the deadline ends it
}
