/**
 * The seam between promotion and Swarm: `RolloutWatch` follows the rollout of one application's
 * service until Swarm completed it, rolled it back or paused it, or the deadline passed.
 * Dokploy's own `done` says only that the service update was submitted
 * (shared/dokploy/real-rollout-log.md §1.1), so promotion asks this instead.
 * automation/rolloutDokploy.ts implements it on Dokploy's API; the tests use an in-memory one.
 */
import { EnvironmentName } from "../components/config";
import { RolloutEvent, RolloutResult } from "../components/dokploy/rollout/types";
import { StackOutputs } from "./engine";

export interface WatchRequest {
    /** Dokploy's appName = the Swarm service name (stack output `dokployAppName`). */
    readonly appName: string;
    /** The image reference the update deploys (`<repository>:<tag>`). */
    readonly expectedImage: string;
    /** Dokploy's id of the application (stack output `dokployApplicationId`): its stored Swarm settings set the deadline. */
    readonly applicationId?: string;
    /** Epoch ms just before the update call: what happened before is the old state. */
    readonly since: number;
    /** Container ids running before the update (old tasks), when known. */
    readonly baseline?: readonly string[];
    /** The service did not exist before: Swarm creates it (no Delay/Monitor, no rollback). */
    readonly firstDeploy?: boolean;
    readonly signal?: AbortSignal;
    /** Each event as it is seen (live progress). */
    readonly onEvent?: (e: RolloutEvent) => void;
}

export interface RolloutWatch {
    /**
     * The app's containers before the update, so the watch can tell old tasks from new ones;
     * `stoppedOnly`: just the exited ones (history), when what runs now is to be judged.
     */
    baseline(
        env: EnvironmentName,
        appName: string,
        o?: { stoppedOnly?: boolean },
    ): Promise<readonly string[] | undefined>;
    watch(env: EnvironmentName, request: WatchRequest): Promise<RolloutResult>;
}

/** What the stack's outputs say about the service to watch, for `version`. */
export interface RolloutTarget {
    readonly appName: string;
    readonly expectedImage: string;
    readonly applicationId?: string;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The service and image an update to `version` deploys: the image is `<ecrRepositoryUrl>:<version>`
 * (promotion refuses stacks that pin `image`, readiness.ts), else the `image` output re-tagged;
 * `<…>:<version>@<digest>` when promotion pinned the digest (components/imageRef.ts).
 */
export function rolloutTarget(outputs: StackOutputs, version: string, digest?: string): RolloutTarget | undefined {
    const appName = text(outputs.dokployAppName);
    const repository = text(outputs.ecrRepositoryUrl) ?? text(outputs.image)?.replace(/:[^:/]*$/, "");
    if (!appName || !repository) return undefined;
    const applicationId = text(outputs.dokployApplicationId);
    const expectedImage = `${repository}:${version}${digest ? `@${digest}` : ""}`;
    return { appName, expectedImage, ...(applicationId ? { applicationId } : {}) };
}

/** The tag of an image reference (`…/app:v2` → `v2`), for "which version serves now". */
export function tagOf(image: string | undefined): string | undefined {
    // A digest (`@sha256:…`) has a colon of its own: drop it before looking for the tag.
    const m = image?.replace(/@.*$/, "").match(/:([^:/]+)$/);
    return m?.[1];
}

/** One line for a record or a message: what Swarm did, in its own words. */
export function describeOutcome(r: RolloutResult): string {
    const serving = r.servingImage ? `; ${r.servingImage} serves now` : "";
    switch (r.outcome) {
        case "completed":
            return `Swarm completed the rollout${serving}`;
        case "rolled_back":
            return `rolled back by Swarm: ${r.reason ?? "no reason given"}${serving}`;
        case "paused":
            return `Swarm paused the update: ${r.reason ?? "no reason given"}${serving}`;
        case "deadline":
            return `the rollout did not end within ${r.deadlineText}${r.reason ? ` (last seen: ${r.reason})` : ""}${serving}`;
    }
}

/**
 * Does an engine error say the provider saw Swarm roll back, pause or run out of time (so the
 * watch should be asked what happened)? Anything else is an ordinary failed update.
 */
export function mentionsRolloutFailure(message: string): boolean {
    // "rolled back", "rolled the rollout back", "rollback_completed", "paused the rollout",
    // "did not finish within …" (components/dokploy/rolloutStep.ts), "did not complete in time".
    return /\broll(ed|s)?\b[\w -]{0,30}?\bback\b|rollback|paused|did not (complete|finish)|deadline/i.test(message);
}
