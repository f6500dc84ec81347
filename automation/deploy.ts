/**
 * One environment's update: pin the version in stack config, preview, gate, then update and
 * verify it to Swarm's end (rolloutUpdate.ts), and roll back to the last verified version when
 * verification fails — also after Swarm rolled back by itself, because Dokploy still stores
 * the rejected image and its next redeploy would deploy it again (real-rollout-log §1.8).
 */
import * as path from "node:path";
import { EnvironmentName } from "../components/config";
import { DOKPLOY_APPLICATION_TYPE } from "../components/dokploy/rollout/types";
import { describeSummary, PreviewResult, PromotionEngine } from "./engine";
import { PromotionError } from "./errors";
import { changeLines, passGate } from "./gate";
import { Progress } from "./progress";
import { RecordStore } from "./records";
import { RolloutWatch } from "./rollout";
import { updateAndVerify } from "./rolloutUpdate";
import { Verification } from "./verify/verify";
import { ImagePin, pinDigest } from "./version/pin";

export const IMAGE_TAG_KEY = "imageTag";

export interface DeployContext {
    readonly engine: PromotionEngine;
    readonly records: RecordStore;
    readonly progress: Progress;
    readonly isTTY: boolean;
    readonly confirm: (message: string) => Promise<boolean>;
    readonly signal?: AbortSignal;
    readonly yes: boolean;
    readonly verbose: boolean;
    readonly allowReplace: boolean;
    readonly healthDeadlineMs: number;
    readonly healthIntervalMs?: number;
    readonly allowedDowntimeMs: number;
    readonly probeIntervalMs: number;
    /** How long the probe goes on after Swarm completed (a few probe intervals). */
    readonly settleMs: number;
    /** Follows Swarm's rollout of the app's service (Dokploy's API; in memory in tests). */
    readonly rollout: RolloutWatch;
    /** Where the per-environment HTML/Markdown reports go. */
    readonly reportDir: string;
    /** $GITHUB_STEP_SUMMARY: each report's Markdown is appended to it. */
    readonly stepSummaryFile?: string;
    readonly rerun: string;
    /** The exact image a version deploys here (automatic rollback), when the registry is checked. */
    readonly imageFor?: (version: string) => Promise<ImagePin>;
}

/** Reports live next to the records unless told otherwise. */
export const reportDirOf = (records: RecordStore) => path.join(records.dir, "reports");

export type DeployOutcome =
    | { readonly kind: "previewed"; readonly summary: string }
    | { readonly kind: "verified"; readonly verification: Verification };

const MAX_CHANGE_LINES = 25;

function runOpts(c: DeployContext) {
    return { signal: c.signal, onOutput: c.verbose ? (t: string) => c.progress.output(t) : undefined };
}

/** Sets imageTag when it differs; returns the value it replaced (undefined when unchanged). */
async function pinVersion(
    c: DeployContext,
    env: EnvironmentName,
    version: string,
): Promise<{ previous?: string; changed: boolean }> {
    const previous = await c.engine.getConfig(env, IMAGE_TAG_KEY);
    if (previous === version) return { previous, changed: false };
    await c.progress.step(
        `${env}: set ${IMAGE_TAG_KEY} ${version}`,
        () => c.engine.setConfig(env, IMAGE_TAG_KEY, version),
        () => (previous ? `was ${previous}` : undefined),
    );
    return { previous, changed: true };
}

async function preview(c: DeployContext, env: EnvironmentName): Promise<PreviewResult> {
    const result = await c.progress.step(
        `${env}: preview`,
        () => c.engine.preview(env, runOpts(c)),
        (r) => describeSummary(r.changeSummary),
    );
    const lines = changeLines(result);
    if (lines.length) {
        c.progress.info(
            lines.slice(0, MAX_CHANGE_LINES).join("\n") +
                (lines.length > MAX_CHANGE_LINES
                    ? `\n    … ${lines.length - MAX_CHANGE_LINES} more (--verbose shows the full diff)`
                    : ""),
        );
    }
    return result;
}

export async function deployEnvironment(
    c: DeployContext,
    env: EnvironmentName,
    version: string,
    mode: { dryRun: boolean; rollback: boolean },
    image?: ImagePin,
): Promise<DeployOutcome> {
    const pinned = await pinVersion(c, env, version);
    // The digest promotion checked, so the update deploys exactly that image (version/pin.ts).
    const restoreDigest = image ? await pinDigest(c, env, image, mode.dryRun) : undefined;
    // Until the update starts, nothing is deployed: a dry run, a failed preview, a declined prompt
    // or a gate refusal leave the stack's config as they found it.
    const unpin = async (): Promise<void> => {
        await restoreDigest?.();
        if (pinned.changed && pinned.previous !== undefined)
            await c.engine.setConfig(env, IMAGE_TAG_KEY, pinned.previous);
    };
    let result: PreviewResult;
    try {
        result = await preview(c, env);
    } catch (err) {
        await unpin();
        throw err;
    }
    if (mode.dryRun) {
        await unpin();
        return { kind: "previewed", summary: describeSummary(result.changeSummary) };
    }
    await passGate({
        env,
        version,
        preview: result,
        yes: c.yes,
        isTTY: c.isTTY,
        allowReplace: c.allowReplace,
        confirm: c.confirm,
        rerun: c.rerun,
    }).catch(async (err: unknown) => {
        await unpin();
        throw err;
    });

    // The app is this stack's only dynamic resource: no change to it, no Swarm rollout to follow.
    const rolloutExpected = result.changes.some((ch) => ch.type === DOKPLOY_APPLICATION_TYPE);
    const verification = await updateAndVerify(c, env, version, mode.rollback, image, rolloutExpected);
    if (verification.ok) return { kind: "verified", verification };

    const swarm = verification.kind === "rolled_back";
    const failed = `${env} failed verification at ${version}${swarm ? " (Swarm rolled it back)" : ""}:\n${verification.failures.map((f) => `  - ${f}`).join("\n")}`;
    const fix = swarm
        ? `find why ${version} fails its health check (Swarm's reason above; the container log in Dokploy, or \`docker service ps <app> --no-trunc\` on the Dokploy host), fix it, then: ${c.rerun}`
        : `fix ${version}, then: ${c.rerun}`;
    const target = mode.rollback ? undefined : await c.records.rollbackTarget(env);
    if (!target || target === version) {
        throw new PromotionError(
            `${failed}\nNo earlier verified version of ${env} is recorded, so nothing was rolled back.` +
                (swarm
                    ? ` Swarm keeps the old version running, but the stack's imageTag still says ${version}: set it back to the version that runs, or the next update deploys ${version} again.`
                    : ""),
            `npm run promote -- --rollback ${env} --image-tag <last good tag>   (or ${fix})`,
        );
    }
    c.progress.info(
        swarm
            ? `${env}: Swarm already serves the old version; setting ${env} back to ${target} so the stack and Dokploy say what runs`
            : `${env}: rolling back to ${target}, the last verified version`,
    );
    // The image verified at `target`, so a tag that moved since cannot bring back a different one.
    const backImage = await c.imageFor?.(target);
    await pinVersion(c, env, target);
    if (backImage) await pinDigest(c, env, backImage, false);
    const back = await updateAndVerify(c, env, target, true, backImage);
    throw new PromotionError(
        back.ok
            ? `${failed}\nRolled back to ${target}; ${env} is verified at ${target} again.`
            : `${failed}\nThe rollback to ${target} failed verification too:\n${back.failures.map((f) => `  - ${f}`).join("\n")}`,
        back.ok
            ? fix
            : `pulumi stack history -s ${env}   (then: npm run promote -- --rollback ${env} --image-tag <tag>)`,
    );
}
