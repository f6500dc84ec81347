/**
 * One update of one environment, followed to Swarm's end: the probe starts before the update
 * call, the rollout watch runs alongside `up`, verification waits for the watch's outcome, and
 * the durable records ("started", then "verified"/"rolled_back"/"failed") and the report are
 * written around it. When `up` fails because the provider saw Swarm roll back, the watch is
 * asked what happened (its reason and what serves now) instead of parsing the error text.
 */
import { EnvironmentName } from "../components/config";
import { RolloutEvent, RolloutResult } from "../components/dokploy/rollout/types";
import type { DeployContext } from "./deploy";
import { deployedApp, DeployedApp, StackOutputs } from "./engine";
import { InterruptedError } from "./errors";
import { PromotionRecord } from "./records";
import { ReportData } from "./report/data";
import { writeReport } from "./report/write";
import { describeOutcome, mentionsRolloutFailure, rolloutTarget, RolloutTarget } from "./rollout";
import { describeCutOver, describeProbe, Probe } from "./verify/probe";
import { Verification, verifyDeployment } from "./verify/verify";
import { ImagePin, imageFields } from "./version/pin";

const now = () => new Date().toISOString();
const firstLine = (err: unknown) => (err instanceof Error ? err.message.split("\n")[0] : String(err));

function runOpts(c: DeployContext) {
    return { signal: c.signal, onOutput: c.verbose ? (t: string) => c.progress.output(t) : undefined };
}

/** The step's one-line outcome: what Swarm did, against which deadline, what the probe saw. */
function describeVerification(v: Verification): { failed: boolean; text: string } {
    const parts: string[] = [];
    const r = v.rollout;
    if (r?.outcome === "completed")
        parts.push(
            `Swarm completed in ${((r.endedAt - r.startedAt) / 1000).toFixed(1)} s (deadline ${r.deadlineText})`,
        );
    else if (r) parts.push(describeOutcome(r));
    if (v.answeredVersion) parts.push(`health answers ${v.answeredVersion}`);
    if (v.probe) parts.push(`probe: ${describeProbe(v.probe)}`);
    const cut = v.cutOver && describeCutOver(v.cutOver);
    if (cut) parts.push(cut);
    return {
        failed: !v.ok,
        text: `${v.ok ? "verified" : v.kind === "rolled_back" ? "rolled back" : "failed"}; ${parts.join("; ")}`,
    };
}

function recordFields(v: Verification, interrupted: boolean): Partial<PromotionRecord> {
    const r = v.rollout;
    const p = v.probe;
    const cut = v.cutOver;
    return {
        ...(p
            ? {
                  probe: {
                      sent: p.sent,
                      failures: p.failures,
                      longestGapMs: p.longestGapMs,
                      ...(cut?.oldVersion ? { oldVersion: cut.oldVersion } : {}),
                      ...(cut?.newVersion ? { newVersion: cut.newVersion } : {}),
                      ...(cut?.firstNewMs !== undefined ? { firstNewMs: cut.firstNewMs } : {}),
                      ...(cut?.lastOldMs !== undefined ? { lastOldMs: cut.lastOldMs } : {}),
                  },
              }
            : {}),
        ...(r
            ? {
                  rollout: {
                      outcome: r.outcome,
                      tookMs: Math.round(r.endedAt - r.startedAt),
                      decidedAt: new Date(r.endedAt).toISOString(),
                      deadlineMs: r.deadlineMs,
                      calls: r.calls,
                      ...(r.servingImage ? { servingImage: r.servingImage } : {}),
                      ...(r.reason ? { reason: r.reason } : {}),
                  },
              }
            : {}),
        ...(v.answeredVersion ? { servingVersion: v.answeredVersion } : {}),
        ...(interrupted
            ? { status: "failed" as const, reason: "interrupted (Ctrl-C) during verification" }
            : v.kind === "verified"
              ? { status: "verified" as const, verifiedAt: now() }
              : {
                    status: v.kind,
                    // A rollback's record starts with Swarm's words: "rolled back by Swarm: …".
                    reason: r && r.outcome !== "completed" ? describeOutcome(r) : v.failures.join("; "),
                }),
    };
}

/**
 * Update and verify one version, with its durable records on both sides of the update.
 * `rolloutExpected`: the preview changes the app, so Swarm will roll it out and the watch follows
 * that rollout from before the update call. When it does not (a rerun after the update already
 * went through), the watch checks what runs now instead: every task on the expected image,
 * healthy, nothing else running (the watcher's "create" rules with an empty baseline).
 */
export async function updateAndVerify(
    c: DeployContext,
    env: EnvironmentName,
    version: string,
    rollback: boolean,
    image?: ImagePin,
    rolloutExpected = true,
): Promise<Verification> {
    const before = await c.engine.outputs(env).catch((): StackOutputs => ({}));
    const old = deployedApp(before);
    const outputsNow = () => c.engine.outputs(env).catch((): StackOutputs => ({}));
    let target: RolloutTarget | undefined = rolloutTarget(before, version, image?.digest);
    // The probe starts before the update when the app is already deployed, so the cut-over is measured.
    const probeUrl = old.healthUrl ?? old.appUrl;
    let probe = probeUrl ? new Probe(probeUrl, { intervalMs: c.probeIntervalMs }).start() : undefined;
    const since = Date.now();
    const stopAll = new AbortController();
    const onAbort = () => stopAll.abort();
    c.signal?.addEventListener("abort", onAbort, { once: true });
    const onEvent = (e: RolloutEvent) =>
        c.progress.info(
            `    ${env}: ${((e.at - since) / 1000).toFixed(1)} s ${e.kind}${e.detail ? ` (${e.detail})` : ""}`,
        );
    /** "rollout": follow the update from before its call; "create"/"now": judge what runs (first deploy, nothing deployed). */
    const watch = (t: RolloutTarget, mode: "rollout" | "create" | "now", baseline?: readonly string[]) => {
        const own = new AbortController();
        const signal = AbortSignal.any([stopAll.signal, own.signal]);
        const result = c.rollout.watch(env, {
            ...t,
            since,
            baseline,
            firstDeploy: mode !== "rollout",
            signal,
            onEvent,
        });
        // An abandoned watch must not surface as an unhandled rejection.
        result.catch(() => undefined);
        return { result, abort: () => own.abort() };
    };
    // Judging what runs now, the exited containers of earlier tasks are history, not news.
    const judgeNow = async (t: RolloutTarget, why: string) => {
        c.progress.info(`    ${env}: ${why}; checking what Swarm runs now`);
        return watch(t, "now", await c.rollout.baseline(env, t.appName, { stoppedOnly: true }).catch(() => []));
    };
    const live =
        target && rolloutExpected
            ? watch(target, "rollout", await c.rollout.baseline(env, target.appName).catch(() => undefined))
            : undefined;
    const base = { environment: env, version, ...imageFields(image), ...(rollback ? { rollback } : {}) };
    await c.records.append({ ...base, status: "started", at: now() });

    let app: DeployedApp;
    let watching: Promise<RolloutResult> | undefined = live?.result;
    try {
        app = deployedApp(
            (await c.progress.step(`${env}: update to ${version}`, () => c.engine.up(env, runOpts(c)))).outputs,
        );
        if (live && target && app.deploymentId !== undefined && app.deploymentId === old.deploymentId) {
            // No new Dokploy deployment: nothing was rolled out, so there is no rollout to wait for.
            live.abort();
            watching = (await judgeNow(target, "the update deployed nothing new")).result;
        } else if (!live) {
            const firstDeployment = target === undefined;
            target = rolloutTarget(await outputsNow(), version, image?.digest);
            if (target && firstDeployment) watching = watch(target, "create").result;
            else if (target) watching = (await judgeNow(target, "the update changed nothing in the app")).result;
        }
    } catch (err) {
        const interrupted = c.signal?.aborted === true;
        if (interrupted || !mentionsRolloutFailure(firstLine(err))) {
            stopAll.abort();
            await probe?.cancel();
            c.signal?.removeEventListener("abort", onAbort);
            const reason = interrupted ? "interrupted (Ctrl-C) during the update" : `update failed: ${firstLine(err)}`;
            await c.records.append({ ...base, status: "failed", at: now(), reason });
            throw interrupted ? new InterruptedError(env) : err;
        }
        // The provider saw Swarm roll back: verification asks the watch, which knows why and what serves.
        c.progress.info(`    ${env}: the update reported a rollback; asking Swarm what happened`);
        target ??= rolloutTarget(await outputsNow(), version, image?.digest);
        if (!watching && target) watching = (await judgeNow(target, "no rollout was being followed")).result;
        app = { ...old, deploymentStatus: undefined };
    }
    if (!probe && (app.healthUrl ?? app.appUrl)) {
        c.progress.info(`    ${env}: first deployment here, so the probe covers verification only`);
        probe = new Probe((app.healthUrl ?? app.appUrl) as string, { intervalMs: c.probeIntervalMs }).start();
    }
    const verification = await c.progress.step(
        `${env}: verify ${version} (Swarm rollout, health, probe)`,
        () =>
            verifyDeployment(
                { app, version, expectedImage: target?.expectedImage, rollout: watching, probe },
                {
                    healthDeadlineMs: c.healthDeadlineMs,
                    healthIntervalMs: c.healthIntervalMs,
                    allowedDowntimeMs: c.allowedDowntimeMs,
                    settleMs: c.settleMs,
                    signal: c.signal,
                },
            ),
        describeVerification,
    );
    c.signal?.removeEventListener("abort", onAbort);
    stopAll.abort(); // nothing is followed any longer
    const interrupted = c.signal?.aborted === true;
    const report = await writeEnvironmentReport(c, {
        env,
        version,
        rollback,
        updateAt: since,
        outcome: verification.kind,
        failures: verification.failures,
        expectedImage: target?.expectedImage,
        rollout: verification.rollout,
        probe: verification.probe,
        cutOver: verification.cutOver,
        answeredVersion: verification.answeredVersion,
        allowedDowntimeMs: c.allowedDowntimeMs,
    });
    await c.records.append({
        ...base,
        at: now(),
        ...(app.deploymentId ? { deploymentId: app.deploymentId } : {}),
        ...(report ? { report } : {}),
        ...recordFields(verification, interrupted),
    } as PromotionRecord);
    if (interrupted) throw new InterruptedError(env);
    return verification;
}

/** The report never decides the promotion: a write failure costs one line. */
async function writeEnvironmentReport(c: DeployContext, d: ReportData): Promise<string | undefined> {
    try {
        const written = await writeReport(c.reportDir, d, c.stepSummaryFile);
        c.progress.info(`    ${d.env}: report ${written.html}`);
        return written.html;
    } catch (err) {
        c.progress.info(`    ${d.env}: could not write the report: ${firstLine(err)}`);
        return undefined;
    }
}
