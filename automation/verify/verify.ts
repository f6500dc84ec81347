/**
 * Verification after an update: Dokploy reported the deployment `done`, the health endpoint
 * answers 200 before the deadline, and the probe saw no outage longer than allowed.
 * All checks run and every failure is reported, so one message says everything that is wrong.
 */
import { DeployedApp } from "../engine";
import { waitForHealthy } from "./health";
import { describeProbe, Probe, ProbeReport } from "./probe";

export interface VerifyOptions {
    readonly healthDeadlineMs: number;
    readonly healthIntervalMs?: number;
    /** Outage the probe may see and still pass; 0 = zero downtime. */
    readonly allowedDowntimeMs: number;
    readonly signal?: AbortSignal;
}

export interface Verification {
    readonly ok: boolean;
    readonly failures: readonly string[];
    readonly probe?: ProbeReport;
    readonly healthMs?: number;
}

export async function verifyDeployment(
    app: DeployedApp,
    probe: Probe | undefined,
    opts: VerifyOptions,
): Promise<Verification> {
    const failures: string[] = [];
    let healthMs: number | undefined;
    let report: ProbeReport | undefined;
    try {
        if (app.deploymentStatus !== "done") {
            failures.push(
                `Dokploy deployment ${app.deploymentId ?? "(no id)"} ended "${app.deploymentStatus ?? "unknown"}", not "done" (see the deployment log in Dokploy)`,
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
            if (health.ok) healthMs = health.elapsedMs;
            else
                failures.push(
                    `${app.healthUrl} did not answer 200 within ${opts.healthDeadlineMs < 10_000 ? `${opts.healthDeadlineMs} ms` : `${Math.round(opts.healthDeadlineMs / 1000)} s`} (${health.attempts} attempts, last: ${health.last})`,
                );
        }
    } finally {
        // The probe covers "until verification ends", whatever ended it.
        report = probe ? (opts.signal?.aborted ? await probe.cancel() : await probe.stop()) : undefined;
    }
    if (report && report.failures > 0 && report.longestGapMs > opts.allowedDowntimeMs) {
        failures.push(
            `downtime during the cut-over: ${describeProbe(report)}${report.samples.length ? `; e.g. ${report.samples.join(", ")}` : ""}`,
        );
    }
    return { ok: failures.length === 0, failures, probe: report, healthMs };
}
