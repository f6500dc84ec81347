/** The rollout watch: stable names used by the provider, the promotion and the engine tests. */
export { evaluateRollout, INITIAL_STATE, taskIdOf } from "./evaluate";
export type { ConfigSample, Evaluation, RolloutSnapshot, WatchContext, WatchState } from "./evaluate";
export { rolloutDeadline } from "./deadline";
export type { RolloutDeadline } from "./deadline";
export { settingsFromApplication } from "./settings";
export { sameImage } from "./images";
export { baselineContainers, watchRollout } from "./watch";
export type { RolloutClient, WatchOptions } from "./watch";
export type { RolloutEvent, RolloutOutcome, RolloutResult, RolloutSettings } from "./types";
