// The fake Dokploy in engine-backed mode on the real Docker engine: its deploy drives the swarm
// the way Dokploy v0.25.6 does, and its docker.* endpoints answer from the engine in the shapes
// real Dokploy returns (/work/shared/dokploy/real-rollout-log.md §1, §4, §6).
import { expect } from "chai";
import { startFakeDokploy, type FakeDokploy } from "../support/dokploy";
import { buildAppImages, docker, DOCKER_HOST, removeServices, requireEngine, waitFor } from "../support/engine";

type Json = Record<string, unknown>;

const HEALTH = {
    Test: ["CMD-SHELL", "curl -f http://localhost:3000/api/health || exit 1"],
    Interval: 2e9,
    Timeout: 2e9,
    StartPeriod: 5e9,
    Retries: 2,
};
const UPDATE = {
    Parallelism: 1,
    Delay: 1e9,
    FailureAction: "rollback",
    Monitor: 5e9,
    MaxFailureRatio: 0,
    Order: "start-first",
};
const ROLLBACK = {
    Parallelism: 1,
    Delay: 1e9,
    FailureAction: "pause",
    Monitor: 5e9,
    MaxFailureRatio: 0.3,
    Order: "stop-first",
};

async function call<T>(srv: FakeDokploy, method: "GET" | "POST", procedure: string, arg: Json = {}): Promise<T> {
    const qs = method === "GET" ? `?${new URLSearchParams(arg as Record<string, string>)}` : "";
    const res = await fetch(`${srv.url}/api/${procedure}${qs}`, {
        method,
        headers: { "x-api-key": srv.apiKey, "content-type": "application/json" },
        body: method === "POST" ? JSON.stringify(arg) : undefined,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${procedure}: ${res.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
}

describe("fake Dokploy, engine-backed (real swarm)", function () {
    let srv: FakeDokploy;
    let images: Readonly<Record<string, string>>;
    const created: string[] = [];

    before(async function () {
        await requireEngine(this);
        images = await buildAppImages();
        srv = await startFakeDokploy({ deployDurationMs: 5, engine: { dockerHost: DOCKER_HOST } });
    });

    after(async function () {
        this.timeout(120_000);
        await srv?.close();
        if (created.length > 0) await removeServices(...created);
    });

    async function app(name: string, extra: Json = {}): Promise<{ applicationId: string; appName: string }> {
        const { environment } = await call<{ environment: { environmentId: string } }>(srv, "POST", "project.create", {
            name: `${name}-project`,
        });
        const a = await call<{ applicationId: string; appName: string }>(srv, "POST", "application.create", {
            name,
            appName: name,
            environmentId: environment.environmentId,
        });
        created.push(a.appName);
        await image(a.applicationId, images.v1!);
        await call(srv, "POST", "application.update", {
            applicationId: a.applicationId,
            healthCheckSwarm: HEALTH,
            updateConfigSwarm: UPDATE,
            rollbackConfigSwarm: ROLLBACK,
            ...extra,
        });
        return a;
    }

    async function image(applicationId: string, dockerImage: string): Promise<void> {
        await call(srv, "POST", "application.saveDockerProvider", { applicationId, dockerImage });
    }

    async function deploy(applicationId: string): Promise<Json> {
        const before = (await call<Json[]>(srv, "GET", "deployment.all", { applicationId })).length;
        await call(srv, "POST", "application.deploy", { applicationId });
        return waitFor(
            async () => {
                const rows = await call<Json[]>(srv, "GET", "deployment.all", { applicationId });
                return rows.length > before && rows[0]!.status !== "running" ? rows[0] : undefined;
            },
            { deadlineMs: 60_000, what: "the deployment row to finish", intervalMs: 50 },
        );
    }

    async function engineService(appName: string): Promise<Json> {
        return JSON.parse((await docker(["service", "inspect", appName, "--format", "{{json .}}"])).stdout) as Json;
    }

    it("deploy: done as soon as the service is created/updated; ForceUpdate +1 each time; a bad image is rolled back while Dokploy says done", async function () {
        this.timeout(150_000);
        const { applicationId, appName } = await app("fake-eng-roll");
        const first = await deploy(applicationId);
        expect(first).to.include({ status: "done", errorMessage: null });
        const spec = (await engineService(appName)).Spec as Json;
        const template = spec.TaskTemplate as Json;
        expect((template.ContainerSpec as Json).Image).to.equal(images.v1);
        // Dokploy sends "HealthCheck"; the engine decodes keys case-insensitively and stores "Healthcheck".
        expect((template.ContainerSpec as Json).Healthcheck).to.deep.equal(HEALTH);
        expect(spec.UpdateConfig).to.deep.include({ Order: "start-first", FailureAction: "rollback" });
        // The engine stores the network by id.
        const networkId = (
            await docker(["network", "inspect", "dokploy-network", "--format", "{{.Id}}"])
        ).stdout.trim();
        expect(template.Networks).to.deep.equal([{ Target: networkId }]);
        expect(template.ForceUpdate ?? 0).to.equal(0);

        // The docker.* endpoints answer from the engine: the new container, healthy once probed.
        const container = await waitFor(
            async () => {
                const list = await call<Json[]>(srv, "GET", "docker.getContainersByAppNameMatch", { appName });
                return list.length === 1 ? list[0] : undefined;
            },
            { deadlineMs: 30_000, what: "the first container" },
        );
        expect(Object.keys(container)).to.deep.equal(["containerId", "name", "state"]);
        await waitFor(
            async () => {
                const cfg = await call<Json>(srv, "GET", "docker.getConfig", {
                    containerId: String(container.containerId),
                });
                return ((cfg.State as Json).Health as Json).Status === "healthy";
            },
            { deadlineMs: 30_000, what: "the v1 container to be healthy" },
        );

        await image(applicationId, images.bad!);
        const bad = await deploy(applicationId);
        expect(bad).to.include({ status: "done", errorMessage: null });
        const afterBad = (await engineService(appName)).Spec as Json;
        expect((afterBad.TaskTemplate as Json).ForceUpdate).to.equal(1);
        const nodeApp = async (): Promise<Json | undefined> =>
            (await call<Json[]>(srv, "GET", "swarm.getNodeApps")).find((s) => s.Name === appName);
        expect((await nodeApp())?.Image).to.equal(images.bad);
        await waitFor(async () => (await srv.swarm.updateStatus(appName))?.State === "rollback_completed", {
            deadlineMs: 90_000,
            what: "swarm to roll the bad image back",
            intervalMs: 500,
        });
        expect((await nodeApp())?.Image).to.equal(images.v1);
        const stored = await call<Json>(srv, "GET", "application.one", { applicationId });
        expect(stored).to.include({ applicationStatus: "done", dockerImage: images.bad });
        const rows = await call<Json[]>(srv, "GET", "deployment.all", { applicationId });
        expect(rows.map((r) => r.status)).to.deep.equal(["done", "done"]);

        const tasks = await call<Json[]>(srv, "GET", "docker.getServiceContainersByAppName", { appName });
        expect(tasks.map((t) => String(t.containerId).length)).to.satisfy((l: number[]) => l.every((n) => n === 12));
        const all = await call<Json[]>(srv, "GET", "docker.getContainersByAppNameMatch", { appName });
        const configs = await Promise.all(
            all.map((c) => call<Json>(srv, "GET", "docker.getConfig", { containerId: String(c.containerId) })),
        );
        const badOnes = configs.filter((c) => (c.Config as Json).Image === images.bad);
        expect(badOnes.length).to.be.at.least(1);
        // Every bad container that ran reports unhealthy (a stopped one does too, log §4.4).
        const health = badOnes.map((c) => ((c.State as Json).Health as Json | undefined)?.Status);
        expect(health.filter((h) => h !== undefined))
            .to.include("unhealthy")
            .and.not.include("healthy");
        const unknown = await fetch(`${srv.url}/api/docker.getConfig?containerId=0123456789ab`, {
            headers: { "x-api-key": srv.apiKey },
        });
        expect([unknown.status, await unknown.text()]).to.deep.equal([200, ""]);

        // The same engine through a v0.30.2 fake: task ids untruncated, Swarm's task error, docker's status text.
        const v30 = await startFakeDokploy({ version: "v0.30.2", engine: { dockerHost: DOCKER_HOST } });
        try {
            const rows = await call<Json[]>(v30, "GET", "docker.getServiceContainersByAppName", { appName });
            for (const r of rows) expect(String(r.containerId)).to.have.length(25);
            const failed = rows.filter((r) => String(r.currentState).startsWith("Failed "));
            expect(failed.length).to.be.at.least(1);
            expect(failed[0]).to.include({ error: '"task: non-zero exit (143): dockerexec: unhealthy container"' });
            const listed = await call<Json[]>(v30, "GET", "docker.getContainersByAppNameMatch", { appName });
            expect(listed.map((c) => String(c.status))).to.satisfy(
                (st: string[]) =>
                    st.some((x) => /^Exited \(143\) /.test(x)) && st.some((x) => /^Up .*\(healthy\)$/.test(x)),
            );
        } finally {
            await v30.close();
        }

        await call(srv, "POST", "application.delete", { applicationId });
        expect(await nodeApp()).to.equal(undefined);
        expect((await docker(["service", "inspect", appName], { allowFailure: true })).exitCode).to.not.equal(0);
    });

    it("lifecycle as on the real servers: stop scales to 0, start to 1, reload re-applies the spec (ForceUpdate +1, no row), project.remove leaves the service", async function () {
        this.timeout(90_000);
        const { applicationId, appName } = await app("fake-eng-life", { replicas: 2 });
        await deploy(applicationId);
        const replicas = async (): Promise<number> =>
            Number(
                (((await engineService(appName)).Spec as Json).Mode as { Replicated: { Replicas: number } }).Replicated
                    .Replicas,
            );
        await call(srv, "POST", "application.stop", { applicationId });
        expect(await replicas()).to.equal(0);
        expect(await call<Json>(srv, "GET", "application.one", { applicationId })).to.include({
            applicationStatus: "idle",
        });
        await call(srv, "POST", "application.start", { applicationId });
        expect(await replicas()).to.equal(1);
        const rowsBefore = (await call<Json[]>(srv, "GET", "deployment.all", { applicationId })).length;
        const forceBefore = Number(
            ((await engineService(appName)).Spec as { TaskTemplate: Json }).TaskTemplate.ForceUpdate ?? 0,
        );
        expect(await call(srv, "POST", "application.reload", { applicationId, appName })).to.equal(true);
        expect(await replicas()).to.equal(2);
        expect(((await engineService(appName)).Spec as { TaskTemplate: Json }).TaskTemplate.ForceUpdate).to.equal(
            forceBefore + 1,
        );
        expect((await srv.swarm.updateStatus(appName))?.State).to.equal("updating");
        expect(await call<Json[]>(srv, "GET", "deployment.all", { applicationId })).to.have.length(rowsBefore);
        const project = (await call<Json[]>(srv, "GET", "project.all")).find(
            (p) => p.name === "fake-eng-life-project",
        )!;
        await call(srv, "POST", "project.remove", { projectId: project.projectId });
        expect((await docker(["service", "inspect", appName], { allowFailure: true })).exitCode).to.equal(0);
    });

    it("a network that does not exist: deployment error with the engine's message, no service", async function () {
        this.timeout(60_000);
        const { applicationId, appName } = await app("fake-eng-nonet", {
            networkSwarm: [{ Target: "fake-no-such-network" }],
        });
        const row = await deploy(applicationId);
        expect(row).to.include({ status: "error", errorMessage: null });
        expect(srv.deploymentLog(String(row.deploymentId)).at(-1)).to.equal(
            "❌ Error: (HTTP code 500) server error - network fake-no-such-network not found",
        );
        expect((await docker(["service", "inspect", appName], { allowFailure: true })).exitCode).to.not.equal(0);
    });
});
