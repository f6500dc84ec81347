import { expect } from "chai";
import { startFakeDokploy, FakeDokploy, Fault } from "./support/dokploy";
import { appArgs, fakeTuning, fastProvider } from "./support/dokployProviderHarness";
import { forgetConfiguredToken } from "../components/dokploy/token";
import { DEFAULT_TUNING, deployOptions } from "../components/dokploy/context";
import { backoffDelayMs } from "../components/dokploy/http";

type Obj = Record<string, unknown>;
type Provider = Awaited<ReturnType<typeof fastProvider>>;
const SECRET = "sentinel-env-value-91c2";
const PROVIDER_TEXT = "provider-text";

async function checked(p: Provider, raw: Obj): Promise<Obj> {
    const r = await p.check({}, raw);
    expect(r.failures ?? []).to.deep.equal([]);
    return { ...r.inputs, __provider: PROVIDER_TEXT };
}

/** Calls that change something (not the deployment polls nor the rollout watch's reads). */
const isChange = (c: string): boolean => c !== "deployment.all" && !/^(docker|swarm)\./.test(c);

function callsSince(srv: FakeDokploy, from: number): string[] {
    return srv.requests.slice(from).map((r) => r.procedure);
}

async function rejection(p: Promise<unknown>): Promise<Error & Obj> {
    return p.then(
        () => expect.fail("expected a rejection"),
        (e: unknown) => e as Error & Obj,
    );
}

/**
 * Args with the recorded runs' short Swarm settings (real-rollout-log.md §0), for tests that are
 * not about the guide's defaults: their rollouts end within a poll round or two. The first test
 * creates with the guide's defaults (then moves to these), the rollout tests and the bad-image
 * test keep them.
 */
function shortArgs(serverUrl: string, over: Obj = {}): Obj {
    return appArgs(serverUrl, {
        healthCheck: { intervalSeconds: 2, timeoutSeconds: 2, startPeriodSeconds: 5, retries: 2 },
        updateConfig: { delaySeconds: 10, monitorSeconds: 10 },
        ...over,
    });
}

function emptyServer(srv: FakeDokploy): void {
    expect(srv.store.applications.size, "applications").to.equal(0);
    expect(srv.store.domains.size, "domains").to.equal(0);
    expect(srv.store.environments.size, "environments").to.equal(0);
    expect(srv.store.projects.size, "projects").to.equal(0);
}

// The tests below run with shrunken timings (FAST_TUNING); these are the ones real users get.
describe("Dokploy provider timings for real use", () => {
    it("keeps the production defaults: timeouts, retries, backoff, polling, deadlines in real seconds", () => {
        expect(DEFAULT_TUNING).to.deep.equal({
            httpTimeoutMs: 30000,
            maxAttempts: 4,
            backoffBaseMs: 500,
            backoffMaxMs: 8000,
            pollInitialMs: 250,
            pollMaxMs: 2000,
            uncertainGraceMs: 20000,
            deployTimeoutUnitMs: 1000,
            rolloutCallIntervalMs: 1000,
            rolloutPollMinMs: 1000,
            rolloutTimeScale: 1,
        });
        // Retry delays with the defaults: 250–500, 500–1000, 1000–2000 ms, capped at 4000–8000 ms.
        const delays = (r: number): number[] => [1, 2, 3, 5, 9].map((a) => backoffDelayMs(a, 500, 8000, () => r));
        expect(delays(0)).to.deep.equal([250, 500, 1000, 4000, 4000]);
        expect(delays(1)).to.deep.equal([500, 1000, 2000, 8000, 8000]);
        // deployTimeoutSeconds is real seconds; the grace after an uncertain deploy never outlasts it.
        expect(deployOptions(600, DEFAULT_TUNING)).to.deep.equal({
            timeoutMs: 600000,
            timeoutSeconds: 600,
            pollInitialMs: 250,
            pollMaxMs: 2000,
            uncertainGraceMs: 20000,
        });
        expect(deployOptions(5, DEFAULT_TUNING)).to.include({ timeoutMs: 5000, uncertainGraceMs: 5000 });
    });
});

for (const version of ["v0.25.6", "v0.30.2"] as const) {
    describe(`Dokploy provider against the fake ${version}`, function () {
        this.timeout(20000);
        let srv: FakeDokploy;
        let p: Provider;
        beforeEach(async () => {
            srv = await startFakeDokploy({ version, deployDurationMs: 1, swarm: { clock: "manual" } });
            p = await fastProvider(srv.apiKey, fakeTuning(srv));
        });
        afterEach(async () => {
            await srv.close();
            forgetConfiguredToken();
        });

        it("creates, no-op diffs, refreshes, updates only what changed, deletes everything it made", async () => {
            const inputs = await checked(p, appArgs(srv.url, { env: { SECRET } }));
            const { id, outs } = await p.create(inputs);
            const app = srv.store.applications.get(id)!;
            expect(app.sourceType).to.equal("docker");
            expect(app.updateConfigSwarm).to.deep.include({
                Order: "start-first",
                FailureAction: "rollback",
                Delay: 10e9,
                Monitor: 60e9,
            });
            expect(app.rollbackConfigSwarm).to.deep.include({
                Order: "stop-first",
                FailureAction: "pause",
                MaxFailureRatio: 0.3,
            });
            expect(app.healthCheckSwarm).to.deep.equal({
                Test: ["CMD-SHELL", "curl -f http://localhost:3000/api/health || exit 1"],
                Interval: 30e9,
                Timeout: 10e9,
                StartPeriod: 40e9,
                Retries: 3,
            });
            expect(outs).to.include({
                url: "https://qa.example.com",
                lastDeploymentStatus: "done",
                ownsProject: true,
                ownsEnvironment: true,
            });
            expect(String(outs.appName)).to.match(/^web-[a-z0-9]{6}$/);
            expect(JSON.stringify({ ...outs, env: null })).to.not.include(SECRET);

            expect((await p.diff(id, outs, inputs)).changes).to.equal(false);
            const read = await p.read(id, outs);
            expect((await p.diff(id, read.props, inputs)).changes).to.equal(false);

            // Each step changes one thing. The first one moves to the recorded runs' short Swarm
            // settings, so the rollouts of the steps after it end within a poll round or two.
            const step = async (over: Obj, olds: Obj): Promise<{ calls: string[]; outs: Obj }> => {
                const news = await checked(p, shortArgs(srv.url, { env: { SECRET }, ...over }));
                const d = await p.diff(id, olds, news);
                expect(d.replaces).to.deep.equal([]);
                const from = srv.requests.length;
                const r = await p.update(id, olds, news);
                return { calls: callsSince(srv, from).filter(isChange), outs: r.outs };
            };
            let s = await step({}, read.props);
            expect(s.calls).to.deep.equal(["application.update", "application.reload"]);
            expect(app.healthCheckSwarm).to.deep.include({ Interval: 2e9, Retries: 2 });
            expect(app.updateConfigSwarm).to.deep.include({ Delay: 10e9, Monitor: 10e9 });
            s = await step({ env: { SECRET, EXTRA: "1" } }, s.outs);
            expect(s.calls).to.deep.equal(["application.saveEnvironment", "application.redeploy"]);
            s = await step({ env: { SECRET, EXTRA: "1" }, dockerImage: "nginx:1.27" }, s.outs);
            expect(s.calls).to.deep.equal(["application.saveDockerProvider", "application.redeploy"]);
            const base = { env: { SECRET, EXTRA: "1" }, dockerImage: "nginx:1.27" };
            s = await step({ ...base, domain: { host: "qa2.example.com" } }, s.outs);
            expect(s.calls).to.deep.equal(["domain.update"]);
            expect(s.outs.url).to.equal("https://qa2.example.com");
            s = await step({ ...base, domain: { host: "qa2.example.com" }, replicas: 2 }, s.outs);
            expect(s.calls).to.deep.equal(["application.update", "application.reload"]);
            s = await step(
                { ...base, domain: { host: "qa2.example.com" }, replicas: 2, description: "web app" },
                s.outs,
            );
            expect(s.calls).to.deep.equal(["application.update"]);
            s = await step({ ...base, replicas: 2, description: "web app", domain: null }, s.outs);
            expect(s.calls).to.deep.equal(["domain.delete"]);
            expect(srv.store.domains.size).to.equal(0);

            const replace = await p.diff(
                id,
                s.outs,
                await checked(p, shortArgs(srv.url, { ...base, projectName: "other", appName: "web2" })),
            );
            expect(replace.replaces).to.have.members(["projectName", "appName"]);

            await p.delete(id, s.outs);
            emptyServer(srv);
        });

        // The next three tests are about which project, environment and application a create finds
        // or makes and a delete removes; delete never reads deployments, so they configure without deploying.
        it("delete costs three calls and keeps a project another stack now uses", async () => {
            const inputs = await checked(p, shortArgs(srv.url, { deploy: false }));
            const a = await p.create(inputs);
            let from = srv.requests.length;
            await p.delete(a.id, a.outs);
            expect(callsSince(srv, from)).to.deep.equal(["application.delete", "project.one", "project.remove"]);
            emptyServer(srv);
            // This resource creates the project; another stack then adds its own environment and app.
            const b = await p.create(inputs);
            const other = await p.create(
                await checked(p, shortArgs(srv.url, { environmentName: "staging", deploy: false })),
            );
            from = srv.requests.length;
            await p.delete(b.id, b.outs);
            expect(callsSince(srv, from)).to.deep.equal(["application.delete", "project.one", "environment.remove"]);
            expect(srv.store.projects.size).to.equal(1);
            expect([...srv.store.environments.values()].map((e) => e.name)).to.have.members(["production", "staging"]);
            // The project carries this provider's marker: the last stack to leave removes it.
            expect(other.outs).to.include({ ownsProject: true, ownsEnvironment: true });
            await p.delete(other.id, other.outs);
            emptyServer(srv);
        });

        it("an app deleted outside Pulumi and re-created by the next up: destroy still removes the project (issue 9 §5)", async () => {
            const inputs = await checked(p, shortArgs(srv.url, { deploy: false }));
            const first = await p.create(inputs);
            srv.store.applications.delete(first.id);
            for (const [k, d] of srv.store.domains) if (d.applicationId === first.id) srv.store.domains.delete(k);
            expect((await p.read(first.id, first.outs)).id).to.equal(""); // refresh drops it from state
            const again = await p.create(inputs);
            expect(again.outs).to.include({ projectId: first.outs.projectId, environmentId: first.outs.environmentId });
            expect(again.outs).to.include({ ownsProject: true, ownsEnvironment: true });
            await p.delete(again.id, again.outs);
            emptyServer(srv);
        });

        it("keeps a project and environment it did not create; 'production' is the default environment", async () => {
            const { project } = srv.store.createProject({ name: "nextstack" });
            const inputs = await checked(p, shortArgs(srv.url, { environmentName: "production", deploy: false }));
            const { id, outs } = await p.create(inputs);
            expect(outs).to.include({ ownsProject: false, ownsEnvironment: false, projectId: project.projectId });
            expect(srv.store.environments.size).to.equal(1);
            await p.delete(id, outs);
            expect(srv.store.projects.size).to.equal(1);
            expect(srv.store.environments.size).to.equal(1);
            expect(srv.store.applications.size).to.equal(0);
        });

        it("refresh shows drift in every managed field and update corrects it", async () => {
            const inputs = await checked(p, shortArgs(srv.url, { env: { SECRET } }));
            const { id, outs } = await p.create(inputs);
            const app = srv.store.applications.get(id)!;
            app.dockerImage = "nginx:drift";
            app.env = "OTHER=1";
            app.replicas = 5;
            app.healthCheckSwarm = null;
            app.updateConfigSwarm = { Parallelism: 3, Order: "stop-first" };
            const dom = [...srv.store.domains.values()][0]!;
            dom.host = "drift.example.com";
            const read = await p.read(id, outs);
            expect(read.props).to.include({
                dockerImage: "nginx:drift",
                env: "OTHER=1",
                replicas: 5,
                healthCheck: null,
                url: "https://drift.example.com",
            });
            const d = await p.diff(id, read.props, inputs);
            expect(d.changes).to.equal(true);
            expect(d.replaces).to.deep.equal([]);
            await p.update(id, read.props, inputs);
            expect(app.dockerImage).to.equal(inputs.dockerImage);
            expect(app.env).to.include(SECRET);
            expect(app.replicas).to.equal(1);
            expect(app.updateConfigSwarm).to.deep.include({ Order: "start-first" });
            expect(dom.host).to.equal("qa.example.com");
            const again = await p.read(id, outs);
            expect((await p.diff(id, again.props, inputs)).changes).to.equal(false);
        });

        it("an out-of-band delete: read says gone, update says refresh, delete succeeds", async () => {
            const inputs = await checked(p, shortArgs(srv.url));
            const { id, outs } = await p.create(inputs);
            srv.store.applications.delete(id);
            for (const [k, d] of srv.store.domains) if (d.applicationId === id) srv.store.domains.delete(k);
            expect((await p.read(id, outs)).id).to.equal("");
            const news = await checked(p, shortArgs(srv.url, { env: { A: "2" } }));
            const err = await rejection(p.update(id, outs, news));
            expect(err.message).to.include("no longer exists").and.include("pulumi refresh");
            await p.delete(id, outs);
            emptyServer(srv);
        });

        it("an out-of-band delete found by a domain-only update says the app is gone, not a raw 400", async () => {
            const inputs = await checked(p, shortArgs(srv.url));
            const { id, outs } = await p.create(inputs);
            srv.store.applications.delete(id);
            for (const [k, d] of srv.store.domains) if (d.applicationId === id) srv.store.domains.delete(k);
            const news = await checked(p, shortArgs(srv.url, { domain: { host: "qa2.example.com" } }));
            const err = await rejection(p.update(id, outs, news));
            expect(err.message).to.include("no longer exists").and.include("pulumi refresh");
            expect(err.message).to.not.include("Failed query");
        });

        it("a key rate-limited mid-create (401) names the project and environment it could not remove", async () => {
            // 8 verifications = 4 requests (API.md §2): version, project.all, project.create,
            // environment.create; application.create and every cleanup call then answer 401.
            const limited = await startFakeDokploy({
                version,
                swarm: { clock: "manual" },
                apiKeys: [{ key: "limited-key-5f1c", rateLimitMax: 8 }],
            });
            try {
                const lp = await fastProvider("limited-key-5f1c", fakeTuning(limited));
                const err = await rejection(lp.create(await checked(lp, appArgs(limited.url))));
                const project = [...limited.store.projects.values()][0]!;
                const env = [...limited.store.environments.values()].find((e) => e.name === "qa")!;
                expect(err.name).to.equal("DokployUnauthorizedError");
                expect(err.message)
                    .to.include("rate-limited")
                    .and.include(`project "nextstack" (${project.projectId})`)
                    .and.include(`environment "qa" (${env.environmentId})`)
                    .and.include("Dokploy UI")
                    .and.not.include("limited-key-5f1c");
                expect(err.id).to.equal(undefined);
                expect(limited.callCount("application.create")).to.equal(1);
            } finally {
                await limited.close();
            }
        });

        const failurePoints: { name: string; fault: Fault; recorded: boolean }[] = [
            {
                name: "project.create",
                fault: { procedure: "project.create", kind: "status", status: 400 },
                recorded: false,
            },
            {
                name: "environment.create",
                fault: { procedure: "environment.create", kind: "status", status: 500 },
                recorded: false,
            },
            {
                name: "application.create",
                fault: { procedure: "application.create", kind: "status", status: 409 },
                recorded: false,
            },
            {
                name: "saveDockerProvider",
                fault: { procedure: "application.saveDockerProvider", kind: "status", status: 500 },
                recorded: true,
            },
            {
                name: "saveEnvironment",
                fault: { procedure: "application.saveEnvironment", kind: "status", status: 401 },
                recorded: true,
            },
            {
                name: "application.update",
                fault: { procedure: "application.update", kind: "status", status: 400 },
                recorded: true,
            },
            {
                name: "domain.create",
                fault: { procedure: "domain.create", kind: "status", status: 400 },
                recorded: true,
            },
            {
                name: "application.deploy",
                fault: { procedure: "application.deploy", kind: "status", status: 500 },
                recorded: true,
            },
        ];
        for (const fp of failurePoints) {
            it(`a create failing at ${fp.name} leaves no orphan`, async () => {
                srv.faults.inject({ ...fp.fault, times: 1 });
                const inputs = await checked(p, shortArgs(srv.url, { env: { SECRET } }));
                const err = await rejection(p.create(inputs));
                expect(err.message).to.not.include(SECRET).and.not.include(srv.apiKey);
                if (!fp.recorded) {
                    expect(err.id).to.equal(undefined);
                    emptyServer(srv);
                    return;
                }
                // Partial state: the engine records the id and these outputs; destroy then cleans up.
                expect(err.id).to.be.a("string");
                expect(srv.store.applications.has(String(err.id))).to.equal(true);
                const props = err.properties as Obj;
                expect(props.__provider).to.equal(PROVIDER_TEXT);
                expect((await p.diff(String(err.id), props, inputs)).changes).to.equal(true);
                await p.delete(String(err.id), props);
                emptyServer(srv);
            });
        }

        it("a failed deployment is recorded and retried by the next update; the next up converges", async () => {
            srv.deployments.setOutcome("error");
            const inputs = await checked(p, shortArgs(srv.url));
            const err = await rejection(p.create(inputs));
            expect(err.message).to.match(/ended with status "error".*log on the server: \/etc\/dokploy\/logs\//);
            const props = err.properties as Obj;
            expect(props.lastDeploymentStatus).to.equal("error");
            srv.deployments.setOutcome("done");
            expect((await p.diff(String(err.id), props, inputs)).changes).to.equal(true);
            const from = srv.requests.length;
            const { outs } = await p.update(String(err.id), props, inputs);
            expect(callsSince(srv, from).filter(isChange)).to.deep.equal(["application.redeploy"]);
            expect(outs.lastDeploymentStatus).to.equal("done");
            expect((await p.diff(String(err.id), outs, inputs)).changes).to.equal(false);
        });

        it("a deployment that never finishes fails at deployTimeoutSeconds with its status", async () => {
            srv.deployments.setOutcome("hold");
            const inputs = await checked(p, shortArgs(srv.url, { deployTimeoutSeconds: 1 }));
            const err = await rejection(p.create(inputs));
            // The deadline passed in 50 ms (FAST_TUNING), but the message names the seconds the user set.
            expect(err.message).to.match(/still "running" after 1 s \(deployTimeoutSeconds\)/);
            srv.deployments.release("cancelled");
            await p.delete(String(err.id), err.properties as Obj);
            emptyServer(srv);
        });

        it("a deployment left running at the deadline is awaited by the next update, not forgotten", async () => {
            srv.deployments.setOutcome("hold");
            const inputs = await checked(p, shortArgs(srv.url, { deployTimeoutSeconds: 1 }));
            const err = await rejection(p.create(inputs));
            const props = err.properties as Obj;
            expect(props.lastDeploymentStatus).to.equal("running");
            // The held job then fails on the server (a real server without Docker ends in "error").
            srv.deployments.release("error");
            srv.deployments.setOutcome("error");
            expect((await p.diff(String(err.id), props, inputs)).changes).to.equal(true);
            let from = srv.requests.length;
            const again = await rejection(p.update(String(err.id), props, inputs));
            expect(again.message).to.match(/ended with status "error"/);
            expect(callsSince(srv, from)).to.include("application.redeploy");
            // One that finished "done" meanwhile needs no new deployment.
            srv.deployments.setOutcome("hold");
            const held = await rejection(p.update(String(err.id), again.properties as Obj, inputs));
            expect((held.properties as Obj).lastDeploymentStatus).to.equal("running");
            srv.deployments.release("done");
            from = srv.requests.length;
            const { outs } = await p.update(String(err.id), held.properties as Obj, inputs);
            expect(outs.lastDeploymentStatus).to.equal("done");
            expect(callsSince(srv, from).filter(isChange)).to.deep.equal([]);
            expect((await p.diff(String(err.id), outs, inputs)).changes).to.equal(false);
        });

        it("deployPolicy never configures without deploying", async () => {
            const inputs = await checked(p, appArgs(srv.url, { deployPolicy: "never" }));
            const { outs } = await p.create(inputs);
            expect(srv.callCount("application.deploy")).to.equal(0);
            expect(outs.lastDeploymentStatus).to.equal(null);
        });

        it("create and update return only after Swarm completed the rollout; outputs say what runs", async () => {
            const inputs = await checked(p, appArgs(srv.url, { dockerImage: "registry.example.com/web:v1" }));
            const { id, outs } = await p.create(inputs);
            const appName = String(outs.appName);
            expect(outs).to.include({
                runningImage: "registry.example.com/web:v1",
                rolloutStatus: "completed",
                deployed: true,
            });
            const v2 = await checked(p, appArgs(srv.url, { dockerImage: "registry.example.com/web:v2" }));
            const { outs: after } = await p.update(id, outs, v2);
            // The moment update returns, Swarm itself says completed and only v2 answers.
            expect((await srv.swarm.updateStatus(appName))?.State).to.equal("completed");
            expect(srv.swarm.serving(appName).map((t) => t.image)).to.deep.equal(["registry.example.com/web:v2"]);
            expect(after).to.include({ runningImage: "registry.example.com/web:v2", rolloutStatus: "completed" });
            expect(String(after.lastRollout)).to.match(/^completed after \d/);
        });

        it("a bad image rolled back by Swarm fails the update with Swarm's reason; Dokploy's image and env are set back", async () => {
            const good = appArgs(srv.url, { dockerImage: "registry.example.com/web:v1", env: { A: "1" } });
            const inputs = await checked(p, good);
            const { id, outs } = await p.create(inputs);
            const app = srv.store.applications.get(id)!;
            srv.swarm.setImageBehaviour("registry.example.com/web:bad", { health: "unhealthy" });
            const badArgs = { ...good, dockerImage: "registry.example.com/web:bad", env: { A: "2" } };
            const bad = await checked(p, badArgs);
            const err = await rejection(p.update(id, outs, bad));
            expect(err.message).to.include("Swarm rolled the rollout back");
            expect(err.message).to.include("unhealthy container");
            expect(err.message).to.include("Serving now: registry.example.com/web:v1");
            expect(err.message).to.include("image and env were set back");
            expect(err.id).to.equal(id); // partial state: the engine records it, the next up retries
            const props = err.properties as Obj;
            expect(props).to.include({
                runningImage: "registry.example.com/web:v1",
                rolloutStatus: "rolled_back",
                dockerImage: "registry.example.com/web:v1",
            });
            // Dokploy holds what runs again, so a later redeploy cannot bring the bad image back.
            expect(app.dockerImage).to.equal("registry.example.com/web:v1");
            expect(app.env).to.equal(outs.env);
            expect(srv.swarm.serving(String(outs.appName)).map((t) => t.image)).to.deep.equal([
                "registry.example.com/web:v1",
            ]);
            // The next up retries the change; fixed, it goes through.
            expect((await p.diff(id, props, bad)).changes).to.equal(true);
            const fixed = await checked(p, { ...badArgs, dockerImage: "registry.example.com/web:v2" });
            const { outs: ok } = await p.update(id, props, fixed);
            expect(ok).to.include({ runningImage: "registry.example.com/web:v2", rolloutStatus: "completed" });
            expect(app.env).to.include("A=2");
        });

        it("a key that may not read docker.* fails the step saying so; the next up deploys again", async () => {
            const inputs = await checked(p, shortArgs(srv.url));
            srv.faults.inject({
                procedure: "swarm.getNodeApps",
                kind: "status",
                status: 403,
                body: { message: "You are not authorized to access this resource", code: "FORBIDDEN" },
            });
            const err = await rejection(p.create(inputs));
            expect(err.message).to.include("could not be watched").and.include("needs access to Docker");
            const props = err.properties as Obj;
            expect(props).to.include({ lastDeploymentStatus: "done", deployed: false });
            expect((await p.diff(String(err.id), props, inputs)).changes).to.equal(true);
            const { outs } = await p.update(String(err.id), props, inputs);
            expect(outs).to.include({ rolloutStatus: "completed", deployed: true });
        });

        it("a first deploy that never gets healthy fails at the deadline derived from the settings", async () => {
            srv.swarm.setImageBehaviour("registry.example.com/web:bad", { health: "unhealthy" });
            const inputs = await checked(
                p,
                appArgs(srv.url, {
                    dockerImage: "registry.example.com/web:bad",
                    healthCheck: { intervalSeconds: 2, timeoutSeconds: 2, startPeriodSeconds: 5, retries: 2 },
                }),
            );
            const err = await rejection(p.create(inputs));
            expect(err.message).to.match(/did not finish within 153 s \(153 s = pull 60 s \+ 1 batch/);
            expect(err.message).to.include("0 of 1 new task(s) healthy");
            const props = err.properties as Obj;
            expect(props).to.include({ rolloutStatus: "deadline", deployed: false });
            expect((await p.diff(String(err.id), props, inputs)).changes).to.equal(true);
        });

        it("deploy: false configures everything without deploying; deploy: true later deploys what was saved", async () => {
            const bad = await p.check({}, appArgs(srv.url, { deploy: "no" }));
            expect(bad.failures?.map((f) => f.property)).to.deep.equal(["deploy"]);
            const clash = await p.check({}, appArgs(srv.url, { deploy: false, deployPolicy: "onChange" }));
            expect(clash.failures?.[0].reason).to.match(/contradicts deployPolicy/);

            const inputs = await checked(p, shortArgs(srv.url, { deploy: false, replicas: 2 }));
            const { id, outs } = await p.create(inputs);
            const app = srv.store.applications.get(id)!;
            expect(app.dockerImage).to.equal(appArgs(srv.url).dockerImage);
            expect(app.replicas).to.equal(2);
            expect(app.healthCheckSwarm).to.not.equal(null);
            expect(srv.store.domains.size).to.equal(1);
            expect(srv.callCount("application.deploy") + srv.callCount("application.redeploy")).to.equal(0);
            expect(outs.deployed).to.equal(false);
            expect((await p.diff(id, outs, inputs)).changes).to.equal(false);

            // A new image saved while deploy is false: stored, not deployed.
            const img2 = await checked(p, shortArgs(srv.url, { deploy: false, replicas: 2, dockerImage: "nginx:2" }));
            const saved = await p.update(id, outs, img2);
            expect(app.dockerImage).to.equal("nginx:2");
            expect(srv.callCount("application.deploy") + srv.callCount("application.redeploy")).to.equal(0);
            expect(saved.outs.deployed).to.equal(false);
            expect((await p.diff(id, saved.outs, img2)).changes).to.equal(false);

            // deploy: true with the same image deploys what Dokploy holds.
            const on = await checked(p, shortArgs(srv.url, { replicas: 2, dockerImage: "nginx:2" }));
            expect((await p.diff(id, saved.outs, on)).changes).to.equal(true);
            const done = await p.update(id, saved.outs, on);
            expect(srv.callCount("application.deploy")).to.equal(1);
            expect(done.outs).to.include({ deployed: true, lastDeploymentStatus: "done" });
            expect((await p.diff(id, done.outs, on)).changes).to.equal(false);
            const read = await p.read(id, done.outs);
            expect(read.props.deployed).to.equal(true);
        });
    });
}
