/**
 * The report's chart as inline SVG: the rollout's events as labelled vertical lines over a
 * time axis, and below them every probe request as a mark in the row of the version that
 * answered it (failed requests in their own red row), so the cut-over reads left to right.
 */
import { EVENT_LABELS, eventsOf, originOf, probeTime, ReportData } from "./data";

const W = 960;
const LEFT = 150;
const RIGHT = 20;
const ROW = 26;
const PALETTE = ["#64748b", "#2563eb", "#16a34a", "#9333ea", "#0891b2", "#ca8a04"];
export const FAILED_COLOUR = "#dc2626";
const EVENT_COLOUR: Partial<Record<string, string>> = {
    completed: "#16a34a",
    task_healthy: "#16a34a",
    rollback_started: FAILED_COLOUR,
    rolled_back: FAILED_COLOUR,
    task_unhealthy: FAILED_COLOUR,
    task_failed: FAILED_COLOUR,
    paused: "#ca8a04",
    deadline: "#ca8a04",
};

export function escapeXml(s: string): string {
    return s.replace(
        /[<>&"']/g,
        (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
    );
}

/** A tick step (1, 2, 5 × 10^n seconds) giving at most ~12 ticks. */
function tickStep(spanMs: number): number {
    const raw = spanMs / 12;
    const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
    return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
}

/** Rows of the probe lane: versions in order of first answer, "answered" (no version), failed. */
export function probeRows(d: ReportData): { label: string; colour: string; key: string }[] {
    const p = d.probe;
    if (!p) return [];
    const rows = p.versions.map((v, i) => ({
        label: v.version,
        colour: PALETTE[i % PALETTE.length],
        key: `v:${v.version}`,
    }));
    if (p.requests.some((r) => r.ok && !r.version)) rows.push({ label: "answered", colour: PALETTE[0], key: "ok" });
    if (p.requests.some((r) => !r.ok)) rows.push({ label: "failed", colour: FAILED_COLOUR, key: "failed" });
    return rows;
}

export function renderChart(d: ReportData): string {
    const origin = originOf(d);
    const events = eventsOf(d);
    const lastEvent = Math.max(0, ...events.map((e) => e.at - origin), (d.rollout?.endedAt ?? origin) - origin);
    const lastProbe = d.probe ? probeTime(d, d.probe.durationMs) : 0;
    const span = Math.max(1000, lastEvent, lastProbe) * 1.02;
    const x = (ms: number) => LEFT + (Math.max(0, ms) / span) * (W - LEFT - RIGHT);
    const rows = probeRows(d);
    const eventsTop = 20;
    const eventRows = Math.max(1, events.length);
    const probeTop = eventsTop + eventRows * 16 + 20;
    const axisY = probeTop + Math.max(1, rows.length) * ROW + 10;
    const H = axisY + 36;
    const out: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="Rollout timeline of ${escapeXml(d.env)} ${escapeXml(d.version)}">`,
    ];
    // Event lines run through the probe rows; labels are stacked so none overlaps another.
    events.forEach((e, i) => {
        const ex = x(e.at - origin);
        const colour = EVENT_COLOUR[e.kind] ?? "#475569";
        const y = eventsTop + i * 16 + 12;
        const label = `${EVENT_LABELS[e.kind]} ${((e.at - origin) / 1000).toFixed(1)} s`;
        const anchor = ex > W - 260 ? "end" : "start";
        out.push(
            `<g class="event ${e.kind}"><title>${escapeXml(`${label}${e.detail ? `: ${e.detail}` : ""}`)}</title>` +
                `<line x1="${ex.toFixed(1)}" y1="${y - 10}" x2="${ex.toFixed(1)}" y2="${axisY}" stroke="${colour}" stroke-dasharray="3,3"/>` +
                `<text x="${(ex + (anchor === "end" ? -4 : 4)).toFixed(1)}" y="${y}" fill="${colour}" text-anchor="${anchor}">${escapeXml(label)}</text></g>`,
        );
    });
    rows.forEach((r, i) => {
        const y = probeTop + i * ROW + ROW / 2;
        out.push(
            `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" fill="${r.colour}">${escapeXml(r.label)}</text>`,
            `<line x1="${LEFT}" y1="${y}" x2="${W - RIGHT}" y2="${y}" stroke="#e2e8f0"/>`,
        );
    });
    if (d.probe) {
        const rowOf = new Map(rows.map((r, i) => [r.key, i]));
        const marks: string[] = [];
        for (const q of d.probe.requests) {
            const key = !q.ok ? "failed" : q.version ? `v:${q.version}` : "ok";
            const i = rowOf.get(key) ?? 0;
            const y = probeTop + i * ROW + ROW / 2;
            const cls = q.ok ? "ok" : "failed";
            marks.push(
                `<rect class="${cls}" x="${(x(probeTime(d, q.atMs)) - 1).toFixed(1)}" y="${y - 7}" width="2" height="14" fill="${rows[i]?.colour ?? PALETTE[0]}"/>`,
            );
        }
        out.push(`<g class="requests">${marks.join("")}</g>`);
    } else {
        out.push(
            `<text x="${LEFT}" y="${probeTop + ROW / 2}" fill="#64748b">no probe (first deployment had no URL before the update)</text>`,
        );
    }
    // Time axis in seconds from the report's origin.
    out.push(`<line x1="${LEFT}" y1="${axisY}" x2="${W - RIGHT}" y2="${axisY}" stroke="#334155"/>`);
    const step = tickStep(span);
    for (let t = 0; t <= span; t += step) {
        const tx = x(t).toFixed(1);
        out.push(
            `<line x1="${tx}" y1="${axisY}" x2="${tx}" y2="${axisY + 4}" stroke="#334155"/>`,
            `<text x="${tx}" y="${axisY + 16}" text-anchor="middle" fill="#334155">${(t / 1000).toFixed(step < 1000 ? 1 : 0)}</text>`,
        );
    }
    out.push(
        `<text x="${W - RIGHT}" y="${axisY + 32}" text-anchor="end" fill="#334155">seconds since the probe started (update call at ${((d.updateAt - origin) / 1000).toFixed(1)} s)</text>`,
    );
    out.push("</svg>");
    return out.join("\n");
}
