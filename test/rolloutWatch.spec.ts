// watchRollout end to end through the real client against the fake Dokploy's simulated swarm,
// which follows the recorded rollout timelines (test/support/dokploy/swarm, real-rollout-log.md).
// Manual clock: the watcher's sleep advances simulated time, so no test waits real seconds.
import { expect } from "chai";
import { startFakeDokploy, type FakeDokploy } from "./support/dokploy";
import { createDokployClient, DokployClient } from "../components/dokploy/client";
import { deployAndWait } from "../components/dokploy/deploy";
import { baselineContainers, settingsFromApplication, watchRollout } from "../components/dokploy/rollout";
import { RolloutEvent, RolloutResult } from "../components/dokploy/rollout/types";
import { IMG, RECORDED_SHORT_SWARM } from "./rolloutLog";

// The short settings of the recorded runs (§0).
const SWARM = { replicas: 1, modeSwarm: null, ...RECORDED_SHORT_SWARM };
const WAIT = { timeoutMs: 5000, pollInitialMs: 5, pollMaxMs: 10, uncertainGraceMs: 100 };

for (const version of ["v0.25.6", "v0.30.2"] as const) {
    describe(`watchRollout against the fake ${version} (simulated swarm, manual clock)`, function () {
        this.timeout(20000);
        let srv: FakeDokploy;
        let client: DokployClient;
        let app: { applicationId: string; appName: string };

        beforeEach(async () => {
            srv = await startFakeDokploy({ version, deployDurationMs: 2, swarm: { clock: "manual" } });
            client = createDokployClient({ baseUrl: srv.url, apiKey: srv.apiKey, timeoutMs: 2000 });
            const { environment } = await client.projectCreate("watch-project", "");
            app = await client.applicationCreate(
                { name: "watch", environmentId: environment.environmentId, appName: "watch", description: null },
                new Set(),
            );
            await client.saveDockerProvider(app.applicationId, IMG("v1"));
            await client.applicationUpdate(app.applicationId, SWARM);
            await deployAndWait(client, app, "deploy", WAIT, new Set());
            srv.swarm.clock.advance(30_000); // v1 healthy, service created
        });
        afterEach(async () => srv.close());

        /** Deploys what Dokploy holds and watches it, with the fake's clock as the watcher's. */
        async function deployAndWatch(expectedImage: string): Promise<{ r: RolloutResult; events: RolloutEvent[] }> {
            const baseline = await baselineContainers(client, app.appName);
            const startedAt = srv.swarm.clock.now();
            await deployAndWait(client, app, "redeploy", WAIT);
            const events: RolloutEvent[] = [];
            const r = await watchRollout(client, {
                appName: app.appName,
                expectedImage,
                baselineContainerIds: baseline,
                settings: settingsFromApplication(await client.applicationOne(app.applicationId)),
                startedAt,
                now: () => srv.swarm.clock.now(),
                sleep: async (ms) => srv.swarm.clock.advance(ms),
                onEvent: (e) => events.push(e),
            });
            return { r, events };
        }

        it("a good update completes only once Swarm reports completed, at ≤ 1 API call per second", async () => {
            await client.saveDockerProvider(app.applicationId, IMG("v2"));
            const { r, events } = await deployAndWatch(IMG("v2"));
            expect(r.outcome, r.reason).to.equal("completed");
            expect(r.servingImage).to.equal(IMG("v2"));
            const status = await srv.swarm.updateStatus(app.appName);
            expect(status?.State).to.equal("completed");
            const completedAt = Date.parse(status!.CompletedAt!);
            expect(r.endedAt).to.be.at.least(completedAt);
            // The watcher adds 1 s to healthy + Delay + Monitor (real Swarm completed 0.1–1.0 s after it,
            // log §2); the fake completes at exactly that time. Its "healthy" is read from the health
            // log as seen at a poll, so it may lag by up to one health Interval (2 s here), never lead.
            expect(r.endedAt - completedAt).to.be.at.most(1000 + 2000);
            expect(r.calls / ((r.endedAt - r.startedAt) / 1000)).to.be.at.most(1);
            expect(events.map((e) => e.kind)).to.include.members([
                "submitted",
                "task_started",
                "task_healthy",
                "old_task_stopped",
                "completed",
            ]);
            expect(srv.swarm.serving(app.appName).map((s) => s.health.version)).to.deep.equal(["v2"]);
        });

        it("a bad image is rolled back: Swarm's reason, the old version serving", async () => {
            srv.swarm.setImageBehaviour(IMG("bad"), { health: "unhealthy" });
            await client.saveDockerProvider(app.applicationId, IMG("bad"));
            const { r } = await deployAndWatch(IMG("bad"));
            expect(r.outcome).to.equal("rolled_back");
            expect(r.reason).to.include("unhealthy container");
            expect(r.servingImage).to.equal(IMG("v1"));
            expect((await srv.swarm.updateStatus(app.appName))?.State).to.match(/^rollback_/);
            // Each exited container's config is read once; calls stay within the budget.
            const configs = srv.requests.filter((q) => q.procedure === "docker.getConfig").length;
            expect(configs).to.be.below(r.calls);
            expect(r.calls / ((r.endedAt - r.startedAt) / 1000)).to.be.at.most(1);
        });

        it("an env-only change completes with a new container (same image)", async () => {
            await client.saveEnvironment(app.applicationId, "APP_MARKER=env1");
            const { r, events } = await deployAndWatch(IMG("v1"));
            expect(r.outcome, r.reason).to.equal("completed");
            expect(events.filter((e) => e.kind === "task_started")).to.have.length(1);
            expect((await srv.swarm.updateStatus(app.appName))?.State).to.equal("completed");
        });

        it("stops when its signal is aborted", async () => {
            await client.saveDockerProvider(app.applicationId, IMG("v2"));
            const baseline = await baselineContainers(client, app.appName);
            await deployAndWait(client, app, "redeploy", WAIT);
            const stop = new AbortController();
            let polls = 0;
            const watching = watchRollout(client, {
                appName: app.appName,
                expectedImage: IMG("v2"),
                baselineContainerIds: baseline,
                settings: settingsFromApplication(await client.applicationOne(app.applicationId)),
                now: () => srv.swarm.clock.now(),
                sleep: async (ms) => {
                    if (++polls === 2) stop.abort(new Error("cancelled by the user"));
                    srv.swarm.clock.advance(ms);
                },
                signal: stop.signal,
            });
            const err = await watching.then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.equal("cancelled by the user");
        });

        it("a slow image beyond the deadline fails at the deadline", async () => {
            srv.swarm.setImageBehaviour(IMG("slow"), { health: "slow", healthyAfterMs: 600_000 });
            await client.saveDockerProvider(app.applicationId, IMG("slow"));
            const baseline = await baselineContainers(client, app.appName);
            const startedAt = srv.swarm.clock.now();
            await deployAndWait(client, app, "redeploy", WAIT);
            const s = settingsFromApplication(await client.applicationOne(app.applicationId));
            const r = await watchRollout(client, {
                appName: app.appName,
                expectedImage: IMG("slow"),
                baselineContainerIds: baseline,
                settings: { ...s, update: { ...s.update, failureAction: "continue" } },
                startedAt,
                deadline: { ms: 8_000, text: "8 s (test)" },
                now: () => srv.swarm.clock.now(),
                sleep: async (ms) => srv.swarm.clock.advance(ms),
            });
            expect(r.outcome).to.equal("deadline");
            expect(r.reason).to.include("0 of 1 new task(s) healthy");
            expect(r.deadlineText).to.equal("8 s (test)");
        });
    });
}
