/**
 * `npm run status` with an engine: stack outputs and the live health endpoint join the offline
 * table; a stack that does not exist yet or an unreachable app costs one line each.
 */
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { RecordStore } from "../automation/records";
import { statusReport } from "../automation/statusReport";
import { Loopback, startLoopback } from "./support/loopback";
import { MemoryEngine } from "./support/memoryEngine";
import { REPO } from "./support/promoteHarness";

describe("npm run status", () => {
    let app: Loopback;
    before(async () => {
        app = await startLoopback((req, res) => {
            res.statusCode = req.url === "/api/health" ? 200 : 404;
            res.end();
        });
    });
    after(() => app.close());

    it("adds deployed image, Dokploy deployment and live health per stack", async () => {
        const gone = await startLoopback((_q, r) => r.end());
        await gone.close(); // a port that refuses connections
        const engine = new MemoryEngine({ stacks: ["dev", "qa"] });
        engine.deployed.set("dev", {
            imageTag: "v1.0.0",
            deploymentStatus: "done",
            appUrl: `${app.url}/`,
            healthUrl: `${app.url}/api/health`,
        });
        engine.deployed.set("qa", {
            imageTag: "v1.0.0",
            deploymentStatus: "error",
            healthUrl: `${gone.url}/api/health`,
        });
        const text = await statusReport({
            projectDir: REPO,
            records: new RecordStore("/nonexistent/state"),
            engine: async () => engine,
            healthTimeoutMs: 1000,
        });
        expect(text).to.match(/\| Deployed image\s+\| v1\.0\.0\s+\| v1\.0\.0\s+\| —/);
        expect(text).to.match(/\| Dokploy deployment\s+\| done\s+\| error\s+\|/);
        expect(text).to.match(/\| Health\s+\| ✅ HTTP 200 \(\d+ ms\)\s+\| ❌ ECONNREFUSED\s+\| —/);
        expect(text).to.include("prod: no stack yet (pulumi stack init prod)");
        expect(text).to.not.include("Live status skipped");
    });

    it("shows the last promotion's outcome per environment, what Swarm did and the longest gap seen", async () => {
        const dir = await mkdtemp(path.join(tmpdir(), "status-"));
        try {
            const records = new RecordStore(dir);
            const at = "2026-11-29T04:00:00.000Z";
            const probe = (longestGapMs: number, failures = 0) => ({ sent: 300, failures, longestGapMs });
            await records.append({ environment: "dev", version: "v1", status: "verified", at, probe: probe(0) });
            await records.append({
                environment: "dev",
                version: "v2",
                status: "rolled_back",
                at,
                reason: "rolled back by Swarm: task: non-zero exit (143): dockerexec: unhealthy container",
                probe: probe(0),
                rollout: { outcome: "rolled_back", tookMs: 36_700, deadlineMs: 61_000 },
                report: "/state/reports/dev-v2.html",
            });
            await records.append({
                environment: "dev",
                version: "v1",
                status: "verified",
                rollback: true,
                at,
                probe: probe(0),
                rollout: { outcome: "completed", tookMs: 23_900, deadlineMs: 61_000 },
            });
            await records.append({
                environment: "qa",
                version: "v1",
                status: "verified",
                at,
                probe: probe(400, 4),
                rollout: { outcome: "completed", tookMs: 23_850, deadlineMs: 61_000 },
            });
            const text = await statusReport({
                projectDir: REPO,
                records,
                engine: async () => new MemoryEngine({ stacks: [] }),
            });
            expect(text).to.match(
                /\| Last outcome\s+\| ✅ verified v1 \(rollback\) after v2 rolled back \| ✅ verified v1\s+\| —/,
            );
            expect(text).to.match(/\| Swarm rollout\s+\| rolled back in 36\.7 s\s+\| completed in 23\.9 s\s+\| —/);
            expect(text).to.match(/\| Longest gap\s+\| 0 ms \(0\/600 failed\)\s+\| 400 ms \(4\/300 failed\)\s+\| —/);
            expect(text).to.include(
                "dev: v2: rolled back by Swarm: task: non-zero exit (143): dockerexec: unhealthy container",
            );
            expect(text).to.include("dev: report /state/reports/dev-v2.html");
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});
