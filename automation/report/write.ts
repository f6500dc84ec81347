/**
 * Writes one environment's report (HTML + Markdown) next to the promotion records, and appends
 * the Markdown to the GitHub job summary when the CLI runs with $GITHUB_STEP_SUMMARY set.
 */
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ReportData } from "./data";
import { renderHtml } from "./html";
import { renderMarkdown } from "./markdown";

export interface WrittenReport {
    readonly html: string;
    readonly markdown: string;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");

/** `stepSummaryFile`: $GITHUB_STEP_SUMMARY, passed in by the CLI (tests never append to CI's summary). */
export async function writeReport(dir: string, d: ReportData, stepSummaryFile?: string): Promise<WrittenReport> {
    await mkdir(dir, { recursive: true });
    const stamp = new Date(d.updateAt).toISOString().replace(/[:.]/g, "-");
    const base = path.join(dir, `${safe(d.env)}-${stamp}-${safe(d.version)}${d.rollback ? "-rollback" : ""}`);
    const html = `${base}.html`;
    const markdown = `${base}.md`;
    const md = renderMarkdown(d, html);
    await writeFile(html, renderHtml(d));
    await writeFile(markdown, md);
    if (stepSummaryFile) await appendFile(stepSummaryFile, `${md}\n`);
    return { html, markdown };
}
