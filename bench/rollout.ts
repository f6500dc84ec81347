/**
 * Real-engine rollout bench (issue 8 §4): what `pulumi up` does on a real Swarm. The
 * DokployApplication provider (default timings, as `pulumi up` runs it) drives the fake Dokploy in
 * engine-backed mode (test/support/dokploy: pull + service update the way Dokploy v0.25.6 does,
 * docker.* answered from the engine), same setup as test/engine/provider.spec.ts. The promotion's
 * probe (automation/verify/probe.ts) hits the app through the proxy standing in for Traefik from
 * before the update call until the watch ended, one health check and the promotion's settle.
 * Swarm's own times come from the engine (bench/rolloutSwarm.ts). Prints figures; asserts nothing.
 * Skips, saying why, when no engine can be had. Run alone with `npx tsx bench/rollout.ts`.
 */
import { createDokployProvider } from "../components/dokploy/provider";
import { forgetConfiguredToken } from "../components/dokploy/token";
import { Probe } from "../automation/verify/probe";
import { pause } from "../automation/verify/clock";
import { waitForHealthy } from "../automation/verify/health";
import { startFakeDokploy, type FakeDokploy, type RecordedRequest } from "../test/support/dokploy";
import { configWith } from "../test/support/dokployProviderHarness";
import * as eng from "../test/support/engine";
import { swarmTimes, updateStateChanges } from "./rolloutSwarm";
import { GoodRun, printGood, printSummary, s1, signed } from "./rolloutPrint";

type Json = Record<string, unknown>;

const NAME = "bench-rollout";
/** Good updates to time (BENCH_ROLLOUT_RUNS, default 3), alternating v2, v1, v2, … */
const RUNS = Math.max(1, Number(process.env.BENCH_ROLLOUT_RUNS ?? 3));
/** The promotion's defaults: a request every 200 ms, settle 3 intervals (automation/options.ts). */
const PROBE_INTERVAL_MS = 200;
const SETTLE_MS = 3 * PROBE_INTERVAL_MS;
/** The watch's calls: docker.* and swarm.* after the deploy call (the baseline read comes before it). */
function watchCalls(reqs: readonly RecordedRequest[]): RecordedRequest[] {
    const deploy = reqs.findIndex((r) => /^application\.(re)?deploy$/.test(r.procedure));
    return reqs.slice(deploy + 1).filter((r) => /^(docker|swarm)\./.test(r.procedure));
}

class BenchApp {
    id = "";
    outs: Json = {};
    proxy?: eng.Proxy;
    constructor(
        private readonly provider: ReturnType<typeof createDokployProvider>,
        private raw: Json,
    ) {}

    get appName(): string {
        return String(this.outs.appName ?? "");
    }

    async create(): Promise<void> {
        const { inputs } = await this.provider.check!({}, this.raw);
        const res = await this.provider.create(inputs);
        [this.id, this.outs] = [res.id, res.outs as Json];
    }

    async update(over: Json): Promise<void> {
        this.raw = { ...this.raw, ...over };
        const { inputs } = await this.provider.check!(this.outs, this.raw);
        this.outs = (await this.provider.update!(this.id, this.outs, inputs)).outs as Json;
    }
}

async function startedProbe(url: string): Promise<Probe> {
    const probe = new Probe(`${url}/api/health`, { intervalMs: PROBE_INTERVAL_MS }).start();
    await eng.waitFor(() => probe.answered.ok > 0, { deadlineMs: 15_000, what: "the probe's first answer" });
    return probe;
}

async function goodRun(srv: FakeDokploy, app: BenchApp, image: string, label: string): Promise<GoodRun> {
    const url = app.proxy!.url;
    const probe = await startedProbe(url);
    const from = srv.requests.length;
    const t0 = Date.now();
    await app.update({ dockerImage: image });
    const watchEnd = Date.now();
    // As the promotion verifies: one healthy answer, then the settle period, then the probe stops.
    await waitForHealthy(`${url}/api/health`, { deadlineMs: 10_000, intervalMs: 200 });
    await pause(SETTLE_MS);
    const verifiedAt = Date.now();
    const report = await probe.stop();
    const swarm = await swarmTimes(app.appName);
    const calls = watchCalls(srv.requests.slice(from));
    const watchFrom = calls.length > 0 ? Date.parse(calls[0]!.at) : watchEnd;
    const completed = swarm.completedAt ?? NaN;
    if (process.env.BENCH_ROLLOUT_TRACE)
        for (const r of srv.requests.slice(from))
            console.log(`  ${signed(Date.parse(r.at) - completed).padStart(8)} ${r.procedure}`);
    return {
        label,
        probe: report,
        state: swarm.state,
        swarmS: (completed - (swarm.startedAt ?? NaN)) / 1000,
        watchAfterS: (watchEnd - completed) / 1000,
        pollsAroundS: calls
            .filter((c) => c.procedure === "swarm.getNodeApps")
            .slice(-2)
            .map((c) => (Date.parse(c.at) - completed) / 1000),
        verifiedAfterS: (verifiedAt - completed) / 1000,
        watchCalls: calls.length,
        watchS: (watchEnd - watchFrom) / 1000,
        totalS: (watchEnd - t0) / 1000,
    };
}

async function badRun(srv: FakeDokploy, app: BenchApp, image: string): Promise<void> {
    const probe = await startedProbe(app.proxy!.url);
    const from = srv.requests.length;
    const t0 = Date.now();
    let error: unknown;
    await app.update({ dockerImage: image }).catch((e: unknown) => (error = e));
    const reported = Date.now();
    await eng.waitFor(async () => (await swarmTimes(app.appName)).state === "rollback_completed", {
        deadlineMs: 90_000,
        what: "Swarm to complete the rollback",
        intervalMs: 500,
    });
    const report = await probe.stop();
    const swarm = await swarmTimes(app.appName);
    const changes = await updateStateChanges(app.appName, t0 - 1000, Date.now() + 500);
    const start = swarm.startedAt ?? t0;
    const rel = (t: number | undefined): string => (t === undefined ? "not seen" : signed(t - start));
    const calls = watchCalls(srv.requests.slice(from));
    const watchFrom = calls.length > 0 ? Date.parse(calls[0]!.at) : reported;
    const message = error instanceof Error ? error.message : `no error (${String(error)})`;
    console.log(
        `bad image (times from Swarm's update start): update call ${rel(t0)}, rollback_started ${rel(changes.get("rollback_started"))}, ` +
            `the provider failed ${rel(reported)}, rollback_completed ${rel(swarm.completedAt)}; ` +
            `failure reported ${s1(reported - (changes.get("rollback_started") ?? NaN))} after rollback_started`,
    );
    console.log(
        `  probe ${report.sent} requests, ${report.failures} failed (the old version kept answering: ` +
            `${report.versions.map((v) => `${v.version} ${v.count}`).join(", ")}); ` +
            `watch ${calls.length} API calls in ${s1(reported - watchFrom)} = ${(calls.length / ((reported - watchFrom) / 1000)).toFixed(2)}/s`,
    );
    console.log(`  message: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`);
}

/** Every service/proxy this bench may have created (its names all start with NAME). */
async function cleanup(): Promise<void> {
    const ls = await eng.docker(["service", "ls", "--filter", `name=${NAME}`, "--format", "{{.Name}}"], {
        allowFailure: true,
    });
    const names = ls.stdout.split("\n").filter((n) => n.startsWith(`${NAME}`));
    for (const n of names) await eng.removeProxy(n);
    if (names.length > 0) await eng.removeServices(...names);
}

export async function runRolloutBench(): Promise<void> {
    const engine = await eng.ensureEngine();
    if (!engine.ok) {
        console.log(`skipped: real engine not available: ${engine.reason}`);
        return;
    }
    const started = Date.now();
    const images = await eng.buildAppImages();
    let srv: FakeDokploy | undefined;
    try {
        srv = await startFakeDokploy({ deployDurationMs: 5, engine: { dockerHost: eng.DOCKER_HOST } });
        const provider = createDokployProvider();
        await provider.configure?.({ config: configWith({ "nextstack:dokployApiToken": srv.apiKey }) });
        const app = new BenchApp(provider, {
            serverUrl: srv.url,
            projectName: `${NAME}-project`,
            environmentName: "production",
            name: NAME,
            appName: NAME,
            dockerImage: images.v1,
            env: {},
            replicas: 1,
            domain: null,
            ...eng.SHORT_APP_SETTINGS,
        });
        console.log(
            `engine ${engine.dockerHost}; 1 replica, health Interval 2 s, Timeout 2 s, StartPeriod 5 s, Retries 2; ` +
                `update start-first Delay 1 s, Monitor 5 s; probe every ${PROBE_INTERVAL_MS} ms, settle ${SETTLE_MS} ms`,
        );
        await app.create();
        app.proxy = await eng.startProxy(app.appName);
        const runs: GoodRun[] = [];
        for (let i = 0; i < RUNS; i++) {
            const [from, to] = i % 2 === 0 ? (["v1", "v2"] as const) : (["v2", "v1"] as const);
            const run = await goodRun(srv, app, images[to], `run ${i + 1} ${from}→${to}`);
            printGood(run);
            runs.push(run);
        }
        printSummary(runs);
        await badRun(srv, app, images.bad!);
        console.log(`rollout bench wall time ${s1(Date.now() - started)} (image build/check included)`);
    } finally {
        await srv?.close();
        forgetConfiguredToken();
        await cleanup();
    }
}

if (require.main === module) {
    runRolloutBench().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
