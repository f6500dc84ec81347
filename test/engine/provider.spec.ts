// The DokployApplication provider (what `pulumi up` runs) against the fake Dokploy in engine-backed
// mode, i.e. a real swarm rolling out real containers (issue 8 §1, §3). Health settings are the
// short ones of the recorded runs (Interval 2 s, Timeout 2 s, StartPeriod 5 s, Retries 2) with
// Delay 1 s and Monitor 5 s, so a whole scenario takes seconds. What a user would notice:
// - create/update return only when Swarm's rollout has ended: UpdateStatus "completed" read
//   from the engine the moment the provider returns, the old tasks gone, the new version answering;
// - 0 failed requests through the proxy (Traefik's stand-in) during good updates;
// - a bad or too-slow image fails the update with Swarm's reason, the old version keeps
//   answering, and Dokploy's stored image is back to what runs (else the next redeploy re-deploys it).
import { expect } from "chai";
import { startFakeDokploy, type FakeDokploy } from "../support/dokploy";
import { fastProvider } from "../support/dokployProviderHarness";
import {
    buildAppImages,
    DOCKER_HOST,
    failures,
    removeServices,
    requireEngine,
    runningImages,
    startProbe,
    startProxy,
    updateStatus,
    waitFor,
    type Proxy,
    SHORT_APP_SETTINGS,
} from "../support/engine";

type Provider = Awaited<ReturnType<typeof fastProvider>>;

type Json = Record<string, unknown>;

interface Health {
    status: number;
    version?: string;
    marker?: string;
}

async function health(url: string): Promise<Health> {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json().catch(() => ({}))) as { version?: string; marker?: string };
    return { status: res.status, version: body.version, marker: body.marker };
}

describe("DokployApplication provider on a real swarm (fake Dokploy, engine-backed)", function () {
    let srv: FakeDokploy;
    let provider: Provider;
    let images: Readonly<Record<string, string>>;
    const appNames: string[] = [];
    const proxies: Proxy[] = [];

    before(async function () {
        await requireEngine(this);
        images = await buildAppImages();
        srv = await startFakeDokploy({ deployDurationMs: 5, engine: { dockerHost: DOCKER_HOST } });
        provider = await fastProvider(srv.apiKey, { httpTimeoutMs: 10_000 });
    });

    after(async function () {
        this.timeout(120_000);
        for (const p of proxies) await p.stop();
        await srv?.close();
        if (appNames.length > 0) await removeServices(...appNames);
    });

    function args(prefix: string, image: string, over: Json = {}): Json {
        return {
            serverUrl: srv.url,
            projectName: `${prefix}-project`,
            environmentName: "production",
            name: prefix,
            appName: prefix,
            dockerImage: image,
            env: {},
            replicas: 1,
            domain: null,
            ...SHORT_APP_SETTINGS,
            ...over,
        };
    }

    async function storedImage(applicationId: string): Promise<string> {
        const res = await fetch(`${srv.url}/api/application.one?applicationId=${applicationId}`, {
            headers: { "x-api-key": srv.apiKey },
        });
        return String(((await res.json()) as Json).dockerImage);
    }

    /** One app's life: its resource id and the outputs of the last successful create/update. */
    class App {
        id = "";
        outs: Json = {};
        proxy?: Proxy;
        constructor(public raw: Json) {}

        get appName(): string {
            return String(this.outs.appName);
        }

        async create(): Promise<void> {
            const { inputs, failures: f } = await provider.check({}, this.raw);
            expect(f ?? []).to.deep.equal([]);
            const res = await provider.create(inputs);
            this.id = res.id;
            this.outs = res.outs as Json;
            appNames.push(this.appName);
        }

        /** provider.update with `over` merged into the inputs; resolves with the new outputs. */
        async update(over: Json): Promise<Json> {
            this.raw = { ...this.raw, ...over };
            const { inputs } = await provider.check(this.outs, this.raw);
            const res = await provider.update(this.id, this.outs as never, inputs as never);
            this.outs = res.outs as Json;
            return this.outs;
        }

        async startProxy(): Promise<string> {
            this.proxy = await startProxy(this.appName);
            proxies.push(this.proxy);
            return this.proxy.url;
        }
    }

    /** A good update probed through the proxy from before the call to after it returned. */
    async function goodUpdate(app: App, over: Json, expected: Health): Promise<void> {
        const url = app.proxy!.url;
        const probe = startProbe(`${url}/api/health`);
        try {
            await app.update(over);
            // The moment the provider returns, Swarm says the rollout is over (read from the engine).
            expect((await updateStatus(app.appName))?.State).to.equal("completed");
            expect(await runningImages(app.appName)).to.deep.equal(
                new Array(Number(app.raw.replicas)).fill(app.raw.dockerImage),
            );
            expect(await health(url)).to.deep.include(expected);
        } finally {
            const samples = await probe.stop();
            expect(failures(samples), JSON.stringify(failures(samples).slice(0, 3))).to.deep.equal([]);
            expect(samples.length).to.be.greaterThan(10);
        }
    }

    describe("one replica", () => {
        let app: App;

        it("create v1 returns once the task runs healthy", async function () {
            this.timeout(60_000);
            app = new App(args("fake-prov-one", images.v1!));
            await app.create();
            expect(await runningImages(app.appName)).to.deep.equal([images.v1]);
            const url = await app.startProxy();
            expect(await health(url)).to.deep.include({ status: 200, version: "v1" });
        });

        it("good start-first update v1 → v2: 0 failed requests, returns after Swarm's completed", async function () {
            this.timeout(60_000);
            await goodUpdate(app, { dockerImage: images.v2 }, { status: 200, version: "v2" });
        });

        it("env-only change: redeployed and verified (the new marker answers, rollout completed)", async function () {
            this.timeout(60_000);
            await goodUpdate(
                app,
                { env: { APP_MARKER: "fake-env1" } },
                { status: 200, version: "v2", marker: "fake-env1" },
            );
        });

        it("bad image: the update fails naming Swarm's rollback; v2 keeps answering; Dokploy's image is v2 again", async function () {
            this.timeout(90_000);
            const probe = startProbe(`${app.proxy!.url}/api/health`);
            let error: unknown;
            try {
                await app.update({ dockerImage: images.bad });
            } catch (e) {
                error = e;
            }
            const samples = await probe.stop();
            expect(error, "the update of a bad image must fail").to.be.instanceOf(Error);
            expect(String((error as Error).message)).to.match(/roll(ed)?[ -]?back|unhealthy/i);
            expect((await updateStatus(app.appName))?.State).to.match(/^rollback_/);
            expect(await health(app.proxy!.url)).to.deep.include({ status: 200, version: "v2", marker: "fake-env1" });
            expect(samples.filter((s) => s.version === "bad")).to.deep.equal([]);
            expect(failures(samples)).to.deep.equal([]);
            expect(await storedImage(String(app.outs.applicationId))).to.equal(images.v2);
            // Reset the inputs to what runs, as a user would after the failure.
            app.raw = { ...app.raw, dockerImage: images.v2 };
        });

        it("slow image (healthy only after 15 s, later than its health settings allow: StartPeriod 5 s + 2 failed probes 2 s apart): the update fails, v2 keeps answering", async function () {
            this.timeout(90_000);
            let error: unknown;
            try {
                await app.update({ dockerImage: images.slow });
            } catch (e) {
                error = e;
            }
            expect(error, "the update of a too-slow image must fail").to.be.instanceOf(Error);
            expect(String((error as Error).message)).to.match(/roll(ed)?[ -]?back|unhealthy|deadline/i);
            await waitFor(async () => (await updateStatus(app.appName))?.State === "rollback_completed", {
                deadlineMs: 30_000,
                what: "the slow image's rollback to finish",
            });
            expect(await health(app.proxy!.url)).to.deep.include({ status: 200, version: "v2" });
            expect(await storedImage(String(app.outs.applicationId))).to.equal(images.v2);
        });
    });

    describe("two replicas", () => {
        it("create v1, then a good update to v2: 0 failed requests, returns after completed", async function () {
            this.timeout(90_000);
            const app = new App(args("fake-prov-two", images.v1!, { replicas: 2 }));
            await app.create();
            expect(await runningImages(app.appName)).to.deep.equal([images.v1, images.v1]);
            await app.startProxy();
            await goodUpdate(app, { dockerImage: images.v2 }, { status: 200, version: "v2" });
        });
    });
});
