/**
 * `npm run status` with an engine: stack outputs and the live health endpoint join the offline
 * table; a stack that does not exist yet or an unreachable app costs one line each.
 */
import { expect } from "chai";
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
});
