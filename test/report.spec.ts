/**
 * The promotion report, rendered from data: what a person reads in the HTML (facts, chart,
 * events) and in the Markdown job summary, for a good start-first update and a Swarm rollback.
 * The figures are those of real runs (shared/dokploy/real-rollout-log.md §2, short check).
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ReportData } from "../automation/report/data";
import { renderChart } from "../automation/report/chart";
import { renderHtml } from "../automation/report/html";
import { renderMarkdown } from "../automation/report/markdown";
import { writeReport } from "../automation/report/write";
import { ProbeRequest } from "../automation/verify/probe";
import { RolloutEvent } from "../components/dokploy/rollout/types";

const T0 = Date.parse("2026-11-29T03:54:26.000Z");
const IMAGE = "127.0.0.1:5000/app";

/** Probe every 100 ms from 1.5 s before the update: `answer(t)` says what answered at t (s after the update). */
function requests(untilS: number, answer: (t: number) => string | undefined): ProbeRequest[] {
    const out: ProbeRequest[] = [];
    for (let ms = 0; ms <= (untilS + 1.5) * 1000; ms += 100) {
        const v = answer(ms / 1000 - 1.5);
        out.push(v ? { atMs: ms, ok: true, version: v } : { atMs: ms, ok: false, reason: "HTTP 502" });
    }
    return out;
}

function probeOf(reqs: ProbeRequest[], longestGapMs = 0) {
    const versions = [...new Set(reqs.filter((r) => r.version).map((r) => r.version as string))].map((v) => {
        const mine = reqs.filter((r) => r.version === v);
        return { version: v, count: mine.length, firstMs: mine[0].atMs, lastMs: mine[mine.length - 1].atMs };
    });
    return {
        sent: reqs.length,
        failures: reqs.filter((r) => !r.ok).length,
        longestGapMs,
        alreadyDownMs: 0,
        durationMs: reqs[reqs.length - 1].atMs + 100,
        intervalMs: 100,
        samples: [],
        startedAt: T0 - 1500,
        requests: reqs,
        versions,
    };
}

const ev = (s: number, kind: RolloutEvent["kind"], detail?: string): RolloutEvent => ({
    at: T0 + s * 1000,
    kind,
    detail,
});

const good: ReportData = {
    env: "dev",
    version: "v2",
    rollback: false,
    updateAt: T0,
    outcome: "verified",
    failures: [],
    expectedImage: `${IMAGE}:v2`,
    answeredVersion: "v2",
    allowedDowntimeMs: 0,
    rollout: {
        outcome: "completed",
        servingImage: `${IMAGE}:v2`,
        events: [
            ev(0.35, "submitted"),
            ev(1.96, "task_started"),
            ev(2.83, "task_healthy"),
            ev(5.9, "old_task_stopped"),
            ev(23.85, "completed"),
        ],
        deadlineMs: 61_000,
        deadlineText: "61 s = 1 batch × (…)",
        calls: 25,
        startedAt: T0,
        endedAt: T0 + 23_850,
    },
    probe: probeOf(requests(25, (t) => (t < 3.02 ? "v1" : t > 3.92 ? "v2" : Math.round(t * 10) % 2 ? "v1" : "v2"))),
    cutOver: { oldVersion: "v1", newVersion: "v2", firstNewMs: 4500, lastOldMs: 5400 },
};

const rolledBack: ReportData = {
    ...good,
    version: "bad",
    outcome: "rolled_back",
    expectedImage: `${IMAGE}:bad`,
    answeredVersion: "v2",
    failures: [
        `rolled back by Swarm: task: non-zero exit (143): dockerexec: unhealthy container; ${IMAGE}:v2 serves now`,
    ],
    rollout: {
        ...good.rollout!,
        outcome: "rolled_back",
        servingImage: `${IMAGE}:v2`,
        reason: "task: non-zero exit (143): dockerexec: unhealthy container",
        events: [
            ev(0.5, "submitted"),
            ev(1.9, "task_started"),
            ev(9.43, "task_unhealthy", "wget: server returned error: HTTP/1.1 500 <Internal>"),
            ev(11.5, "task_failed", "task: non-zero exit (143): dockerexec: unhealthy container"),
            ev(21.7, "rollback_started"),
            ev(36.7, "rolled_back"),
        ],
        endedAt: T0 + 36_700,
    },
    probe: probeOf(
        requests(38, (t) => (t > 20 && t < 20.35 ? undefined : "v2")),
        400,
    ),
    cutOver: { oldVersion: "v2" },
};

const count = (s: string, needle: string) => s.split(needle).length - 1;

describe("report: a good start-first update", () => {
    it("HTML names the outcome, Swarm's time against its deadline, the probe figures and the cut-over", () => {
        const html = renderHtml(good);
        expect(html).to.match(/^<!doctype html>/);
        expect(html).to.include("<title>dev: v2 — ✅ verified</title>");
        expect(html).to.include("<tr><th>Swarm</th><td>completed after 23.9 s</td></tr>");
        expect(html).to.include("<tr><th>Deadline</th><td>61 s = 1 batch × (…)</td></tr>");
        expect(html).to.include(
            "<tr><th>Probe</th><td>266 requests, 0 failed, longest gap 0 ms (every 100 ms, allowed 0 ms)</td></tr>",
        );
        // Times on the report's clock, which starts with the probe 1.5 s before the update call.
        expect(html).to.include("<tr><th>First v2 answer</th><td>+4.5 s</td></tr>");
        expect(html).to.include("<tr><th>Last v1 answer</th><td>+5.4 s</td></tr>");
        expect(html).to.not.include("Why it failed");
        expect(html).to.not.match(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
    });

    it("the chart draws each rollout event with its time and every probe request in its version's row", () => {
        const svg = renderChart(good);
        for (const label of [
            "update submitted 1.9 s",
            "new task started 3.5 s",
            "new task healthy 4.3 s",
            "old task stopped 7.4 s",
            "Swarm: rollout completed 25.4 s",
        ])
            expect(svg).to.include(`>${label}</text>`);
        expect(count(svg, '<rect class="ok"')).to.equal(good.probe!.sent);
        expect(count(svg, '<rect class="failed"')).to.equal(0);
        expect(svg).to.match(/fill="[^"]+">v1<\/text>/);
        expect(svg).to.match(/fill="[^"]+">v2<\/text>/);
        expect(svg).to.include("seconds since the probe started (update call at 1.5 s)");
    });

    it("Markdown for the job summary carries the same facts and the events table", () => {
        const md = renderMarkdown(good, "/tmp/r.html");
        expect(md).to.match(/^### dev: v2 — ✅ verified\n/);
        expect(md).to.include("| Swarm | completed after 23.9 s |");
        expect(md).to.include("| +25.4 s | Swarm: rollout completed |  |");
        expect(md).to.include("Chart: `/tmp/r.html`");
    });
});

describe("report: a rollback by Swarm", () => {
    it("names Swarm's reason and what serves now, and draws failed requests in the red failed row", () => {
        const html = renderHtml(rolledBack);
        expect(html).to.include("<title>dev: bad — ↩️ rolled back by Swarm</title>");
        expect(html).to.include(
            "<tr><th>Swarm&#39;s reason</th><td>task: non-zero exit (143): dockerexec: unhealthy container</td></tr>",
        );
        expect(html).to.include(`<tr><th>Serving now</th><td>${IMAGE}:v2</td></tr>`);
        expect(html).to.include("<tr><th>Answers</th><td>only v2 answered</td></tr>");
        expect(html).to.include("<h2>Why it failed</h2>");
        expect(html).to.include("HTTP/1.1 500 &lt;Internal&gt;"); // escaped, not markup
        const svg = renderChart(rolledBack);
        expect(count(svg, '<rect class="failed"')).to.equal(rolledBack.probe!.failures);
        expect(svg).to.include('fill="#dc2626">failed</text>');
        expect(svg).to.include(">Swarm: rollback started 23.2 s</text>");
        expect(svg).to.include(">Swarm: rolled back 38.2 s</text>");
    });

    it("lists events in time order even when the watch dated one back (a task's first passing health check)", () => {
        const late: ReportData = {
            ...good,
            rollout: {
                ...good.rollout!,
                events: [ev(0, "submitted"), ev(6, "task_started"), ev(4, "task_healthy"), ev(12, "completed")],
            },
        };
        const md = renderMarkdown(late);
        expect(md.indexOf("| new task healthy |")).to.be.lessThan(md.indexOf("| new task started |"));
        expect(md).to.include("“healthy” is dated from Docker's health log");
        const html = renderHtml(late);
        expect(html.indexOf(">new task healthy<")).to.be.lessThan(html.indexOf(">new task started<"));
    });

    it("Markdown keeps a table intact when a detail holds a pipe", () => {
        const md = renderMarkdown({
            ...rolledBack,
            rollout: { ...rolledBack.rollout!, events: [ev(1, "task_failed", "exit 1 | unhealthy")] },
        });
        expect(md).to.include("| +2.5 s | new task failed | exit 1 \\| unhealthy |");
        expect(md).to.include("**Why it failed**");
    });

    it("writes HTML and Markdown files and appends the Markdown to the job summary", async () => {
        const dir = await mkdtemp(path.join(tmpdir(), "report-"));
        try {
            const summary = path.join(dir, "summary.md");
            const a = await writeReport(path.join(dir, "reports"), good, summary);
            const b = await writeReport(path.join(dir, "reports"), rolledBack, summary);
            expect(path.basename(a.html)).to.equal("dev-2026-11-29T03-54-26-000Z-v2.html");
            expect(await readFile(b.html, "utf8")).to.include("rolled back by Swarm");
            expect(await readFile(b.markdown, "utf8")).to.equal(renderMarkdown(rolledBack, b.html));
            const both = await readFile(summary, "utf8");
            expect(both.indexOf("### dev: v2")).to.be.lessThan(both.indexOf("### dev: bad"));
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});
