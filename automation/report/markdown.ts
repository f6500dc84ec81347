/**
 * The report as Markdown for a GitHub job summary ($GITHUB_STEP_SUMMARY) or a terminal: the
 * headline facts, the failure reasons and the rollout's events with their times.
 */
import { EVENT_LABELS, EVENT_TIMES_NOTE, eventsOf, facts, OUTCOME_TITLES, rel, ReportData } from "./data";

/** Table cells must not break the table. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(d: ReportData, htmlFile?: string): string {
    const out = [`### ${d.env}: ${d.version} — ${OUTCOME_TITLES[d.outcome]}`, "", "| | |", "|---|---|"];
    for (const [k, v] of facts(d)) out.push(`| ${cell(k)} | ${cell(v)} |`);
    if (d.failures.length) out.push("", "**Why it failed**", "", ...d.failures.map((f) => `- ${f}`));
    const events = eventsOf(d);
    if (events.length) {
        out.push("", "| time | rollout event | detail |", "|---|---|---|");
        for (const e of events) out.push(`| ${rel(d, e.at)} | ${EVENT_LABELS[e.kind]} | ${cell(e.detail ?? "")} |`);
        out.push("", `<sub>${EVENT_TIMES_NOTE}</sub>`);
    }
    if (htmlFile) out.push("", `Chart: \`${htmlFile}\``);
    return `${out.join("\n")}\n`;
}
