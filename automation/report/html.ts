/**
 * The report as one self-contained HTML file (inline CSS and SVG, no scripts, no external
 * resources), so it can be opened from disk, attached to a CI run or mailed.
 */
import { escapeXml, renderChart } from "./chart";
import { EVENT_LABELS, EVENT_TIMES_NOTE, eventsOf, facts, OUTCOME_TITLES, rel, ReportData } from "./data";

const CSS = `body{font-family:system-ui,sans-serif;margin:2rem;color:#0f172a;max-width:1000px}
h1{font-size:1.4rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #cbd5e1;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f1f5f9}.verified{color:#16a34a}.rolled_back,.failed{color:#dc2626}ul.failures li{color:#b91c1c}`;

export function renderHtml(d: ReportData): string {
    const title = `${d.env}: ${d.version} — ${OUTCOME_TITLES[d.outcome]}`;
    const rows = facts(d)
        .map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td>${escapeXml(v)}</td></tr>`)
        .join("\n");
    const events = eventsOf(d)
        .map(
            (e) =>
                `<tr class="${e.kind}"><td>${escapeXml(rel(d, e.at))}</td><td>${escapeXml(EVENT_LABELS[e.kind])}</td><td>${escapeXml(e.detail ?? "")}</td></tr>`,
        )
        .join("\n");
    const failures = d.failures.length
        ? `<h2>Why it failed</h2>\n<ul class="failures">${d.failures.map((f) => `<li>${escapeXml(f)}</li>`).join("")}</ul>`
        : "";
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body>
<h1 class="${d.outcome}">${escapeXml(title)}</h1>
<p>Update called ${escapeXml(new Date(d.updateAt).toISOString())}.</p>
<table class="facts">
${rows}
</table>
${failures}
<h2>Timeline</h2>
${renderChart(d)}
<h2>Rollout events</h2>
${events ? `<table class="events"><tr><th>time</th><th>event</th><th>detail</th></tr>\n${events}\n</table>\n<p>${escapeXml(EVENT_TIMES_NOTE)}</p>` : "<p>No rollout events were seen.</p>"}
</body></html>
`;
}
