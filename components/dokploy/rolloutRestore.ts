/**
 * After Swarm rolled an update back (or paused it), Dokploy still holds the failed image and env
 * and says `done` (real-rollout-log §1.2); its next redeploy would deploy them again and silently
 * drop whatever changed meanwhile (§1.8, §5 scenario e). So the stored configuration is set back
 * to what runs: the serving image, and the env / swarm settings the previous state recorded.
 * The state then differs from the program again, and the next `pulumi up` retries the change.
 */
import { DokployClient } from "./client";
import { AppState, UpdatePlan } from "./plan";
import { sameImage } from "./rollout/images";
import { RolloutResult } from "./rollout/types";
import { swarmUpdateFields } from "./swarm";

export async function restoreWhatRuns(
    client: DokployClient,
    id: string,
    before: AppState,
    plan: UpdatePlan,
    r: RolloutResult,
    state: AppState,
): Promise<{ state: AppState; restored: string[] }> {
    // At the deadline the rollout may still finish: nothing is known to run instead.
    if (r.outcome === "deadline" || r.outcome === "completed") return { state, restored: [] };
    const restored: string[] = [];
    // What ran before is known only if the previous state had deployed what it recorded.
    const knownBefore = before.deployed !== false;
    const serving = r.servingImage && !r.servingImage.includes(", ") ? r.servingImage : undefined;
    const image = serving ?? (knownBefore ? (before.runningImage ?? before.dockerImage) : undefined);
    let s = state;
    if (image && !sameImage(image, state.dockerImage)) {
        await client.saveDockerProvider(id, image);
        s = { ...s, dockerImage: image };
        restored.push("image");
    }
    if (plan.saveEnv && knownBefore) {
        await client.saveEnvironment(id, before.env);
        s = { ...s, env: before.env };
        restored.push("env");
    }
    const swarmChanged = plan.appFields !== null && "healthCheckSwarm" in plan.appFields;
    const { replicas, healthCheck, updateConfig, rollbackConfig } = before;
    if (swarmChanged && knownBefore && replicas !== null && healthCheck && updateConfig && rollbackConfig) {
        await client.applicationUpdate(id, swarmUpdateFields({ replicas, healthCheck, updateConfig, rollbackConfig }));
        s = { ...s, replicas, healthCheck, updateConfig, rollbackConfig };
        restored.push("swarm settings");
    }
    const complete = knownBefore || (!plan.saveEnv && !swarmChanged);
    return { state: { ...s, deployed: complete }, restored };
}
