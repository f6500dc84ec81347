/**
 * Smoke test of the real-engine test support itself: the app images behave like the ones of the
 * recorded rollouts, and a swarm service behind the proxy shows what the recorded runs showed
 * (/work/shared/dokploy/real-rollout-log.md, /work/shared/docker/ENGINE.md): a start-first update
 * with 0 failed requests, and a bad image rolled back by Swarm while the old version keeps serving.
 */
import { expect } from "chai";
import { join } from "node:path";
import {
    APP_IMAGES,
    buildAppImages,
    docker,
    ENGINE_DIR,
    failures,
    removeContainers,
    removeProxy,
    removeServices,
    requireEngine,
    SCRIPTS_DIR,
    serviceCreateArgs,
    specImage,
    startProbe,
    startProxy,
    updateStatus,
    waitFor,
    type Proxy,
} from "../support/engine";

const GOOD = "engine-smoke-good";
const BAD = "engine-smoke-bad";
const PAIR = "engine-smoke-pair";
const CONTAINERS = ["engine-smoke-img-v1", "engine-smoke-img-bad", "engine-smoke-img-slow"];
const FINAL_STATES = ["completed", "rollback_completed", "paused", "rollback_paused"];

interface Health {
    readonly status: number;
    readonly version?: string;
    readonly marker?: string;
    readonly host?: string;
}

async function health(url: string): Promise<Health> {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json().catch(() => ({}))) as { version?: string; marker?: string; host?: string };
    return { status: res.status, version: body.version, marker: body.marker, host: body.host };
}

/** Creates `name` on v1 with the short settings, puts a proxy in front, resolves once v1 answers. */
async function deployV1(name: string): Promise<Proxy> {
    await removeProxy(name);
    await removeServices(name);
    await docker(serviceCreateArgs(name, APP_IMAGES.v1));
    const proxy = await startProxy(name);
    await waitFor(async () => (await health(proxy.url)).version === "v1", {
        deadlineMs: 60_000,
        what: `${name} answering v1 through ${proxy.url}`,
    });
    return proxy;
}

async function finalUpdateState(name: string): Promise<string> {
    return waitFor(
        async () => {
            const state = (await updateStatus(name))?.State;
            return state !== undefined && FINAL_STATES.includes(state) ? state : undefined;
        },
        { deadlineMs: 120_000, what: `${name}'s update to reach a final state`, intervalMs: 250 },
    );
}

/** `docker exec <c> sh -c <cmd>`: exit code and output, for checks inside an app container. */
async function inside(container: string, cmd: string): Promise<{ exitCode: number; stdout: string }> {
    return docker(["exec", container, "sh", "-c", cmd], { allowFailure: true });
}

describe("real engine: test support smoke", function () {
    before(async function () {
        await requireEngine(this);
        this.timeout(600_000); // first build of the proxy image copies and pushes node (~100 MB)
        await buildAppImages();
    });

    after(async function () {
        this.timeout(120_000);
        await removeContainers(...CONTAINERS);
        await Promise.all([removeProxy(GOOD), removeProxy(BAD), removeProxy(PAIR)]);
        await removeServices(GOOD, BAD, PAIR);
    });

    it("engine-up.sh run again reuses the running engine at once (the daemons do not hold its bring-up lock)", async function () {
        // CI runs engine-up.sh, then every engine suite calls it again through ensureEngine(): a daemon
        // that inherited the lock's descriptor made each later call wait 300 s and fail.
        const { execa } = await import("execa"); // ESM-only: loaded the way test/support/engine does
        const up = await execa("bash", [join(SCRIPTS_DIR, "engine-up.sh")], {
            env: { ENGINE_DIR },
            reject: false,
            timeout: 20_000,
        });
        expect(up.exitCode, `${up.stderr}`).to.equal(0);
        expect(up.stderr).to.match(/reusing it/);
    });

    it("app images answer like the recorded ones: version + marker, bad 500, slow 503 then 200", async function () {
        const run = (name: string, image: string, ...env: string[]) =>
            docker(["run", "-d", "--name", name, "--network", "none", ...env.flatMap((e) => ["-e", e]), image]);
        await removeContainers(...CONTAINERS);
        await run("engine-smoke-img-v1", APP_IMAGES.v1, "APP_MARKER=env1");
        await run("engine-smoke-img-bad", APP_IMAGES.bad);
        await run("engine-smoke-img-slow", APP_IMAGES.slow, "SLOW_SECONDS=8");
        const check = "curl -f http://localhost:3000/api/health || exit 1"; // the guide's check, verbatim
        const v1 = await waitFor(async () => {
            const r = await inside("engine-smoke-img-v1", check);
            return r.exitCode === 0 ? r.stdout : undefined;
        }, { deadlineMs: 20_000, what: "v1 container answering" }); // prettier-ignore
        expect(JSON.parse(v1)).to.include({ status: "ok", version: "v1", marker: "env1" });
        // curl without -f exits 0 on any HTTP answer (like real curl): the server is listening
        const answering = (c: string) =>
            waitFor(async () => (await inside(c, "curl http://localhost:3000/api/health")).exitCode === 0, {
                deadlineMs: 20_000,
                what: `${c} listening`,
            });
        await answering("engine-smoke-img-bad");
        expect((await inside("engine-smoke-img-bad", check)).exitCode).to.equal(1);
        await answering("engine-smoke-img-slow");
        expect((await inside("engine-smoke-img-slow", check)).exitCode, "slow fails its check at first").to.equal(1);
        const slow = await waitFor(async () => {
            const r = await inside("engine-smoke-img-slow", check);
            return r.exitCode === 0 ? r.stdout : undefined;
        }, { deadlineMs: 30_000, what: "slow container to turn healthy" }); // prettier-ignore
        expect(JSON.parse(slow)).to.include({ status: "ok", version: "slow", marker: "m0" });
    });

    it("the proxy answers 502 while the service has no task, then reaches every task in turn", async function () {
        await removeServices(PAIR);
        const proxy = await startProxy(PAIR);
        const none = await fetch(`${proxy.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
        expect(none.status).to.equal(502);
        expect(await none.text()).to.include(`no tasks for tasks.${PAIR}`);
        await docker(serviceCreateArgs(PAIR, APP_IMAGES.v1, { replicas: 2 }));
        const hosts = new Set<string>();
        await waitFor(
            async () => {
                const h = await health(proxy.url);
                if (h.status === 200 && h.host) hosts.add(h.host);
                return hosts.size === 2;
            },
            { deadlineMs: 60_000, what: `both tasks of ${PAIR} answering through the proxy`, intervalMs: 100 },
        );
        await proxy.stop();
        await removeServices(PAIR);
    });

    it("a start-first update v1 -> v2 through the proxy: 0 failed requests, v2 answers, completed", async function () {
        const proxy = await deployV1(GOOD);
        const probe = startProbe(`${proxy.url}/api/health`);
        const t0 = Date.now();
        await docker(["service", "update", "--detach", "--image", APP_IMAGES.v2, GOOD]);
        const state = await finalUpdateState(GOOD);
        const tDone = Date.now();
        // settle: every container of the service runs v2 and the probe has seen answers after that
        await waitFor(async () => {
            const images = (await docker(["ps", "--filter", `label=com.docker.swarm.service.name=${GOOD}`, "--format", "{{.Image}}"])).stdout.split("\n");
            return images.every((i) => i.startsWith(APP_IMAGES.v2));
        }, { deadlineMs: 30_000, what: `only v2 containers in ${GOOD}` }); // prettier-ignore
        const seen = probe.samples.length;
        await waitFor(() => probe.samples.length >= seen + 5, {
            deadlineMs: 20_000,
            what: "5 probe answers after the cut-over",
        });
        const samples = await probe.stop();
        const versions = samples.map((s) => s.version);
        console.log(
            `      ${state} after ${((tDone - t0) / 1000).toFixed(1)} s; ${samples.length} requests, ` +
                `${failures(samples).length} failed; first v2 at +${((samples.find((s) => s.version === "v2")?.at ?? t0) - t0) / 1000} s`,
        );
        expect(state).to.equal("completed");
        expect(failures(samples)).to.deep.equal([]);
        expect(versions).to.include("v1");
        expect(versions[versions.length - 1]).to.equal("v2");
        expect((await health(proxy.url)).version).to.equal("v2");
        await proxy.stop();
    });

    it("a bad image is rolled back by Swarm (unhealthy container) and v1 keeps answering", async function () {
        const proxy = await deployV1(BAD);
        const probe = startProbe(`${proxy.url}/api/health`);
        const t0 = Date.now();
        await docker(["service", "update", "--detach", "--image", APP_IMAGES.bad, BAD]);
        const state = await finalUpdateState(BAD);
        const tDone = Date.now();
        const samples = await probe.stop();
        const errors = (await docker(["service", "ps", BAD, "--no-trunc", "--format", "{{.Error}}"])).stdout;
        console.log(
            `      ${state} after ${((tDone - t0) / 1000).toFixed(1)} s; ${samples.length} requests, ` +
                `${failures(samples).length} failed; task errors: ${[...new Set(errors.split("\n").filter(Boolean))].join("; ")}`,
        );
        expect(state).to.equal("rollback_completed");
        expect(errors).to.include("unhealthy container");
        expect(await specImage(BAD)).to.match(new RegExp(`^${APP_IMAGES.v1.replace(/\./g, "\\.")}(@|$)`));
        expect(failures(samples)).to.deep.equal([]);
        expect(new Set(samples.map((s) => s.version))).to.deep.equal(new Set(["v1"]));
        expect((await health(proxy.url)).version).to.equal("v1");
        await proxy.stop();
    });
});
