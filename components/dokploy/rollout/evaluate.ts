/**
 * The pure rollout evaluator: one snapshot of what Dokploy's API shows (swarm.getNodeApps,
 * docker.getContainersByAppNameMatch, docker.getConfig per container, sometimes
 * docker.getServiceContainersByAppName) + the state so far → new state, events, and an outcome
 * once there is one. No I/O and no clock: the loop (watch.ts) supplies both.
 *
 * Why these rules (shared/dokploy/real-rollout-log.md):
 * - Dokploy's `done` only means "service spec updated" (§1.1) and it never reports a rollback
 *   (§1.2), so the truth comes from the containers.
 * - A NEW container is one not in the baseline listed before the deploy call; image comparison
 *   alone cannot see an env-only change (same image, §1.7), the baseline can.
 * - Swarm reports `completed` at new task running + Delay + Monitor (§1.3); the task is running
 *   at its first passing health check, which is estimated from State.Health.Log without
 *   comparing this machine's clock with the server's.
 * - Failure: the spec image flips back at `rollback_started` (§1.9), or a new container turns
 *   unhealthy/exits while the old one keeps serving (§1.4, §1.5; an env-only rollback flips
 *   nothing). A stopped container reports "unhealthy" even when it was healthy (§4.4), so a
 *   health failure needs a failing streak or a failed last probe.
 */
import { DokployContainerRow, DokployServiceTaskRow, DokploySwarmService } from "./wire";
import { ConfigSample, failureText, healthySince, lastFailedOutput, taskIdOf } from "./signals";
import { sameImage } from "./images";
import { RolloutEvent, RolloutOutcome, RolloutSettings } from "./types";

export type { ConfigSample } from "./signals";
export { taskIdOf } from "./signals";

export interface WatchContext {
    readonly appName: string;
    readonly expectedImage: string;
    /** Container ids (12 characters or more) listed for the app before the deploy call. */
    readonly baselineContainerIds: readonly string[];
    readonly settings: RolloutSettings;
    /** A service create: no rollback and no Delay/Monitor wait (Swarm keeps no UpdateStatus). */
    readonly firstDeploy: boolean;
    /** Epoch ms of the deploy call; the deadline counts from here. */
    readonly startedAt: number;
    readonly deadlineMs: number;
    readonly deadlineText: string;
    /** Added to Swarm's completion time (the recorded `completed` came 0.1–1 s after it). */
    readonly completionMarginMs: number;
}

export interface RolloutSnapshot {
    readonly at: number;
    /** The service row of swarm.getNodeApps; undefined when not listed. */
    readonly service?: DokploySwarmService;
    /** docker.getContainersByAppNameMatch as answered (filtered here to exactly this app). */
    readonly containers: readonly DokployContainerRow[];
    /** Latest docker.getConfig per containerId (as listed). */
    readonly configs: Readonly<Record<string, ConfigSample>>;
    readonly tasks?: readonly DokployServiceTaskRow[];
}

interface Track {
    readonly id: string;
    readonly taskId: string;
    readonly old: boolean;
    readonly running: boolean;
    readonly image?: string;
    readonly healthyAt?: number;
    readonly unhealthy?: boolean;
    /** The container's last seen health status (`starting`, `healthy`, `unhealthy`), when it has a check. */
    readonly healthStatus?: string;
    /** Why it failed (Swarm's and the health check's words), and when that was seen. */
    readonly failed?: string;
    readonly failedAt?: number;
    readonly exitedAt?: number;
    readonly taskError?: string;
}

export interface WatchState {
    readonly tracks: Readonly<Record<string, Track>>;
    readonly specMatched: boolean;
    readonly rollbackStarted?: { readonly at: number; readonly image: string };
    /** The first decisive failure: when, and which container (its reason is refreshed as Swarm's words come in). */
    readonly failure?: { readonly at: number; readonly containerId: string };
    readonly lastFailure?: string;
    readonly tasksSeenAt?: number;
}

export interface Evaluation {
    readonly state: WatchState;
    readonly events: readonly RolloutEvent[];
    readonly outcome?: RolloutOutcome;
    readonly reason?: string;
    readonly servingImage?: string;
    /** When every condition but time holds: the moment Swarm completes (+ margin). */
    readonly completionAt?: number;
    /** A new failure whose task error has not been read yet (docker.getServiceContainersByAppName). */
    readonly wantsTasks: boolean;
}

export const INITIAL_STATE: WatchState = { tracks: {}, specMatched: false };

function serving(tracks: readonly Track[]): string | undefined {
    // Only tasks that passed their health check are in `tasks.<app>` DNS and answer (§8). An old
    // container can be a still-starting bad task of an earlier rollout: it answers only when healthy.
    const answering = tracks.filter(
        (t) =>
            t.running &&
            t.image &&
            !t.failed &&
            (t.old ? t.healthStatus === undefined || t.healthStatus === "healthy" : t.healthyAt !== undefined),
    );
    const images = [...new Set(answering.map((t) => t.image!))];
    return images.length > 0 ? images.join(", ") : undefined;
}

export function evaluateRollout(ctx: WatchContext, prev: WatchState, snap: RolloutSnapshot): Evaluation {
    const at = snap.at;
    const events: RolloutEvent[] = [];
    const ev = (kind: RolloutEvent["kind"], detail: string, when = at): void => {
        events.push({ at: when, kind, detail });
    };
    const baseline = ctx.baselineContainerIds.map((id) => id.slice(0, 12));
    const tracks: Record<string, Track> = { ...prev.tracks };
    for (const row of snap.containers) {
        const taskId = taskIdOf(ctx.appName, row.name);
        if (!taskId) continue; // another app whose name starts with ours (§4.4)
        const id = row.containerId.slice(0, 12);
        const sample = snap.configs[row.containerId] ?? snap.configs[id];
        const c = sample?.config;
        const before: Track | undefined = tracks[id];
        const old = baseline.includes(id);
        const running = row.state === "running" && (c === undefined || c.status === "running");
        let t: Track = {
            ...(before ?? { id, taskId, old }),
            running,
            image: c?.image ?? before?.image,
            healthStatus: c?.health?.status ?? before?.healthStatus,
        };
        if (!before && !old)
            ev("task_started", `container ${id} (task ${taskId.slice(0, 12)}) ${t.image ?? ""}`.trim());
        if (old) {
            if (before?.running && !running) ev("old_task_stopped", `container ${id} ${t.image ?? ""}`.trim());
        } else if (c) {
            const exited = !running && (row.state === "exited" || row.state === "dead" || c.status === "exited");
            const hasCheck = c.health !== undefined;
            if (t.failed === undefined && running && (!hasCheck || c.health?.status === "healthy")) {
                const since = hasCheck && sample ? healthySince(sample, c) : at;
                if (t.healthyAt === undefined) ev("task_healthy", `container ${id} ${c.image}`, since);
                t = { ...t, healthyAt: Math.min(t.healthyAt ?? since, since) };
            } else if (running && c.health?.status === "unhealthy" && !t.unhealthy) {
                t = { ...t, unhealthy: true, healthyAt: undefined };
                ev("task_unhealthy", `container ${id}: ${lastFailedOutput(c) ?? "health check failed"}`);
            }
            if ((exited || t.unhealthy) && t.failed === undefined) {
                t = { ...t, failed: failureText(t, c, snap.tasks), failedAt: at };
            }
            if (exited && t.exitedAt === undefined) {
                t = { ...t, exitedAt: at, healthyAt: undefined };
                ev("task_failed", t.failed ?? failureText(t, c, snap.tasks));
            }
            if (t.failed) t = { ...t, running: false };
        }
        tracks[id] = t;
    }
    let state: WatchState = { ...prev, tracks, tasksSeenAt: snap.tasks ? at : prev.tasksSeenAt };
    const all = Object.values(tracks);
    const fresh = all.filter((t) => !t.old);
    const failed = fresh.filter((t) => t.failed);
    // Refresh the reasons once Swarm's task errors are in (v0.30.2 lists them).
    if (snap.tasks) {
        for (const t of failed) {
            const task = snap.tasks.find((r) => t.taskId.startsWith(r.taskId) || r.taskId.startsWith(t.taskId));
            const c = snap.configs[t.id]?.config;
            tracks[t.id] = { ...t, failed: failureText(t, c, snap.tasks), taskError: task?.error };
        }
    }
    const reasons = fresh.filter((t) => tracks[t.id].failed).map((t) => tracks[t.id].failed!);
    if (reasons.length > 0) state = { ...state, lastFailure: reasons[reasons.length - 1] };

    const spec = snap.service?.image;
    const specOk = sameImage(spec, ctx.expectedImage);
    if (specOk && !state.specMatched) state = { ...state, specMatched: true };
    const expectedSeen = state.specMatched || fresh.some((t) => sameImage(t.image, ctx.expectedImage));
    if (spec && !specOk && expectedSeen && !state.rollbackStarted) {
        state = { ...state, rollbackStarted: { at, image: spec } };
        ev("rollback_started", `service spec image back to ${spec}`);
    }
    const u = ctx.settings.update;
    const tolerated = Math.floor((u.maxFailureRatio ?? 0) * Math.max(1, ctx.settings.replicas));
    const decisive = !ctx.firstDeploy && u.failureAction !== "continue" && failed.length > tolerated;
    if (decisive && !state.failure) state = { ...state, failure: { at, containerId: failed[0].id } };
    // Ask for Swarm's task error once per new failure and once more after the container exited
    // (the task turns "failed" with its error ≈ 0.3 s after the exit, §2 timelines).
    const seen = prev.tasksSeenAt;
    const wantsTasks =
        !snap.tasks &&
        failed.some((t) => !t.taskError && (seen === undefined || seen < (t.exitedAt ?? t.failedAt ?? at)));
    const servingImage = serving(Object.values(tracks));
    const done = (outcome: RolloutOutcome, reason?: string): Evaluation => ({
        state,
        events,
        outcome,
        reason,
        servingImage,
        wantsTasks: false,
    });
    const reason = (state.failure && tracks[state.failure.containerId]?.failed) ?? state.lastFailure;

    if (state.rollbackStarted) {
        if (!wantsTasks || !state.failure) {
            ev("rolled_back", `Swarm rolled back to ${state.rollbackStarted.image}`);
            return done("rolled_back", reason ?? `Swarm rolled the update back to ${state.rollbackStarted.image}`);
        }
    } else if (state.failure && !wantsTasks) {
        if (u.failureAction === "pause") {
            ev("paused", "Swarm paused the update (failureAction pause)");
            return done("paused", reason);
        }
        // An image change shows Swarm's rollback as the spec flipping back, ≈ Delay after the
        // failure with one replica (§1.4); an env-only change (same image) never does.
        const oldImages = all.filter((t) => t.old && t.image).map((t) => t.image!);
        const envOnly = oldImages.length > 0 && oldImages.every((i) => sameImage(i, ctx.expectedImage));
        if (envOnly || at >= state.failure.at + u.delayMs + 15_000) {
            ev("rolled_back", envOnly ? "new task failed; Swarm rolls back (env-only change)" : "new task failed");
            return done("rolled_back", reason);
        }
    }

    if (!state.failure && !state.rollbackStarted && specOk) {
        const current = fresh.filter((t) => t.running && sameImage(t.image, ctx.expectedImage));
        const healthy = current.filter((t) => t.healthyAt !== undefined);
        const others = all.filter((t) => t.running && !current.includes(t));
        const replicas = ctx.settings.replicas;
        if (healthy.length === current.length && current.length === replicas && others.length === 0) {
            const lastHealthy = Math.max(ctx.startedAt, ...healthy.map((t) => t.healthyAt!));
            const wait = ctx.firstDeploy ? 0 : u.delayMs + u.monitorMs;
            const completionAt = lastHealthy + wait + ctx.completionMarginMs;
            if (at >= completionAt) {
                ev("completed", `${replicas} new task(s) running ${ctx.expectedImage}, healthy; old tasks gone`);
                return done("completed");
            }
            if (at < ctx.startedAt + ctx.deadlineMs) return { state, events, completionAt, wantsTasks };
        }
    }

    if (at >= ctx.startedAt + ctx.deadlineMs) {
        ev("deadline", ctx.deadlineText);
        return done("deadline", deadlineReason(ctx, Object.values(tracks), snap.service, reason));
    }
    return { state, events, wantsTasks, servingImage };
}

function deadlineReason(
    ctx: WatchContext,
    all: readonly Track[],
    service?: DokploySwarmService,
    last?: string,
): string {
    if (!service) return `service ${ctx.appName} is not listed by swarm.getNodeApps`;
    const fresh = all.filter((t) => !t.old && t.running && sameImage(t.image, ctx.expectedImage));
    const parts = [
        `spec image ${service.image}`,
        `${fresh.filter((t) => t.healthyAt !== undefined).length} of ${ctx.settings.replicas} new task(s) healthy`,
        `${all.filter((t) => t.old && t.running).length} old task(s) still running`,
    ];
    if (last) parts.push(`last failure: ${last}`);
    return `the rollout did not complete in time (${parts.join("; ")})`;
}
