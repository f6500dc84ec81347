/**
 * One environment's update: pin the version in stack config, preview, gate, record "started",
 * update with the probe running, verify, record the result, and roll back to the last verified
 * version when verification fails.
 */
import { EnvironmentName } from "../components/config";
import { deployedApp, describeSummary, PreviewResult, PromotionEngine, StackOutputs } from "./engine";
import { InterruptedError, PromotionError } from "./errors";
import { changeLines, passGate } from "./gate";
import { Progress } from "./progress";
import { RecordStore } from "./records";
import { describeProbe, Probe } from "./verify/probe";
import { Verification, verifyDeployment } from "./verify/verify";

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
    readonly rerun: string;
}

export type DeployOutcome =
    | { readonly kind: "previewed"; readonly summary: string }
    | { readonly kind: "verified"; readonly verification: Verification };

const now = () => new Date().toISOString();
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

/** Update and verify one version, with its durable records on both sides of the update. */
async function updateAndVerify(
    c: DeployContext,
    env: EnvironmentName,
    version: string,
    rollback: boolean,
): Promise<Verification> {
    // The probe starts before the update when the app is already deployed, so the cut-over is measured.
    const before = deployedApp(await c.engine.outputs(env).catch((): StackOutputs => ({})));
    let probe = before.appUrl ? new Probe(before.appUrl, { intervalMs: c.probeIntervalMs }).start() : undefined;
    await c.records.append({
        environment: env,
        version,
        status: "started",
        at: now(),
        ...(rollback ? { rollback } : {}),
    });
    let outputs: StackOutputs;
    try {
        outputs = (await c.progress.step(`${env}: update to ${version}`, () => c.engine.up(env, runOpts(c)))).outputs;
    } catch (err) {
        await probe?.cancel();
        const interrupted = c.signal?.aborted === true;
        const reason = interrupted
            ? "interrupted (Ctrl-C) during the update"
            : `update failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
        await c.records.append({
            environment: env,
            version,
            status: "failed",
            at: now(),
            reason,
            ...(rollback ? { rollback } : {}),
        });
        throw interrupted ? new InterruptedError(env) : err;
    }
    const app = deployedApp(outputs);
    if (!probe && app.appUrl) {
        c.progress.info(`    ${env}: first deployment here, so the probe covers verification only`);
        probe = new Probe(app.appUrl, { intervalMs: c.probeIntervalMs }).start();
    }
    const verification = await c.progress.step(
        `${env}: verify ${version}`,
        () =>
            verifyDeployment(app, probe, {
                healthDeadlineMs: c.healthDeadlineMs,
                healthIntervalMs: c.healthIntervalMs,
                allowedDowntimeMs: c.allowedDowntimeMs,
                signal: c.signal,
            }),
        (v) => ({
            failed: !v.ok,
            text: `${v.ok ? "healthy" : "failed"}${v.probe ? `; probe: ${describeProbe(v.probe)}` : ""}`,
        }),
    );
    const interrupted = c.signal?.aborted === true;
    await c.records.append({
        environment: env,
        version,
        at: now(),
        ...(rollback ? { rollback } : {}),
        ...(app.deploymentId ? { deploymentId: app.deploymentId } : {}),
        ...(verification.probe
            ? {
                  probe: {
                      sent: verification.probe.sent,
                      failures: verification.probe.failures,
                      longestGapMs: verification.probe.longestGapMs,
                  },
              }
            : {}),
        ...(verification.ok && !interrupted
            ? { status: "verified" as const, verifiedAt: now() }
            : {
                  status: "failed" as const,
                  reason: interrupted ? "interrupted (Ctrl-C) during verification" : verification.failures.join("; "),
              }),
    });
    if (interrupted) throw new InterruptedError(env);
    return verification;
}

export async function deployEnvironment(
    c: DeployContext,
    env: EnvironmentName,
    version: string,
    mode: { dryRun: boolean; rollback: boolean },
): Promise<DeployOutcome> {
    const pinned = await pinVersion(c, env, version);
    let result: PreviewResult;
    try {
        result = await preview(c, env);
    } finally {
        // A dry run leaves the stack's config as it found it.
        if (mode.dryRun && pinned.changed && pinned.previous !== undefined)
            await c.engine.setConfig(env, IMAGE_TAG_KEY, pinned.previous);
    }
    if (mode.dryRun) return { kind: "previewed", summary: describeSummary(result.changeSummary) };
    await passGate({
        env,
        version,
        preview: result,
        yes: c.yes,
        isTTY: c.isTTY,
        allowReplace: c.allowReplace,
        confirm: c.confirm,
        rerun: c.rerun,
    });

    const verification = await updateAndVerify(c, env, version, mode.rollback);
    if (verification.ok) return { kind: "verified", verification };

    const failed = `${env} failed verification at ${version}:\n${verification.failures.map((f) => `  - ${f}`).join("\n")}`;
    const target = mode.rollback ? undefined : await c.records.rollbackTarget(env);
    if (!target || target === version) {
        throw new PromotionError(
            `${failed}\nNo earlier verified version of ${env} is recorded, so nothing was rolled back.`,
            `npm run promote -- --rollback ${env} --image-tag <last good tag>   (or fix the app and rerun: ${c.rerun})`,
        );
    }
    c.progress.info(`${env}: rolling back to ${target}, the last verified version`);
    await pinVersion(c, env, target);
    const back = await updateAndVerify(c, env, target, true);
    throw new PromotionError(
        back.ok
            ? `${failed}\nRolled back to ${target}; ${env} is verified at ${target} again.`
            : `${failed}\nThe rollback to ${target} failed verification too:\n${back.failures.map((f) => `  - ${f}`).join("\n")}`,
        back.ok
            ? `fix ${version}, then: ${c.rerun}`
            : `pulumi stack history -s ${env}   (then: npm run promote -- --rollback ${env} --image-tag <tag>)`,
    );
}
