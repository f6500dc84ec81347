/**
 * A RolloutWatch in which Swarm completes every rollout with the expected image. Following the
 * rollout through Dokploy is issue 8's subject (fake Dokploy, memory Swarm); the stand-in CLI
 * tests only care about the engine runs and their credentials.
 */
import { RolloutWatch } from "../../../automation/rollout";

export const swarmCompletes: RolloutWatch = {
    baseline: async () => [],
    watch: async (_env, req) => ({
        outcome: "completed",
        servingImage: req.expectedImage,
        events: [],
        deadlineMs: 60_000,
        deadlineText: "stand-in",
        calls: 0,
        startedAt: req.since,
        endedAt: Date.now(),
    }),
};
