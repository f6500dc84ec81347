/**
 * Promotion against the in-memory engine's simulated Swarm (test/support/memoryRollout.ts, which
 * copies the real rollout's states and their order from shared/dokploy/real-rollout-log.md):
 * verification cannot pass before Swarm completed, a bad image is "rolled back by Swarm" with no
 * "verified" record and stops the promotion, a rollout past its deadline fails naming the
 * deadline, and every update leaves a report a person can open.
 */
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { Harness, harness } from "./support/promoteHarness";
import { UNHEALTHY_REASON } from "./support/memoryRollout";

/** The position of the first output line matching `re` (throws when there is none). */
function lineOf(output: string, re: RegExp): number {
    const i = output.split("\n").findIndex((l) => re.test(l));
    if (i < 0) throw new Error(`no line matches ${re}:\n${output}`);
    return i;
}

describe("promote: verification follows Swarm's rollout", () => {
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
        expect((await h.run(["--only", "dev", "--yes", "--image-tag", "v1"])).exitCode).to.equal(0);
    });
    afterEach(() => h.dispose());

    it("verifies a good update only after Swarm completed it, with 0 failed probe requests and the cut-over recorded", async () => {
        const r = await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        expect(r.exitCode, r.output).to.equal(0);
        // The verify step ends after Swarm's completed event (output lines are in the order things happened).
        expect(lineOf(r.output, /dev: [\d.]+ s completed/)).to.be.lessThan(lineOf(r.output, /^✔ dev: verify v2/));
        expect(lineOf(r.output, /dev: [\d.]+ s old_task_stopped/)).to.be.lessThan(
            lineOf(r.output, /dev: [\d.]+ s completed/),
        );
        const record = await h.records.latest("dev");
        expect(record).to.include({ status: "verified", version: "v2", servingVersion: "v2" });
        expect(record?.rollout).to.include({
            outcome: "completed",
            servingImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/nextstack-dev:v2",
        });
        expect(record?.probe).to.include({ failures: 0, oldVersion: "v1", newVersion: "v2" });
        expect(record?.probe?.firstNewMs).to.be.a("number");
        expect(record?.probe?.lastOldMs).to.be.a("number");
        expect(r.output).to.match(/verified; Swarm completed in [\d.]+ s \(deadline 103 s = pull 60 s \+ 1 batch/);
        // The preview named the app (by the engine's real type token), so the watch followed the rollout
        // from before the update call rather than only judging what runs afterwards.
        expect(r.output).not.to.include("checking what Swarm runs now");
    });

    it("waits for Swarm even when the update returns at Dokploy's done (the old provider), and still catches a rollback", async () => {
        h.engine.upWaitsForRollout = false;
        const good = await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        expect(good.exitCode, good.output).to.equal(0);
        expect(lineOf(good.output, /^✔ dev: update to v2/)).to.be.lessThan(
            lineOf(good.output, /dev: [\d.]+ s task_healthy/),
        );
        expect(lineOf(good.output, /dev: [\d.]+ s completed/)).to.be.lessThan(lineOf(good.output, /^✔ dev: verify v2/));
        h.broken.add("v3");
        const bad = await h.run(["--only", "dev", "--yes", "--image-tag", "v3"]);
        expect(bad.exitCode).to.equal(1);
        expect(bad.output).to.include(`rolled back by Swarm: ${UNHEALTHY_REASON}`);
        expect((await h.history("dev")).filter((x) => x.version === "v3").map((x) => x.status)).to.deep.equal([
            "started",
            "rolled_back",
        ]);
    });

    it("a bad image: Swarm rolls back, the promotion stops before qa, and no record says verified for it", async () => {
        h.broken.add("v2");
        const r = await h.run(["--yes", "--image-tag", "v2"]);
        expect(r.exitCode).to.equal(1);
        expect(r.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal(["dev failed"]);
        expect(h.engine.calls.some((c) => / (qa|prod)\b/.test(c))).to.equal(false);
        expect(r.output).to.include("dev failed verification at v2 (Swarm rolled it back)");
        // What Swarm said, which version serves now, and what to do.
        expect(r.output).to.include(
            `rolled back by Swarm: ${UNHEALTHY_REASON}; 123456789012.dkr.ecr.us-west-2.amazonaws.com/nextstack-dev:v1 serves now; the health endpoint answers v1`,
        );
        expect(r.output, r.output).to.include("Next: find why v2 fails its health check");
        // The stack still says v2 after Swarm's rollback, so it is set back to v1 and verified.
        expect(r.output).to.include("Rolled back to v1; dev is verified at v1 again.");
        const all = [...(await h.history("dev")), ...(await h.history("qa")), ...(await h.history("prod"))];
        expect(all.filter((x) => x.version === "v2" && x.status === "verified")).to.deep.equal([]);
        const v2 = all.filter((x) => x.version === "v2").at(-1);
        expect(v2?.status).to.equal("rolled_back");
        expect(v2?.reason).to.match(/^rolled back by Swarm: task: non-zero exit \(143\)/);
        expect(v2?.probe).to.include({ failures: 0 });
        expect(v2?.servingVersion).to.equal("v1");
    });

    it("a bad image with no earlier verified version: says Dokploy still stores it and what to run", async () => {
        const fresh = await harness();
        try {
            // v1 was deployed outside promotion (no record), so there is nothing verified to go back to.
            await fresh.engine.setConfig("dev", "imageTag", "v1");
            await fresh.engine.up("dev", {});
            fresh.broken.add("v2");
            const bad = await fresh.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
            expect(bad.exitCode).to.equal(1);
            expect(bad.output).to.include(
                "No earlier verified version of dev is recorded, so nothing was rolled back.",
            );
            expect(bad.output).to.include(
                "Swarm keeps the old version running, but the stack's imageTag still says v2: set it back to the version that runs, or the next update deploys v2 again.",
            );
            expect(bad.output).to.include("Next: npm run promote -- --rollback dev --image-tag <last good tag>");
            expect((await fresh.history("dev")).map((x) => x.status)).to.deep.equal(["started", "rolled_back"]);
        } finally {
            await fresh.dispose();
        }
    });

    it("a rollout past its deadline fails verification, naming the deadline and how it was derived", async () => {
        h.slow.add("v2");
        const r = await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        expect(r.exitCode).to.equal(1);
        expect(r.output, r.output).to.match(
            /the rollout did not end within 103 s = pull 60 s \+ 1 batch × \(start period 5 s \+ interval 2 s × \(retries 2 \+ 1\) \+ timeout 2 s \+ delay 10 s\) \+ monitor 10 s \+ settle 10 s/,
        );
        expect((await h.history("dev")).filter((x) => x.version === "v2").map((x) => x.status)).to.deep.equal([
            "started",
            "failed",
        ]);
    });

    it("a rerun whose update changes nothing checks what Swarm runs now instead of waiting for a rollout", async () => {
        expect((await h.run(["--only", "dev", "--yes", "--image-tag", "v2"])).exitCode).to.equal(0);
        // The process died after the update, during verification: the last record says "started".
        await h.records.append({ environment: "dev", version: "v2", status: "started", at: new Date().toISOString() });
        const r = await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(r.output).to.include("dev: the update changed nothing in the app; checking what Swarm runs now");
        expect(h.swarm.rollouts.filter((x) => x.env === "dev" && x.version === "v2")).to.have.length(1);
        expect(await h.records.latest("dev")).to.include({ status: "verified", version: "v2", servingVersion: "v2" });
    });

    it("Ctrl-C while verification waits for Swarm stops the watch and the probe, records the interruption and exits 130", async () => {
        h.engine.upWaitsForRollout = false;
        h.slow.add("v2"); // a rollout that would otherwise run to its deadline
        const ac = new AbortController();
        // Ctrl-C as the new task starts: on the swarm's own clock, so no deadline can come first.
        h.swarm.onStep.add((line) => {
            if (line === "dev v2 task_started") ac.abort();
        });
        const r = await h.run(["--only", "dev", "--yes", "--image-tag", "v2"], { signal: ac.signal });
        expect(h.swarm.log).to.include("dev v2 task_started");
        expect(r.exitCode).to.equal(130);
        expect((await h.history("dev")).map((x) => `${x.status} ${x.version} ${x.reason ?? ""}`)).to.deep.equal([
            "started v1 ",
            "verified v1 ",
            "started v2 ",
            "failed v2 interrupted (Ctrl-C) during verification",
        ]);
    });

    it("--rollback is verified the same way: it waits for Swarm and records the rollout", async () => {
        await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        const r = await h.run(["--rollback", "dev", "--yes"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(lineOf(r.output, /dev: [\d.]+ s completed/)).to.be.lessThan(lineOf(r.output, /^✔ dev: verify v1/));
        const record = await h.records.latest("dev");
        expect(record).to.include({ status: "verified", version: "v1", rollback: true, servingVersion: "v1" });
        expect(record?.rollout?.outcome).to.equal("completed");
        expect(record?.probe).to.include({ oldVersion: "v2", newVersion: "v1", failures: 0 });
    });

    it("writes a report per environment, names it in the output, and appends its summary to the job summary", async () => {
        const summary = path.join(h.stateDir, "step-summary.md");
        h.broken.add("v2");
        const r = await h.run(["--only", "dev", "--yes", "--image-tag", "v2"], { stepSummaryFile: summary });
        const rolledBack = (await h.history("dev")).find((x) => x.status === "rolled_back");
        expect(rolledBack?.report).to.be.a("string");
        expect(r.output).to.include(`dev: report ${rolledBack?.report}`);
        const html = await readFile(rolledBack?.report as string, "utf8");
        expect(html).to.include("dev: v2 — ↩️ rolled back by Swarm");
        expect(html).to.include("<svg");
        expect(html).to.include(UNHEALTHY_REASON);
        const md = await readFile(summary, "utf8");
        expect(md).to.include("### dev: v2 — ↩️ rolled back by Swarm");
        // The automatic rollback to v1 has its own report, after the failed one.
        expect(md.indexOf("### dev: v1 — ✅ verified")).to.be.greaterThan(md.indexOf("### dev: v2"));
    });
});
