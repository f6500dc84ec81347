/**
 * Verification against real HTTP servers on 127.0.0.1: health polling with a deadline, and the
 * zero-downtime probe's figures for a healthy app and for one that is down for a known window.
 * Where a test only needs time to pass (a deadline, a probe interval), it runs on a virtual clock:
 * the requests stay real, the waiting between them is skipped.
 */
import { expect } from "chai";
import { VerifyClock } from "../automation/verify/clock";
import { waitForHealthy } from "../automation/verify/health";
import { RolloutResult } from "../components/dokploy/rollout/types";
import { cutOver, describeCutOver, describeProbe, Probe, summarise } from "../automation/verify/probe";
import { sameImage, verifyDeployment } from "../automation/verify/verify";
import { Loopback, startLoopback, until } from "./support/loopback";

/**
 * Virtual time for automation/verify/clock.ts, behaving as the real clock does there: `now` is
 * monotonic; `pause` ends early when its signal aborts and otherwise after `ms` (it moves the
 * clock on by `ms`, after a turn of the event loop as a timer would); `every` ticks at each
 * multiple of its period that the clock passes, in time order, like setInterval, until stopped.
 */
class VirtualClock implements VerifyClock {
    private t = 0;
    private readonly tickers = new Set<{ next: number; readonly ms: number; readonly tick: () => void }>();

    now(): number {
        return this.t;
    }

    async pause(ms: number, signal?: AbortSignal): Promise<void> {
        if (signal?.aborted) return;
        await new Promise((r) => setImmediate(r));
        if (!signal?.aborted) this.advance(ms);
    }

    every(ms: number, tick: () => void): () => void {
        const ticker = { next: this.t + ms, ms, tick };
        this.tickers.add(ticker);
        return () => this.tickers.delete(ticker);
    }

    /** Moves time on by `ms`, running the ticks that fall due on the way; returns how many ran. */
    advance(ms: number): number {
        const end = this.t + ms;
        let ticks = 0;
        for (;;) {
            const due = [...this.tickers].filter((x) => x.next <= end).sort((a, b) => a.next - b.next)[0];
            if (!due) break;
            this.t = due.next;
            due.next += due.ms;
            ticks++;
            due.tick();
        }
        this.t = end;
        return ticks;
    }
}

describe("verify: health endpoint", () => {
    let app: Loopback;
    let healthyAfter = 0;
    let hits = 0;
    let hang = false;
    let arrived = 0;
    beforeEach(async () => {
        hits = 0;
        arrived = 0;
        healthyAfter = 0;
        hang = false;
        app = await startLoopback((req, res) => {
            arrived++;
            if (hang) return; // never answers
            hits++;
            res.statusCode = hits > healthyAfter ? 200 : 503;
            res.end(res.statusCode === 200 ? '{"status":"ok"}' : "starting");
        });
    });
    afterEach(() => app.close());

    it("answers ok as soon as the endpoint returns 200", async () => {
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 5000, intervalMs: 5 });
        expect(r).to.include({ ok: true, attempts: 1 });
    });

    it("keeps polling through 503s until the app is healthy", async () => {
        healthyAfter = 3;
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 5000, intervalMs: 5 });
        expect(r).to.include({ ok: true, attempts: 4 });
    });

    it("gives up at the deadline for an app that never becomes healthy, naming the last answer", async () => {
        healthyAfter = Number.POSITIVE_INFINITY;
        const clock = new VirtualClock();
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 200, intervalMs: 40, clock });
        expect(r.ok).to.equal(false);
        // One attempt every 40 ms from 0 to 160 ms, none at the deadline itself.
        expect(r.attempts).to.equal(5);
        expect(hits).to.equal(5);
        expect(r.elapsedMs).to.equal(200);
        if (!r.ok) expect(r.last).to.equal("HTTP 503");
    });

    it("holds the deadline even when a request hangs longer than the deadline", async function () {
        // A 10 s request timeout must be clamped to the 25 ms that remain; mocha's 3 s limit proves it.
        this.timeout(3000);
        hang = true;
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 25, requestTimeoutMs: 10_000 });
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.last).to.match(/no answer within/);
    });

    it("stops waiting at once when aborted (Ctrl-C)", async function () {
        this.timeout(3000);
        hang = true;
        const ac = new AbortController();
        const waiting = waitForHealthy(`${app.url}/api/health`, { deadlineMs: 60_000, signal: ac.signal });
        await until(() => arrived >= 1, "a request in flight");
        ac.abort();
        const r = await waiting;
        expect(r.ok).to.equal(false);
        if (!r.ok) expect(r.last).to.equal("interrupted");
    });

    it("reports a connection refused without throwing", async () => {
        await app.close();
        const clock = new VirtualClock();
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 100, intervalMs: 10, clock });
        expect(r.ok).to.equal(false);
        expect(r.attempts).to.equal(10);
        if (!r.ok) expect(r.last).to.equal("ECONNREFUSED");
        app = await startLoopback((_q, s) => s.end());
    });
});

describe("verify: zero-downtime probe", () => {
    let app: Loopback;
    let down = false;
    beforeEach(async () => {
        down = false;
        app = await startLoopback((_req, res) => {
            res.statusCode = down ? 503 : 200;
            res.end();
        });
    });
    afterEach(() => app.close());

    /** A probe on virtual time: `run(ms)` moves the clock on and waits until every request sent meanwhile is answered. */
    function virtualProbe(intervalMs: number, url = app.url) {
        const clock = new VirtualClock();
        const probe = new Probe(url, { intervalMs, clock }).start();
        let sent = 1;
        const answered = () => probe.answered.ok + probe.answered.failed;
        const run = async (ms: number) => {
            sent += clock.advance(ms);
            await until(() => answered() === sent, `${sent} answers`);
        };
        return { clock, probe, run };
    }

    it("reports no failures and no outage for a healthy app", async () => {
        const { probe, run } = virtualProbe(20);
        await run(9 * 20);
        expect(probe.answered.ok).to.equal(10);
        const r = await probe.stop();
        expect(r.failures).to.equal(0);
        expect(r.longestGapMs).to.equal(0);
        expect(r.sent).to.equal(10);
        expect(r.durationMs).to.equal(180);
    });

    it("measures an outage during the cut-over within one probe interval", async () => {
        // Requests go out at 0, 50, 100…; the app goes down 20 ms after one and comes back 45 ms
        // after another, so the outage falls between send times as a real one does.
        const intervalMs = 50;
        const { clock, probe, run } = virtualProbe(intervalMs);
        await run(2 * intervalMs + 20);
        expect(probe.answered.ok, "the app answered before the cut-over").to.equal(3);
        const wentDown = clock.now();
        down = true;
        await run(6 * intervalMs + 25);
        expect(probe.answered.failed, "the probe saw the outage").to.equal(6);
        down = false;
        const outage = clock.now() - wentDown;
        await run(3 * intervalMs);
        expect(probe.answered.ok, "the app answered again").to.equal(6);
        const r = await probe.stop();
        expect(r.failures).to.equal(6);
        expect(
            Math.abs(r.longestGapMs - outage),
            `measured ${r.longestGapMs} ms for a ${Math.round(outage)} ms outage`,
        ).to.be.at.most(intervalMs);
        // First failed request sent at 150 ms, the next successful one at 450 ms.
        expect(r.longestGapMs).to.equal(300);
        expect(r.samples).to.deep.equal(["HTTP 503"]);
    });

    it("counts an outage that lasts until the end of probing", () => {
        const r = summarise(
            [
                { sentAt: 0, ok: true },
                { sentAt: 100, ok: false, reason: "ECONNREFUSED" },
                { sentAt: 200, ok: false },
            ],
            0,
            450,
            100,
        );
        expect(r).to.include({ sent: 3, failures: 2, longestGapMs: 350 });
    });

    it("keeps which version answered, and reports the cut-over (last old answer, first new one)", async () => {
        let version = "v1";
        const versioned = await startLoopback((_q, res) => res.end(JSON.stringify({ status: "ok", version })));
        try {
            const { probe, run } = virtualProbe(100, versioned.url);
            await run(2 * 100);
            version = "v2";
            await run(3 * 100);
            const r = await probe.stop();
            expect(r.versions.map((v) => v.version)).to.deep.equal(["v1", "v2"]);
            const cut = cutOver(r, probe.firstVersion, "v2");
            expect(cut).to.include({ oldVersion: "v1", newVersion: "v2", lastOldMs: 200, firstNewMs: 300 });
            expect(describeCutOver(cut)).to.equal("first v2 +0.3 s, last v1 +0.2 s");
        } finally {
            await versioned.close();
        }
    });

    it("reports an outage that was already running when probing started apart from the cut-over's gap", () => {
        const r = summarise(
            [
                { sentAt: 0, ok: false, reason: "HTTP 503" },
                { sentAt: 100, ok: false, reason: "HTTP 503" },
                { sentAt: 200, ok: true },
                { sentAt: 300, ok: true },
            ],
            0,
            400,
            100,
        );
        expect(r).to.include({ failures: 2, longestGapMs: 0, alreadyDownMs: 200 });
        expect(describeProbe(r)).to.include("already failing for the first 200 ms");
    });
});

describe("verify: follows Swarm's rollout to its end", () => {
    let app: Loopback;
    let answer = "v1";
    let status = 200;
    const rollout = (over: Partial<RolloutResult>): Promise<RolloutResult> =>
        Promise.resolve({
            outcome: "completed",
            servingImage: "repo/app:v2",
            events: [],
            deadlineMs: 61_000,
            deadlineText: "61 s",
            calls: 3,
            startedAt: 0,
            endedAt: 1000,
            ...over,
        });
    beforeEach(async () => {
        answer = "v1";
        status = 200;
        app = await startLoopback((_req, res) => {
            res.statusCode = status;
            res.end(JSON.stringify({ status: "ok", version: answer }));
        });
    });
    afterEach(() => app.close());
    const opts = { healthDeadlineMs: 300, healthIntervalMs: 10, allowedDowntimeMs: 0 };

    it("fails a rollout Swarm rolled back although the old version answers 200 (the bad deployment the old verifier passed)", async () => {
        const healthUrl = `${app.url}/api/health`;
        const probe = new Probe(healthUrl, { intervalMs: 10 }).start();
        await until(() => probe.answered.ok >= 2, "the old version to answer");
        const v = await verifyDeployment(
            {
                app: { healthUrl, deploymentStatus: "done" },
                version: "v2",
                expectedImage: "repo/app:v2",
                probe,
                rollout: rollout({
                    outcome: "rolled_back",
                    servingImage: "repo/app:v1",
                    reason: "task: non-zero exit (143): dockerexec: unhealthy container",
                }),
            },
            opts,
        );
        expect(v.ok).to.equal(false);
        expect(v.kind).to.equal("rolled_back");
        expect(v.failures).to.deep.equal([
            "rolled back by Swarm: task: non-zero exit (143): dockerexec: unhealthy container; repo/app:v1 serves now; the health endpoint answers v1",
        ]);
        expect(v.probe?.failures).to.equal(0);
        expect(probe.running).to.equal(false);
    });

    it("fails a paused update and a rollout past its deadline, naming the deadline", async () => {
        const app1 = { healthUrl: `${app.url}/api/health`, deploymentStatus: "done" as const };
        const paused = await verifyDeployment(
            {
                app: app1,
                version: "v2",
                rollout: rollout({ outcome: "paused", reason: "update paused due to failure" }),
            },
            opts,
        );
        expect(paused).to.include({ ok: false, kind: "failed" });
        expect(paused.failures[0]).to.match(/^Swarm paused the update: update paused due to failure/);
        const late = await verifyDeployment(
            { app: app1, version: "v2", rollout: rollout({ outcome: "deadline", deadlineText: "61 s = …" }) },
            opts,
        );
        expect(late.failures[0]).to.match(/^the rollout did not end within 61 s = …/);
    });

    it("passes only when Swarm completed with the expected image and the health URL answers the new version", async () => {
        const healthUrl = `${app.url}/api/health`;
        const input = {
            app: { healthUrl, deploymentStatus: "done" as const },
            version: "v2",
            expectedImage: "repo/app:v2",
        };
        answer = "v2";
        const good = await verifyDeployment({ ...input, rollout: rollout({}) }, opts);
        expect(good.ok, good.failures.join()).to.equal(true);
        expect(good.answeredVersion).to.equal("v2");
        const other = await verifyDeployment({ ...input, rollout: rollout({ servingImage: "repo/app:v9" }) }, opts);
        expect(other.failures).to.deep.equal(["Swarm completed, but the service runs repo/app:v9, not repo/app:v2"]);
        const unknown = await verifyDeployment(input, opts);
        expect(unknown.failures[0]).to.match(/exports no dokployAppName/);
    });

    it("compares images by repository:tag, and by digest when both carry one", () => {
        expect(sameImage("repo/app:v2", "repo/app:v2@sha256:aa")).to.equal(true);
        expect(sameImage("repo/app:v2@sha256:aa", "repo/app:v2@sha256:aa")).to.equal(true);
        expect(sameImage("repo/app:v2@sha256:bb", "repo/app:v2@sha256:aa")).to.equal(false);
        expect(sameImage("repo/app:v1", "repo/app:v2")).to.equal(false);
    });

    it("fails when the old version still answers after Swarm said completed", async () => {
        const healthUrl = `${app.url}/api/health`;
        const probe = new Probe(healthUrl, { intervalMs: 10 }).start();
        await until(() => probe.answered.ok >= 1, "v1 answers");
        const v = await verifyDeployment(
            { app: { healthUrl }, version: "v2", expectedImage: "repo/app:v2", rollout: rollout({}), probe },
            opts,
        );
        expect(v.failures).to.deep.equal([`${healthUrl} still answers v1 after Swarm completed the rollout to v2`]);
    });

    it("fails a deployment Dokploy did not finish", async () => {
        const bad = await verifyDeployment(
            {
                app: { healthUrl: `${app.url}/api/health`, deploymentStatus: "error", deploymentId: "dep-1" },
                version: "v1",
                rollout: rollout({}),
            },
            opts,
        );
        expect(bad.ok).to.equal(false);
        expect(bad.failures.join()).to.match(/dep-1 ended "error"/);
    });
});
