/**
 * The real RolloutWatch's plumbing: it reaches Dokploy with the stack's config (URL and key), reads
 * the Swarm settings Dokploy stores for the app (the values of shared/dokploy/real-rollout-log.md
 * §0, in ns) and hands them to the watcher with the app, the image and the update call's time;
 * and it gives one-line reasons when the config cannot reach Dokploy. The "server" is a loopback
 * answering `application.one` with the shape real Dokploy returns (fields the client reads).
 */
import { expect } from "chai";
import { mentionsRolloutFailure, rolloutTarget, tagOf } from "../automation/rollout";
import { dokployRolloutWatch } from "../automation/rolloutDokploy";
import { RolloutResult } from "../components/dokploy/rollout/types";
import { startLoopback } from "./support/loopback";
import { MemoryEngine } from "./support/memoryEngine";

const DONE: RolloutResult = {
    outcome: "completed",
    events: [],
    deadlineMs: 1,
    deadlineText: "",
    calls: 0,
    startedAt: 0,
    endedAt: 0,
};
const unused = async (): Promise<never> => {
    throw new Error("not reached");
};

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
        const watch = dokployRolloutWatch(engine, { watch: unused, baseline: unused });
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

    it("hands the watcher the app, the image, the update call's time and the settings Dokploy stores", async () => {
        const asked: string[] = [];
        const dokploy = await startLoopback((req, res) => {
            asked.push(`${req.method} ${req.url} key=${req.headers["x-api-key"] === "key-from-config"}`);
            res.setHeader("content-type", "application/json");
            res.end(JSON.stringify({ applicationId: "app-1", appName: "app-qa-x1y2z3", name: "web", ...GUIDE_ROW }));
        });
        try {
            const engine = new MemoryEngine({ stacks: ["qa"] });
            await engine.setConfig("qa", "dokployUrl", `${dokploy.url}/api/`);
            await engine.setConfig("qa", "dokployApiToken", "key-from-config");
            const seen: unknown[] = [];
            const watch = dokployRolloutWatch(engine, {
                watch: async (_client, o) => {
                    seen.push({
                        appName: o.appName,
                        image: o.expectedImage,
                        startedAt: o.startedAt,
                        baseline: o.baselineContainerIds,
                        settings: o.settings,
                    });
                    return DONE;
                },
                baseline: unused,
            });
            const r = await watch.watch("qa", {
                appName: "app-qa-x1y2z3",
                applicationId: "app-1",
                expectedImage: "repo:v3",
                since: 1234,
                baseline: ["c0ffee"],
            });
            expect(r.outcome).to.equal("completed");
            expect(asked).to.deep.equal(["GET /api/application.one?applicationId=app-1 key=true"]);
            expect(seen).to.deep.equal([
                {
                    appName: "app-qa-x1y2z3",
                    image: "repo:v3",
                    startedAt: 1234,
                    baseline: ["c0ffee"],
                    settings: {
                        replicas: 1,
                        health: { intervalMs: 30_000, timeoutMs: 10_000, startPeriodMs: 40_000, retries: 3 },
                        update: {
                            parallelism: 1,
                            delayMs: 10_000,
                            monitorMs: 60_000,
                            order: "start-first",
                            failureAction: "rollback",
                            maxFailureRatio: 0,
                        },
                    },
                },
            ]);
            const unknown = await watch.watch("qa", { appName: "a", expectedImage: "r:v", since: 0 }).catch((e) => e);
            expect(String(unknown)).to.include("the stack exports no dokployApplicationId");
        } finally {
            await dokploy.close();
        }
    });
});

describe("rollout watch: when `up` itself reports Swarm's verdict", () => {
    it("asks the watch for the provider's rollback, pause and deadline errors, and for nothing else", () => {
        // The DokployApplication provider's partial-state error (components/dokploy), as `up` surfaced it.
        const provider =
            "Dokploy application promote-dev-n9oilr: Swarm rolled the rollout back: task p451xyegukh2 (127.0.0.1:5000/engine-app:bad): unhealthy container";
        for (const text of [
            provider,
            "error: DokployApplication app: Swarm rolled the update back: unhealthy container",
            "rollback_completed",
            "Swarm paused the update",
            "the rollout did not complete in time (spec image …)",
            "Dokploy application a: the rollout did not finish within 103 s (…). Serving now: r:v1.",
            "Dokploy application a: Swarm paused the rollout (updateConfig.failureAction pause): …",
        ])
            expect(mentionsRolloutFailure(text), text).to.equal(true);
        for (const text of [
            "engine crashed mid-update",
            'Stack "dev" is locked: another update is running',
            "error: creating application: HTTP 500 from application.create",
            "update cancelled (SIGINT)",
        ])
            expect(mentionsRolloutFailure(text), text).to.equal(false);
    });
});

describe("rollout target: which service and image an update deploys", () => {
    it("takes the service from dokployAppName and the image from the repository, the version and a pinned digest", () => {
        const outputs = {
            dokployAppName: "web-dev-a1b2c3",
            dokployApplicationId: "app-1",
            ecrRepositoryUrl: "123456789012.dkr.ecr.us-west-2.amazonaws.com/web-dev",
        };
        expect(rolloutTarget(outputs, "v2", "sha256:ab")).to.deep.equal({
            appName: "web-dev-a1b2c3",
            applicationId: "app-1",
            expectedImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/web-dev:v2@sha256:ab",
        });
        expect(rolloutTarget({ ...outputs, dokployAppName: undefined }, "v2")).to.equal(undefined);
        expect(tagOf("127.0.0.1:5000/app:v2@sha256:0123")).to.equal("v2");
        expect(tagOf("127.0.0.1:5000/app:v2")).to.equal("v2");
        expect(tagOf("127.0.0.1:5000/app")).to.equal(undefined);
    });
});
