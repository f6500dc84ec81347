/**
 * Verification after an update follows the rollout to its end: it passes only when Swarm
 * completed the rollout with the expected image, the health URL answers 200 (with the new
 * version, when its body says which), and the probe saw no outage longer than allowed over the
 * whole cut-over plus a settle period. Dokploy's `done` alone proves nothing: it is set when the
 * service update is submitted, and stays `done` through a rollback (real-rollout-log §1.1, §1.2, §7).
 * All checks run and every failure is reported, so one message says everything that is wrong.
 */
import { RolloutResult } from "../../components/dokploy/rollout/types";
import { DeployedApp } from "../engine";
import { describeOutcome, tagOf } from "../rollout";
import { pause } from "./clock";
import { probeOnce, waitForHealthy } from "./health";
import { cutOver, CutOver, describeProbe, Probe, ProbeReport } from "./probe";

export interface VerifyOptions {
    readonly healthDeadlineMs: number;
    readonly healthIntervalMs?: number;
    /** Outage the probe may see and still pass; 0 = zero downtime. */
    readonly allowedDowntimeMs: number;
    /** Probing goes on this long after Swarm completed, so the tail of the cut-over is covered. */
    readonly settleMs?: number;
    readonly signal?: AbortSignal;
}

export interface VerifyInput {
    readonly app: DeployedApp;
    /** The version promoted (image tag), and the image Swarm must end up running. */
    readonly version: string;
    readonly expectedImage?: string;
    /** The watch of this update's rollout; undefined when the stack does not say which service to watch. */
    readonly rollout?: Promise<RolloutResult>;
    readonly probe?: Probe;
}

export type VerificationKind = "verified" | "rolled_back" | "failed";

export interface Verification {
    readonly ok: boolean;
    /** "rolled_back": Swarm rolled the update back, so the record must never say "verified". */
    readonly kind: VerificationKind;
    readonly failures: readonly string[];
    readonly probe?: ProbeReport;
    readonly healthMs?: number;
    readonly rollout?: RolloutResult;
    /** The `version` the health endpoint answered with at the end, when its body carries one. */
    readonly answeredVersion?: string;
    readonly cutOver?: CutOver;
}

/**
 * Same image: same `repository:tag`, and the same digest when both name one (`docker service ls`
 * shows a spec image without its digest, a container's Config.Image keeps it).
 */
export function sameImage(a: string, b: string): boolean {
    const split = (s: string) => {
        const [name, digest] = s.split("@");
        return { name, digest };
    };
    const x = split(a);
    const y = split(b);
    return x.name === y.name && (!x.digest || !y.digest || x.digest === y.digest);
}

const seconds = (ms: number) => (ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

async function watched(rollout: Promise<RolloutResult>, failures: string[]): Promise<RolloutResult | undefined> {
    try {
        return await rollout;
    } catch (err) {
        failures.push(
            `could not follow Swarm's rollout: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
        );
        return undefined;
    }
}

export async function verifyDeployment(input: VerifyInput, opts: VerifyOptions): Promise<Verification> {
    const { app, probe } = input;
    const failures: string[] = [];
    let healthMs: number | undefined;
    let report: ProbeReport | undefined;
    let rollout: RolloutResult | undefined;
    let answeredVersion: string | undefined;
    // What answered before the update: the probe started before the update call.
    const oldVersion = probe?.firstVersion;
    try {
        if (!input.rollout) {
            failures.push(
                "the stack exports no dokployAppName/ecrRepositoryUrl, so Swarm's rollout cannot be followed (run `pulumi up` once to add those outputs)",
            );
        } else {
            rollout = await watched(input.rollout, failures);
        }
        if (app.deploymentStatus !== undefined && app.deploymentStatus !== "done") {
            failures.push(
                `Dokploy deployment ${app.deploymentId ?? "(no id)"} ended "${app.deploymentStatus}", not "done" (see the deployment log in Dokploy)`,
            );
        }
        if (rollout && rollout.outcome !== "completed") {
            // Which version serves now, in the app's own words when it says.
            const now = app.healthUrl
                ? await probeOnce(app.healthUrl, 2000, opts.signal, { readVersion: true })
                : undefined;
            answeredVersion = now?.version;
            const serving = answeredVersion ? `; the health endpoint answers ${answeredVersion}` : "";
            failures.push(`${describeOutcome(rollout)}${serving}`);
        } else if (rollout) {
            if (input.expectedImage && rollout.servingImage && !sameImage(rollout.servingImage, input.expectedImage)) {
                failures.push(
                    `Swarm completed, but the service runs ${rollout.servingImage}, not ${input.expectedImage}`,
                );
            }
            if (!app.healthUrl) {
                failures.push("the stack exports no healthUrl, so health cannot be checked");
            } else {
                const health = await waitForHealthy(app.healthUrl, {
                    deadlineMs: opts.healthDeadlineMs,
                    intervalMs: opts.healthIntervalMs,
                    signal: opts.signal,
                });
                if (health.ok) {
                    healthMs = health.elapsedMs;
                    answeredVersion = health.version;
                    if (answeredVersion && oldVersion && answeredVersion === oldVersion && oldVersion !== input.version)
                        failures.push(
                            `${app.healthUrl} still answers ${oldVersion} after Swarm completed the rollout to ${input.version}`,
                        );
                } else
                    failures.push(
                        `${app.healthUrl} did not answer 200 within ${seconds(opts.healthDeadlineMs)} (${health.attempts} attempts, last: ${health.last})`,
                    );
            }
            if (probe && opts.settleMs) await pause(opts.settleMs, opts.signal);
        }
    } finally {
        // The probe covers "until the rollout ended plus the settle period", whatever ended it.
        report = probe ? (opts.signal?.aborted ? await probe.cancel() : await probe.stop()) : undefined;
    }
    if (report && report.failures > 0 && report.longestGapMs > opts.allowedDowntimeMs) {
        failures.push(
            `downtime during the cut-over: ${describeProbe(report)}${report.samples.length ? `; e.g. ${report.samples.join(", ")}` : ""}`,
        );
    }
    const kind: VerificationKind =
        rollout?.outcome === "rolled_back" ? "rolled_back" : failures.length ? "failed" : "verified";
    return {
        ok: kind === "verified",
        kind,
        failures,
        probe: report,
        healthMs,
        rollout,
        answeredVersion,
        cutOver: report ? cutOver(report, oldVersion, tagOf(input.expectedImage) ?? input.version) : undefined,
    };
}
