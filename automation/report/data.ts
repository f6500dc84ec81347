/**
 * What a promotion report shows for one environment, as plain data (rendered by chart.ts,
 * html.ts and markdown.ts, written by write.ts). Times are epoch ms; the report's clock starts
 * at the earliest of the update call and the probe's first request.
 */
import { RolloutEvent, RolloutResult } from "../../components/dokploy/rollout/types";
import { CutOver, ProbeReport } from "../verify/probe";
import { VerificationKind } from "../verify/verify";

export interface ReportData {
    readonly env: string;
    readonly version: string;
    readonly rollback: boolean;
    /** Epoch ms just before the update call. */
    readonly updateAt: number;
    readonly outcome: VerificationKind;
    readonly failures: readonly string[];
    readonly expectedImage?: string;
    readonly rollout?: RolloutResult;
    readonly probe?: ProbeReport;
    readonly cutOver?: CutOver;
    /** The version the health endpoint answered with at the end. */
    readonly answeredVersion?: string;
    readonly allowedDowntimeMs: number;
}

export const EVENT_LABELS: Record<RolloutEvent["kind"], string> = {
    submitted: "update submitted",
    task_started: "new task started",
    task_healthy: "new task healthy",
    task_unhealthy: "new task unhealthy",
    task_failed: "new task failed",
    old_task_stopped: "old task stopped",
    completed: "Swarm: rollout completed",
    rollback_started: "Swarm: rollback started",
    rolled_back: "Swarm: rolled back",
    paused: "Swarm: update paused",
    deadline: "deadline passed",
};

export const OUTCOME_TITLES: Record<VerificationKind, string> = {
    verified: "✅ verified",
    rolled_back: "↩️ rolled back by Swarm",
    failed: "❌ failed verification",
};

/** The rollout's events in time order (a back-dated "healthy" may arrive after a later "started"). */
export function eventsOf(d: ReportData): RolloutEvent[] {
    return [...(d.rollout?.events ?? [])].sort((a, b) => a.at - b.at);
}

/** How the event times were taken, said once under each timeline. */
export const EVENT_TIMES_NOTE =
    "Event times are when the rollout watch saw them through Dokploy's API (about one call per second); " +
    "“healthy” is dated from Docker's health log.";

/** The report's time zero (epoch ms). */
export function originOf(d: ReportData): number {
    return Math.min(d.updateAt, d.probe?.startedAt || d.updateAt);
}

/** "+23.9 s" relative to the report's origin. */
export function rel(d: ReportData, epochMs: number): string {
    return seconds(epochMs - originOf(d));
}

export function seconds(ms: number): string {
    return `${ms < 0 ? "−" : "+"}${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

/** The probe's time (ms after its first request) on the report's clock. */
export function probeTime(d: ReportData, atMs: number): number {
    return (d.probe?.startedAt ?? d.updateAt) + atMs - originOf(d);
}

/** The headline facts, in the order a person asks for them; shared by HTML and Markdown. */
export function facts(d: ReportData): [string, string][] {
    const out: [string, string][] = [];
    out.push(["Outcome", OUTCOME_TITLES[d.outcome]]);
    out.push(["Version", `${d.version}${d.rollback ? " (rollback)" : ""}`]);
    if (d.expectedImage) out.push(["Image deployed", d.expectedImage]);
    const r = d.rollout;
    if (r) {
        out.push(["Swarm", `${r.outcome.replace("_", " ")} after ${seconds(r.endedAt - d.updateAt).slice(1)}`]);
        if (r.reason) out.push(["Swarm's reason", r.reason]);
        if (r.servingImage) out.push(["Serving now", r.servingImage]);
        out.push(["Deadline", r.deadlineText]);
    }
    if (d.answeredVersion) out.push(["Health endpoint answers", d.answeredVersion]);
    const p = d.probe;
    if (p) {
        out.push([
            "Probe",
            `${p.sent} requests, ${p.failures} failed, longest gap ${p.longestGapMs} ms (every ${p.intervalMs} ms, allowed ${d.allowedDowntimeMs} ms)`,
        ]);
    }
    const c = d.cutOver;
    if (c?.newVersion && c.firstNewMs !== undefined && d.probe)
        out.push([`First ${c.newVersion} answer`, seconds(probeTime(d, c.firstNewMs))]);
    if (c?.oldVersion && c.lastOldMs !== undefined && d.probe)
        out.push([`Last ${c.oldVersion} answer`, seconds(probeTime(d, c.lastOldMs))]);
    if (c && !c.newVersion && c.oldVersion) out.push(["Answers", `only ${c.oldVersion} answered`]);
    return out;
}
