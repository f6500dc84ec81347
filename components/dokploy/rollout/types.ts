/**
 * What a Swarm rollout looks like from outside, as plain data shared by the watcher (which reads
 * it through Dokploy's API), the DokployApplication provider (`pulumi up` waits on it) and the
 * promotion's verification and reports. Facts behind these shapes: shared/dokploy/real-rollout-log.md.
 */

/** DokployApplication's module and type: the engine names it `pulumi-nodejs:dynamic/<module>:<type>` (@pulumi/pulumi dynamic/index.js). */
export const DOKPLOY_APPLICATION_MODULE = "dokploy";
export const DOKPLOY_APPLICATION_KIND = "Application";
/** The type token previews and event logs carry for the app: a change to it means a Swarm rollout. */
export const DOKPLOY_APPLICATION_TYPE = `pulumi-nodejs:dynamic/${DOKPLOY_APPLICATION_MODULE}:${DOKPLOY_APPLICATION_KIND}`;

/** The Swarm settings that decide how long a rollout may take (Dokploy stores them verbatim, in ns). */
export interface RolloutSettings {
    readonly replicas: number;
    readonly health: {
        readonly intervalMs: number;
        readonly timeoutMs: number;
        readonly startPeriodMs: number;
        readonly retries: number;
    };
    readonly update: {
        readonly parallelism: number;
        readonly delayMs: number;
        readonly monitorMs: number;
        readonly order: "start-first" | "stop-first";
        readonly failureAction: "rollback" | "pause" | "continue";
        /** Failed tasks tolerated, as a fraction of replicas (Docker's MaxFailureRatio; default 0). */
        readonly maxFailureRatio?: number;
    };
}

/** One observed moment of a rollout, in wall-clock epoch ms as seen by the watcher. */
export interface RolloutEvent {
    readonly at: number;
    readonly kind:
        | "submitted"
        | "task_started"
        | "task_healthy"
        | "task_unhealthy"
        | "task_failed"
        | "old_task_stopped"
        | "completed"
        | "rollback_started"
        | "rolled_back"
        | "paused"
        | "deadline";
    /** Container or task id, image, health output or Swarm's error text, for people. */
    readonly detail?: string;
}

export type RolloutOutcome = "completed" | "rolled_back" | "paused" | "deadline";

export interface RolloutResult {
    readonly outcome: RolloutOutcome;
    /** The image reference the service runs at the end (the old one after a rollback). */
    readonly servingImage?: string;
    /** Swarm's words for a failure, e.g. "task: non-zero exit (143): dockerexec: unhealthy container". */
    readonly reason?: string;
    readonly events: readonly RolloutEvent[];
    /** The deadline that applied, and how it was derived from the settings (for messages). */
    readonly deadlineMs: number;
    readonly deadlineText: string;
    /** API calls the watch made (bench: calls per second). */
    readonly calls: number;
    readonly startedAt: number;
    readonly endedAt: number;
}
