/**
 * A deployment as `pulumi up` runs it: list the app's containers (the baseline), start the
 * deploy/redeploy/reload, wait for Dokploy's row as before, then watch Swarm's rollout to its end
 * through Dokploy's API (rollout/watch.ts; API only, so a laptop or CI job needs nothing but the
 * API key). Dokploy's `done` only means the service spec was updated (real-rollout-log §1.1).
 */
import { DokployClient } from "./client";
import { deployAndWait } from "./deploy";
import { deployOptions, ProviderTuning } from "./context";
import { AppState } from "./plan";
import { AppSpec } from "./spec";
import { toHealthCheckSwarm, toUpdateConfigSwarm } from "./swarm";
import { DokployDeployment } from "./types";
import { DokployDeploymentError, DokployError } from "./errors";
import { baselineContainers, rolloutDeadline, settingsFromApplication, watchRollout } from "./rollout";
import { RolloutResult } from "./rollout/types";

export interface RolloutRun {
    /** The deployment row (undefined for a reload, which writes none). */
    readonly row?: DokployDeployment;
    readonly result: RolloutResult;
}

/** The rollout settings the spec gives Swarm (what Dokploy stores after our update). */
export function specRolloutSettings(spec: AppSpec) {
    return settingsFromApplication({
        replicas: spec.replicas,
        modeSwarm: null,
        healthCheckSwarm: toHealthCheckSwarm(spec.healthCheck),
        updateConfigSwarm: toUpdateConfigSwarm(spec.updateConfig),
    });
}

/** Deploys (or reloads) and watches. Errors of the deploy itself propagate as before. */
export async function deployAndWatch(
    client: DokployClient,
    app: { readonly applicationId: string; readonly appName: string },
    kind: "deploy" | "redeploy" | "reload",
    spec: AppSpec,
    tuning: ProviderTuning,
    firstDeploy: boolean,
): Promise<RolloutRun> {
    // The server's clock may run at another rate than ours only in tests (the fake's simulated swarm).
    const scale = tuning.rolloutTimeScale > 0 ? tuning.rolloutTimeScale : 1;
    const base = Date.now();
    const clock = tuning.rolloutClock;
    const now = clock ? () => clock.now() : (): number => base + (Date.now() - base) / scale;
    const sleep = clock
        ? (ms: number) => clock.sleep(ms)
        : (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms * scale)));
    // A new application's containers cannot exist yet: its appName carries a fresh random suffix.
    const baseline = firstDeploy ? [] : await baselineContainers(client, app.appName);
    let row: DokployDeployment | undefined;
    if (kind === "reload") await client.reload(app.applicationId, app.appName);
    else
        row = await deployAndWait(
            client,
            app,
            kind,
            deployOptions(spec.deployTimeoutSeconds, tuning),
            firstDeploy ? new Set<string>() : undefined,
        );
    // Dokploy's `done` (or reload's return) is when the service update was submitted (§1.1):
    // the rollout, and its deadline, start here, whatever time the deployment queue took.
    const startedAt = now();
    const settings = specRolloutSettings(spec);
    const result = await watchRollout(client, {
        appName: app.appName,
        expectedImage: spec.dockerImage,
        baselineContainerIds: baseline,
        settings,
        firstDeploy,
        startedAt,
        deadline: rolloutDeadline(settings),
        now,
        sleep,
        callIntervalMs: tuning.rolloutCallIntervalMs,
        pollMinMs: tuning.rolloutPollMinMs,
    }).catch((err: unknown) => {
        // Recorded as a done deployment whose rollout is unknown, so the next `up` deploys again.
        const what = row ? `deployment ${row.deploymentId}` : "reload";
        throw new DokployDeploymentError(
            `Dokploy ${what} of ${app.appName} was submitted, but its Swarm rollout could not be watched ` +
                `through Dokploy's docker.* and swarm.getNodeApps endpoints (the API key's user needs access to Docker): ` +
                `${err instanceof Error ? err.message : String(err)}`,
            { procedure: err instanceof DokployError ? err.procedure : "swarm rollout" },
            row?.deploymentId,
            row?.status,
        );
    });
    return { row, result };
}

const secs = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** One line for the `lastRollout` output. */
export function rolloutSummary(r: RolloutResult): string {
    const took = secs(r.endedAt - r.startedAt);
    const serving = r.servingImage ? `; serving ${r.servingImage}` : "";
    const why = r.reason ? `: ${r.reason}` : "";
    const words: Record<RolloutResult["outcome"], string> = {
        completed: "completed",
        rolled_back: "rolled back by Swarm",
        paused: "paused by Swarm",
        deadline: `not finished within the deadline (${r.deadlineText})`,
    };
    return `${words[r.outcome]} after ${took}${why}${serving} (${r.calls} API calls)`;
}

/** The state fields a watched rollout sets. */
export function rolloutState(r: RolloutResult, fallbackImage: string): Partial<AppState> {
    return {
        runningImage: r.servingImage ?? (r.outcome === "completed" ? fallbackImage : null),
        rolloutStatus: r.outcome,
        lastRollout: rolloutSummary(r),
    };
}

/** The error `pulumi up` shows for a rollout that did not complete. */
export function rolloutFailureMessage(appName: string, r: RolloutResult, restored: string[]): string {
    const serving = r.servingImage ? ` Serving now: ${r.servingImage}.` : "";
    const back =
        restored.length > 0
            ? ` Dokploy's stored ${restored.join(" and ")} ${restored.length > 1 ? "were" : "was"} set back to what runs, so a later redeploy does not bring the failed version back.`
            : "";
    const head: Record<RolloutResult["outcome"], string> = {
        completed: "completed",
        rolled_back: "Swarm rolled the rollout back",
        paused: "Swarm paused the rollout (updateConfig.failureAction pause)",
        deadline: `the rollout did not finish within ${secs(r.deadlineMs)} (${r.deadlineText})`,
    };
    const todo =
        r.outcome === "deadline"
            ? " Check the service in Dokploy, or allow more time through the health check and update settings; the next `pulumi up` deploys again."
            : " Fix the image or its health check, then run `pulumi up` again to retry.";
    return `Dokploy application ${appName}: ${head[r.outcome]}${r.reason && r.outcome !== "deadline" ? `: ${r.reason}` : r.reason ? ` — ${r.reason}` : ""}.${serving}${back}${todo}`;
}
