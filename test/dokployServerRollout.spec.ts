// The fake Dokploy's simulated swarm and its docker.* endpoints, checked against what real
// Dokploy v0.25.6/v0.30.2 did on a real swarm (/work/shared/dokploy/real-rollout-log.md).
// Manual clock: simulated time moves only when a test advances it, so no test waits real time.
import { expect } from "chai";
import { startFakeDokploy, type DokployVersion, type FakeDokploy } from "./support/dokploy";
import { httpCall } from "./support/dokploy/httpCall";
import { IMG, RECORDED_SHORT_SWARM } from "./rolloutLog";

const SHORT_HEALTH = RECORDED_SHORT_SWARM.healthCheckSwarm;
const UPDATE = RECORDED_SHORT_SWARM.updateConfigSwarm;
const ROLLBACK = RECORDED_SHORT_SWARM.rollbackConfigSwarm;

type Json = Record<string, unknown>;

class Api {
    constructor(readonly srv: FakeDokploy) {}

    async raw(method: "GET" | "POST", procedure: string, arg: Json = {}): Promise<{ status: number; text: string }> {
        const qs = method === "GET" ? `?${new URLSearchParams(arg as Record<string, string>)}` : "";
        // node:http, not fetch: these requests test the fake, not a client (see httpCall.ts for the CPU cost)
        const res = await httpCall(`${this.srv.url}/api/${procedure}${qs}`, {
            method,
            headers: { "x-api-key": this.srv.apiKey, "content-type": "application/json" },
            body: method === "POST" ? JSON.stringify(arg) : undefined,
        });
        return { status: res.status, text: res.text };
    }

    async get<T = unknown>(procedure: string, query: Json = {}): Promise<T> {
        const r = await this.raw("GET", procedure, query);
        expect(r.status, r.text).to.equal(200);
        return (r.text === "" ? undefined : JSON.parse(r.text)) as T;
    }

    async post<T = unknown>(procedure: string, body: Json): Promise<T> {
        const r = await this.raw("POST", procedure, body);
        expect(r.status, r.text).to.equal(200);
        return (r.text === "" ? undefined : JSON.parse(r.text)) as T;
    }

    /** A docker-image app with the short settings of the recorded runs; returns its ids. */
    async app(image: string, replicas = 1, name = "fake-app"): Promise<{ applicationId: string; appName: string }> {
        const { environment } = await this.post<{ environment: { environmentId: string } }>("project.create", {
            name: `${name}-project`,
        });
        const app = await this.post<{ applicationId: string; appName: string }>("application.create", {
            name,
            appName: name,
            environmentId: environment.environmentId,
        });
        await this.image(app.applicationId, image);
        await this.post("application.update", {
            applicationId: app.applicationId,
            healthCheckSwarm: SHORT_HEALTH,
            updateConfigSwarm: UPDATE,
            rollbackConfigSwarm: ROLLBACK,
            replicas,
        });
        return app;
    }

    /** saveDockerProvider (v0.30.2 requires the registry keys, null is fine). */
    async image(applicationId: string, dockerImage: string): Promise<void> {
        await this.post("application.saveDockerProvider", {
            applicationId,
            dockerImage,
            username: null,
            password: null,
            registryUrl: null,
        });
    }

    async deployments(applicationId: string): Promise<Json[]> {
        return this.get<Json[]>("deployment.all", { applicationId });
    }

    /** deploy and wait (bounded) until the new row is no longer running. */
    async deploy(applicationId: string, procedure = "application.deploy"): Promise<Json> {
        const before = (await this.deployments(applicationId)).length;
        await this.post(procedure, { applicationId });
        for (let i = 0; i < 400; i++) {
            const rows = await this.deployments(applicationId);
            if (rows.length > before && rows[0]!.status !== "running") return rows[0]!;
            await new Promise((r) => setTimeout(r, 5));
        }
        throw new Error("deployment row never finished");
    }

    config(containerId: string): Promise<Json> {
        return this.get<Json>("docker.getConfig", { containerId });
    }

    byName(appName: string): Promise<Json[]> {
        return this.get<Json[]>("docker.getContainersByAppNameMatch", { appName });
    }

    tasks(appName: string): Promise<Json[]> {
        return this.get<Json[]>("docker.getServiceContainersByAppName", { appName });
    }

    async nodeApp(appName: string): Promise<Json | undefined> {
        return (await this.get<Json[]>("swarm.getNodeApps")).find((s) => s.Name === appName);
    }
}

function state(config: Json): { status: string; health?: string; image: string; streak?: number } {
    const s = config.State as Json;
    const h = s.Health as Json | undefined;
    return {
        status: String(s.Status),
        health: h ? String(h.Status) : undefined,
        streak: h ? Number(h.FailingStreak) : undefined,
        image: String((config.Config as Json).Image),
    };
}

function useFake(version: DokployVersion): { api: () => Api; srv: () => FakeDokploy } {
    let srv: FakeDokploy | undefined;
    beforeEach(async () => {
        srv = await startFakeDokploy({ version, deployDurationMs: 5, swarm: { clock: "manual" } });
    });
    afterEach(async () => srv?.close());
    return { api: () => new Api(srv!), srv: () => srv! };
}

/** Advances simulated time in 100 ms steps until `check` holds (bounded), returning the time taken. */
function advanceUntil(srv: FakeDokploy, check: () => boolean, maxMs: number): number {
    const start = srv.swarm.clock.now();
    for (let t = 0; t <= maxMs; t += 100) {
        if (check()) return srv.swarm.clock.now() - start;
        srv.swarm.clock.advance(100);
    }
    throw new Error(`condition not reached within ${maxMs} simulated ms`);
}

describe("fake Dokploy: simulated swarm rollouts (real-rollout-log.md)", () => {
    const { api, srv } = useFake("v0.25.6");

    it("good start-first update: done at once; new task healthy after one Interval, old one exits 143, completed after Delay + Monitor", async () => {
        const a = api();
        const { applicationId, appName } = await a.app(IMG("v1"));
        await a.deploy(applicationId);
        srv().swarm.clock.advance(5_000);
        expect(await srv().swarm.updateStatus(appName)).to.equal(undefined); // created, no UpdateStatus
        const [old] = await a.byName(appName);
        expect(state(await a.config(String(old!.containerId)))).to.include({ health: "healthy", image: IMG("v1") });

        await a.image(applicationId, IMG("v2"));
        const row = await a.deploy(applicationId);
        expect(row.status).to.equal("done");
        expect((await srv().swarm.updateStatus(appName))?.State).to.equal("updating");
        expect((await a.nodeApp(appName))?.Image).to.equal(IMG("v2"));
        srv().swarm.clock.advance(1_000);
        const both = await a.byName(appName);
        expect(both.map((c) => c.state)).to.deep.equal(["running", "running"]);
        const fresh = String(both[0]!.containerId);
        expect(state(await a.config(fresh))).to.include({ health: "starting", image: IMG("v2") });
        // Old and new answer side by side only after the new one is healthy (start-first).
        expect(
            srv()
                .swarm.serving(appName)
                .map((s) => s.health.version),
        ).to.deep.equal(["v1"]);

        const healthyAfter = advanceUntil(srv(), () => srv().swarm.serving(appName).length === 2, 10_000);
        expect(healthyAfter).to.be.within(1_000, 3_000); // first probe one Interval (2 s) after the start
        const tasks = await a.tasks(appName);
        expect(tasks.map((t) => t.state)).to.deep.equal(["running", "shutdown"]);
        srv().swarm.clock.advance(4_000);
        expect(
            srv()
                .swarm.serving(appName)
                .map((s) => s.health.version),
        ).to.deep.equal(["v2"]);
        const oldConfig = state(await a.config(String(old!.containerId)));
        expect(oldConfig).to.include({ status: "exited", health: "unhealthy", streak: 0 }); // stopped → unhealthy
        expect((await a.byName(appName)).map((c) => c.state)).to.deep.equal(["running", "exited"]);

        const toCompleted = advanceUntil(srv(), () => isState(srv(), appName, "completed"), 40_000);
        expect(toCompleted).to.be.within(14_000, 20_000); // Delay 10 s + Monitor 10 s after healthy
        expect((await a.deployments(applicationId))[0]!.status).to.equal("done");
    });

    it("bad image: Dokploy says done and keeps the bad image; swarm fails the task, restarts it, rolls back", async () => {
        const a = api();
        srv().swarm.setImageBehaviour(IMG("bad"), { health: "unhealthy" });
        const { applicationId, appName } = await a.app(IMG("v2"));
        await a.deploy(applicationId);
        srv().swarm.clock.advance(5_000);
        await a.image(applicationId, IMG("bad"));
        const row = await a.deploy(applicationId);
        const t0 = srv().swarm.clock.now();
        expect(row).to.include({ status: "done", errorMessage: null });

        advanceUntil(
            srv(),
            () => srv().swarm.backend.kind === "simulated" && unhealthyCount(srv(), appName) > 0,
            15_000,
        );
        expect(srv().swarm.clock.now() - t0).to.be.within(7_500, 11_000); // log: unhealthy +9.4 s
        advanceUntil(srv(), () => isState(srv(), appName, "rollback_started"), 20_000);
        expect(srv().swarm.clock.now() - t0).to.be.within(19_000, 25_000); // log: +21.7 s
        expect((await a.nodeApp(appName))?.Image).to.equal(IMG("v2")); // spec image flips back
        advanceUntil(srv(), () => isState(srv(), appName, "rollback_completed"), 20_000);
        expect(srv().swarm.clock.now() - t0).to.be.within(34_000, 40_000); // log: +36.7 s

        const app = await a.get<Json>("application.one", { applicationId });
        expect(app).to.include({ applicationStatus: "done", dockerImage: IMG("bad") });
        const rows = await a.deployments(applicationId);
        expect(rows).to.have.length(2);
        expect(rows[0]).to.include({ status: "done", errorMessage: null });
        expect(
            srv()
                .swarm.serving(appName)
                .map((s) => s.health.version),
        ).to.deep.equal(["v2"]);
        // Two bad containers (the restart policy's replacement), both exited; the v2 one still runs.
        const containers = await a.byName(appName);
        const configs = await Promise.all(containers.map((c) => a.config(String(c.containerId))));
        const bad = configs.map(state).filter((c) => c.image === IMG("bad"));
        expect(bad.map((c) => [c.status, c.health])).to.deep.equal([
            ["exited", "unhealthy"],
            ["exited", "unhealthy"],
        ]);
    });

    it("bad image with 2 replicas: the rollback starts a fraction of a second after the first failure", async () => {
        const a = api();
        srv().swarm.setImageBehaviour(IMG("bad"), { health: "unhealthy" });
        const { applicationId, appName } = await a.app(IMG("v2"), 2);
        await a.deploy(applicationId);
        srv().swarm.clock.advance(5_000);
        expect((await a.nodeApp(appName))?.Replicas).to.equal("2/2");
        await a.image(applicationId, IMG("bad"));
        await a.deploy(applicationId);
        advanceUntil(srv(), () => failedCount(srv(), appName) > 0, 20_000);
        const failedAt = srv().swarm.clock.now();
        advanceUntil(srv(), () => isState(srv(), appName, "rollback_started"), 5_000);
        expect(srv().swarm.clock.now() - failedAt).to.be.below(1_000); // log §1.4: 0.3 s
        expect((await a.nodeApp(appName))?.Replicas).to.equal("2/2"); // the old tasks never stopped
    });

    it("slow image: healthy only after its delay; beyond Retries × Interval it is rolled back", async () => {
        const a = api();
        srv().swarm.setImageBehaviour(IMG("slow"), { health: "slow", healthyAfterMs: 15_000 });
        const { applicationId, appName } = await a.app(IMG("v2"));
        await a.deploy(applicationId);
        srv().swarm.clock.advance(5_000);
        await a.image(applicationId, IMG("slow"));
        await a.deploy(applicationId);
        advanceUntil(srv(), () => isState(srv(), appName, "rollback_completed"), 60_000);
        expect(
            srv()
                .swarm.serving(appName)
                .map((s) => s.health.version),
        ).to.deep.equal(["v2"]);
    });

    it("env-only redeploy and reload replace the task (ForceUpdate); reload writes no row", async () => {
        const a = api();
        const { applicationId, appName } = await a.app(IMG("v2"));
        await a.deploy(applicationId);
        srv().swarm.clock.advance(5_000);
        await a.post("application.saveEnvironment", { applicationId, env: "APP_MARKER=env1" });
        await a.deploy(applicationId, "application.redeploy");
        advanceUntil(srv(), () => isState(srv(), appName, "completed"), 40_000);
        expect(
            srv()
                .swarm.serving(appName)
                .map((s) => `${s.health.version}/${s.health.marker}`),
        ).to.deep.equal(["v2/env1"]);
        await a.post("application.saveEnvironment", { applicationId, env: "APP_MARKER=env3" });
        const rows = (await a.deployments(applicationId)).length;
        expect(await a.post("application.reload", { applicationId, appName })).to.equal(true);
        expect((await srv().swarm.updateStatus(appName))?.State).to.equal("updating");
        advanceUntil(srv(), () => isState(srv(), appName, "completed"), 40_000);
        expect(
            srv()
                .swarm.serving(appName)
                .map((s) => s.health.marker),
        ).to.deep.equal(["env3"]);
        expect(await a.deployments(applicationId)).to.have.length(rows);
        const [fresh] = await a.byName(appName);
        expect((await a.config(String(fresh!.containerId))).Config)
            .to.have.property("Env")
            .that.includes("APP_MARKER=env3");
    });

    it("application.delete removes the service; project.remove leaves it running", async () => {
        const a = api();
        const one = await a.app(IMG("v1"), 1, "fake-del");
        const two = await a.app(IMG("v1"), 1, "fake-orphan");
        await a.deploy(one.applicationId);
        await a.deploy(two.applicationId);
        srv().swarm.clock.advance(5_000);
        await a.post("application.delete", { applicationId: one.applicationId });
        expect(await a.nodeApp(one.appName)).to.equal(undefined);
        expect(await a.tasks(one.appName)).to.deep.equal([]);
        const projects = await a.get<Json[]>("project.all");
        const orphanProject = projects.find((p) => p.name === "fake-orphan-project")!;
        await a.post("project.remove", { projectId: orphanProject.projectId });
        srv().swarm.clock.advance(5_000);
        expect(await a.nodeApp(two.appName)).to.include({ Replicas: "1/1" });
    });

    it("a missing dokploy-network fails the deploy with the engine's message and creates no service", async () => {
        const a = api();
        srv().swarm.setNetwork("dokploy-network", false);
        const { applicationId, appName } = await a.app(IMG("v1"));
        const row = await a.deploy(applicationId);
        expect(row).to.include({ status: "error", errorMessage: null });
        expect(srv().deploymentLog(String(row.deploymentId))).to.include(
            "❌ Error: (HTTP code 500) server error - network dokploy-network not found",
        );
        expect(await a.nodeApp(appName)).to.equal(undefined);
    });
});

describe("fake Dokploy: docker.* shapes per version (real-rollout-log.md §4.2, §4.4)", () => {
    for (const version of ["v0.25.6", "v0.30.2"] as const) {
        describe(version, () => {
            const { api, srv } = useFake(version);

            it("lists by name prefix with exited containers, task ids, running-by-label, inspect, all services", async () => {
                const a = api();
                srv().swarm.setImageBehaviour(IMG("bad"), { health: "unhealthy" });
                const { applicationId, appName } = await a.app(IMG("v2"), 1, "fake-shape");
                const other = await a.app(IMG("v1"), 1, appName); // its appName is ours + "-<suffix>"
                await a.deploy(applicationId);
                await a.deploy(other.applicationId);
                srv().swarm.clock.advance(5_000);
                await a.image(applicationId, IMG("bad"));
                await a.deploy(applicationId);
                advanceUntil(srv(), () => isState(srv(), appName, "rollback_completed"), 60_000);

                const byName = await a.byName(appName);
                const keys =
                    version === "v0.25.6"
                        ? ["containerId", "name", "state"]
                        : ["containerId", "name", "state", "status"];
                for (const c of byName) expect(Object.keys(c)).to.deep.equal(keys);
                expect(byName.some((c) => String(c.name).startsWith(other.appName))).to.equal(true);
                const ours = byName.filter((c) => String(c.name).startsWith(`${appName}.`));
                expect(ours.map((c) => c.state)).to.deep.equal(["exited", "exited", "running"]);
                for (const c of byName) expect(String(c.containerId)).to.have.length(12);
                if (version === "v0.30.2") expect(String(ours[0]!.status)).to.match(/^Exited \(143\) \d+ seconds ago$/);

                const tasks = await a.tasks(appName);
                const idLength = version === "v0.25.6" ? 12 : 25;
                for (const t of tasks) expect(String(t.containerId)).to.have.length(idLength);
                expect(tasks.map((t) => t.name)).to.deep.equal([`${appName}.1`, `${appName}.1`, `${appName}.1`]);
                expect(tasks.map((t) => t.state)).to.deep.equal(["shutdown", "shutdown", "running"]);
                if (version === "v0.30.2") {
                    expect(Object.keys(tasks[0]!)).to.deep.equal([
                        "containerId",
                        "name",
                        "state",
                        "currentState",
                        "node",
                        "error",
                    ]);
                    expect(tasks[1]).to.include({
                        error: '"task: non-zero exit (143): dockerexec: unhealthy container"',
                    });
                    expect(String(tasks[1]!.currentState)).to.match(/^Failed \d+ seconds ago$/);
                    expect(String(tasks[2]!.currentState)).to.match(/^Running /);
                } else {
                    expect(Object.keys(tasks[0]!)).to.deep.equal(["containerId", "name", "state", "node"]);
                }

                const running = await a.get<Json[]>("docker.getContainersByAppLabel", { appName, type: "swarm" });
                expect(running).to.have.length(1);
                expect(Object.keys(running[0]!)).to.deep.equal(["containerId", "name", "state"]);
                const live = state(await a.config(String(running[0]!.containerId)));
                expect(live).to.deep.include({ status: "running", health: "healthy", image: IMG("v2") });
                const cfg = await a.config(String(running[0]!.containerId));
                const log = ((cfg.State as Json).Health as Json).Log as Json[];
                expect(Object.keys(log[0]!)).to.deep.equal(["Start", "End", "ExitCode", "Output"]);
                expect(JSON.parse(String(log.at(-1)!.Output))).to.include({ status: "ok", version: "v2" });
                expect(cfg).to.have.property("Created").that.is.a("string");

                const unknown = await a.raw("GET", "docker.getConfig", { containerId: "0123456789ab" });
                expect(unknown).to.deep.equal({ status: 200, text: "" });
                const apps = await a.get<Json[]>("swarm.getNodeApps");
                expect(apps.map((s) => s.Name)).to.include.members([appName, other.appName]);
                expect(Object.keys(apps[0]!)).to.deep.equal(["ID", "Image", "Mode", "Name", "Ports", "Replicas"]);
            });

            it("validates inputs against the OpenAPI document (appName pattern, type enum)", async () => {
                const bad = await api().raw("GET", "docker.getContainersByAppNameMatch", { appName: "a b" });
                expect(bad.status).to.equal(400);
                const noType = await api().raw("GET", "docker.getContainersByAppLabel", { appName: "x" });
                expect(noType.status).to.equal(400);
            });
        });
    }
});

describe("fake Dokploy: scaled simulated time (the default mode)", () => {
    it("a whole good rollout with the guide's settings completes while a test waits on a condition", async () => {
        // Scaled mode at 0.0005 (not the 0.005 default): the ~100 simulated s take 50 ms, not 0.5 s.
        const srv = await startFakeDokploy({ deployDurationMs: 5, swarm: { timeScale: 0.0005 } });
        try {
            const a = new Api(srv);
            const { applicationId, appName } = await a.app(IMG("v1"));
            await a.post("application.update", {
                applicationId,
                healthCheckSwarm: { ...SHORT_HEALTH, Interval: 30e9, Timeout: 10e9, StartPeriod: 40e9, Retries: 3 },
                updateConfigSwarm: { ...UPDATE, Monitor: 60e9 },
            });
            await a.deploy(applicationId);
            await a.image(applicationId, IMG("v2"));
            await a.deploy(applicationId);
            for (let i = 0; i < 2000 && (await srv.swarm.updateStatus(appName))?.State !== "completed"; i++)
                await new Promise((r) => setTimeout(r, 5));
            expect((await srv.swarm.updateStatus(appName))?.State).to.equal("completed");
            expect(srv.swarm.serving(appName).map((s) => s.health.version)).to.deep.equal(["v2"]);
        } finally {
            await srv.close();
        }
    });
});

describe("fake Dokploy: the simulated clock a watcher can inject", () => {
    it("manual: sleep resolves only when simulated time passes it; close wakes the sleepers", async () => {
        const srv = await startFakeDokploy({ swarm: { clock: "manual" } });
        const clock = srv.swarm.clock;
        const woke: string[] = [];
        void clock.sleep(1_000).then(() => woke.push("1s"));
        void clock.sleep(5_000).then(() => woke.push("5s"));
        clock.advance(999);
        await Promise.resolve();
        expect(woke).to.deep.equal([]);
        clock.advance(1);
        await new Promise((r) => setImmediate(r));
        expect(woke).to.deep.equal(["1s"]);
        await srv.close();
        await new Promise((r) => setImmediate(r));
        expect(woke).to.deep.equal(["1s", "5s"]);
    });

    it("scaled: simulated time runs 1/timeScale faster than the wall clock", async () => {
        const srv = await startFakeDokploy({ swarm: { timeScale: 0.0002 } });
        try {
            const start = srv.swarm.clock.now();
            await srv.swarm.clock.sleep(60_000); // one simulated minute: 12 real ms
            expect(srv.swarm.clock.now() - start).to.be.at.least(60_000);
            expect(srv.swarm.timeScale).to.equal(0.0002);
        } finally {
            await srv.close();
        }
    });
});

function sim(srv: FakeDokploy) {
    return srv.swarm.backend as import("./support/dokploy/swarm/simulated").SimulatedSwarm;
}

function isState(srv: FakeDokploy, appName: string, s: string): boolean {
    return sim(srv).service(appName)?.updateStatus?.State === s;
}

function unhealthyCount(srv: FakeDokploy, appName: string): number {
    return (
        sim(srv)
            .service(appName)
            ?.tasks.filter((t) => t.container?.health?.Status === "unhealthy").length ?? 0
    );
}

function failedCount(srv: FakeDokploy, appName: string): number {
    return (
        sim(srv)
            .service(appName)
            ?.tasks.filter((t) => t.state === "failed").length ?? 0
    );
}
