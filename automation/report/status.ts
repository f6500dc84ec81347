/**
 * `npm run status`: the last promotion's outcome per environment, from the local records —
 * what Swarm did and the longest gap the probe saw — so a rollback by Swarm is visible at a glance.
 */
import { PromotionRecord } from "../records";

const OUTCOME: Record<Exclude<PromotionRecord["status"], "started">, string> = {
    verified: "✅ verified",
    // ❌, not ↩️: the status table measures these emoji as two columns (plan.ts).
    rolled_back: "❌ rolled back by Swarm",
    failed: "❌ failed",
};

/** The last finished record, and the attempt it rolled back from when it is an automatic rollback. */
export function lastOutcome(history: readonly PromotionRecord[]): { last?: PromotionRecord; from?: PromotionRecord } {
    const finished = history.filter((r) => r.status !== "started");
    const last = finished.at(-1);
    const from = last?.rollback
        ? finished
              .slice(0, -1)
              .reverse()
              .find((r) => !r.rollback)
        : undefined;
    return { last, from: from && from.status !== "verified" ? from : undefined };
}

export function outcomeCell(history: readonly PromotionRecord[]): string {
    const { last, from } = lastOutcome(history);
    if (!last || last.status === "started") return "—";
    const base = `${OUTCOME[last.status]} ${last.version}${last.rollback ? " (rollback)" : ""}`;
    return from ? `${base} after ${from.version} ${from.status === "rolled_back" ? "rolled back" : "failed"}` : base;
}

/** The longest gap of the last promotion (its failed attempt included, when it was rolled back). */
export function gapCell(history: readonly PromotionRecord[]): string {
    const { last, from } = lastOutcome(history);
    const probes = [from?.probe, last?.probe].filter((p) => p !== undefined);
    if (!probes.length) return "—";
    const worst = probes.reduce((a, b) => (b.longestGapMs > a.longestGapMs ? b : a));
    const failed = probes.reduce((n, p) => n + p.failures, 0);
    const sent = probes.reduce((n, p) => n + p.sent, 0);
    return `${worst.longestGapMs} ms (${failed}/${sent} failed)`;
}

export function rolloutCell(history: readonly PromotionRecord[]): string {
    const { last, from } = lastOutcome(history);
    const r = (from ?? last)?.rollout;
    if (!r) return "—";
    return `${r.outcome.replace("_", " ")} in ${(r.tookMs / 1000).toFixed(1)} s`;
}

/** Lines under the table: why the last promotion failed, and where its report is. */
export function outcomeLines(env: string, history: readonly PromotionRecord[]): string[] {
    const { last, from } = lastOutcome(history);
    const out: string[] = [];
    const failedOne = from ?? (last && last.status !== "verified" ? last : undefined);
    if (failedOne?.reason) out.push(`${env}: ${failedOne.version}: ${failedOne.reason}`);
    for (const r of [from, last]) if (r?.report) out.push(`${env}: report ${r.report}`);
    return out;
}
