/**
 * Verification against real HTTP servers on 127.0.0.1: health polling with a deadline, and the
 * zero-downtime probe's figures for a healthy app and for one that is down for a known window.
 */
import { expect } from "chai";
import { waitForHealthy } from "../automation/verify/health";
import { Probe, summarise } from "../automation/verify/probe";
import { verifyDeployment } from "../automation/verify/verify";
import { Loopback, startLoopback, until } from "./support/loopback";

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
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 200, intervalMs: 10 });
        expect(r.ok).to.equal(false);
        expect(r.attempts).to.be.greaterThan(1);
        if (!r.ok) expect(r.last).to.equal("HTTP 503");
    });

    it("holds the deadline even when a request hangs longer than the deadline", async function () {
        // A 10 s request timeout must be clamped to the 200 ms that remain; mocha's 3 s limit proves it.
        this.timeout(3000);
        hang = true;
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 200, requestTimeoutMs: 10_000 });
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
        const r = await waitForHealthy(`${app.url}/api/health`, { deadlineMs: 100, intervalMs: 10 });
        expect(r.ok).to.equal(false);
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

    it("reports no failures and no outage for a healthy app", async () => {
        const probe = new Probe(app.url, { intervalMs: 20 }).start();
        await until(() => probe.answered.ok >= 10, "10 answers");
        const r = await probe.stop();
        expect(r.failures).to.equal(0);
        expect(r.longestGapMs).to.equal(0);
        expect(r.sent).to.be.at.least(10);
    });

    it("measures an outage during the cut-over within one probe interval", async () => {
        const intervalMs = 50;
        const probe = new Probe(app.url, { intervalMs }).start();
        await until(() => probe.answered.ok >= 3, "the app to answer before the cut-over");
        const wentDown = performance.now();
        down = true;
        await until(() => probe.answered.failed >= 6, "the probe to see the outage");
        down = false;
        const outage = performance.now() - wentDown;
        const okBefore = probe.answered.ok;
        await until(() => probe.answered.ok >= okBefore + 3, "the app to answer again");
        const r = await probe.stop();
        expect(r.failures).to.be.at.least(6);
        expect(
            Math.abs(r.longestGapMs - outage),
            `measured ${r.longestGapMs} ms for a ${Math.round(outage)} ms outage`,
        ).to.be.at.most(intervalMs);
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

    it("verification fails for a deployment Dokploy did not finish, and passes a healthy one", async () => {
        const healthUrl = `${app.url}/api/health`;
        const bad = await verifyDeployment({ healthUrl, deploymentStatus: "error", deploymentId: "dep-1" }, undefined, {
            healthDeadlineMs: 1000,
            allowedDowntimeMs: 0,
        });
        expect(bad.ok).to.equal(false);
        expect(bad.failures.join()).to.match(/dep-1 ended "error"/);
        const probe = new Probe(app.url, { intervalMs: 20 }).start();
        const good = await verifyDeployment({ healthUrl, deploymentStatus: "done" }, probe, {
            healthDeadlineMs: 1000,
            allowedDowntimeMs: 0,
        });
        expect(good.ok, good.failures.join()).to.equal(true);
        expect(probe.running).to.equal(false);
    });
});
