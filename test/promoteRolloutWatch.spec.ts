/**
 * The real RolloutWatch's plumbing without a server: the deadline it derives from the Swarm
 * settings Dokploy stores (the values of shared/dokploy/real-rollout-log.md §0), and the one-line
 * reasons it gives when the stack's config cannot reach Dokploy.
 */
import { expect } from "chai";
import { rolloutDeadline } from "../automation/rolloutDeadline";
import { dokployRolloutWatch, rolloutSettingsOf } from "../automation/rolloutDokploy";
import { MemoryEngine } from "./support/memoryEngine";

/** Dokploy's stored settings as the log's runs sent them (`application.update`, ns). */
const GUIDE_ROW = {
    replicas: 1,
    healthCheckSwarm: {
        Test: ["CMD-SHELL", "curl -f http://localhost:3000/api/health || exit 1"],
        Interval: 30e9,
        Timeout: 10e9,
        StartPeriod: 40e9,
        Retries: 3,
    },
    updateConfigSwarm: {
        Parallelism: 1,
        Delay: 10e9,
        FailureAction: "rollback",
        Monitor: 60e9,
        MaxFailureRatio: 0,
        Order: "start-first",
    },
    modeSwarm: null,
};

describe("rollout watch: settings and deadline", () => {
    it("derives the guide's deadline from the stored settings, long enough for the recorded rollback (+148.5 s)", () => {
        const settings = rolloutSettingsOf(GUIDE_ROW);
        expect(settings).to.deep.equal({
            replicas: 1,
            health: { intervalMs: 30_000, timeoutMs: 10_000, startPeriodMs: 40_000, retries: 3 },
            update: {
                parallelism: 1,
                delayMs: 10_000,
                monitorMs: 60_000,
                order: "start-first",
                failureAction: "rollback",
            },
        });
        const d = rolloutDeadline(settings);
        expect(d.text).to.equal(
            "240 s = 1 batch × (start period 40 s + 3 × 30 s interval + 10 s timeout + 10 s delay) + 60 s monitor + 30 s margin",
        );
        expect(d.ms).to.be.greaterThan(148_500);
    });

    it("counts one batch per `parallelism` replicas, and falls back to the guide's values where Dokploy stores none", () => {
        const two = rolloutSettingsOf({ ...GUIDE_ROW, replicas: 2 });
        expect(rolloutDeadline(two).text).to.match(/^390 s = 2 batches × /);
        const bare = rolloutSettingsOf({ replicas: null, healthCheckSwarm: null, updateConfigSwarm: null });
        expect(rolloutDeadline(bare).text).to.equal(rolloutDeadline(rolloutSettingsOf(GUIDE_ROW)).text);
    });
});

describe("rollout watch: reaching Dokploy from the stack's config", () => {
    const saved = { ...process.env };
    afterEach(() => {
        for (const k of ["DOKPLOY_API_TOKEN", "DOKPLOY_API_KEY", "DOKPLOY_TOKEN"]) {
            if (saved[k] === undefined) delete process.env[k];
            else process.env[k] = saved[k];
        }
    });

    it("says which config key is missing, with the command that sets it", async () => {
        const engine = new MemoryEngine({ stacks: ["dev"] });
        const noWatcher = async () => {
            throw new Error("not reached");
        };
        const watch = dokployRolloutWatch(engine, noWatcher);
        const request = { appName: "app-x", expectedImage: "repo:v2", since: Date.now() };
        let err = await watch.watch("dev", request).catch((e: Error) => e);
        expect(String(err)).to.include("dev has no dokployUrl in its config");
        expect((err as { next?: string }).next).to.equal("pulumi config set dokployUrl https://<dokploy host> -s dev");
        await engine.setConfig("dev", "dokployUrl", "http://127.0.0.1:1");
        for (const k of ["DOKPLOY_API_TOKEN", "DOKPLOY_API_KEY", "DOKPLOY_TOKEN"]) delete process.env[k];
        err = await watch.watch("dev", request).catch((e: Error) => e);
        expect(String(err)).to.include("dev has no Dokploy API key");
        expect((err as { next?: string }).next).to.equal("pulumi config set --secret dokployApiToken <key> -s dev");
    });

    it("hands the watcher the app, the image and the guide's settings when no application id is known", async () => {
        const engine = new MemoryEngine({ stacks: ["qa"] });
        await engine.setConfig("qa", "dokployUrl", "http://127.0.0.1:1/api/");
        await engine.setConfig("qa", "dokployApiToken", "key-from-config");
        const seen: unknown[] = [];
        const watch = dokployRolloutWatch(engine, async (connection, o) => {
            seen.push({
                baseUrl: connection.baseUrl,
                appName: o.appName,
                image: o.expectedImage,
                replicas: o.settings.replicas,
            });
            return {
                outcome: "completed",
                events: [],
                deadlineMs: 1,
                deadlineText: "",
                calls: 0,
                startedAt: 0,
                endedAt: 0,
            };
        });
        const r = await watch.watch("qa", { appName: "app-qa", expectedImage: "repo:v3", since: 0 });
        expect(r.outcome).to.equal("completed");
        expect(seen).to.deep.equal([
            { baseUrl: "http://127.0.0.1:1", appName: "app-qa", image: "repo:v3", replicas: 1 },
        ]);
    });
});
