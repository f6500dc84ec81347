/**
 * Dokploy provider bench: API calls and wall time per operation against the local fake
 * Dokploy server (default provider timings), next to the fewest calls the API allows, and how
 * quickly the provider notices a finished deployment. Prints figures; asserts nothing.
 *
 * Run alone with `npx tsx bench/dokploy.ts`.
 */
import { startFakeDokploy, FakeDokploy } from "../test/support/dokploy";
import { createDokployProvider } from "../components/dokploy/provider";
import { forgetConfiguredToken } from "../components/dokploy/token";
import { appArgs, configWith } from "../test/support/dokployProviderHarness";

type Obj = Record<string, unknown>;

/** Fewest calls per operation, and why. */
const MINIMUM: Record<string, [number, string]> = {
    create: [
        10,
        "project.all, project.create, environment.create, application.create, saveDockerProvider, saveEnvironment, update, domain.create, deploy, ≥1 deployment.all",
    ],
    "no-op diff": [0, "diff is local"],
    refresh: [1, "application.one (embeds domains and deployments)"],
    "env-only update": [3, "saveEnvironment, redeploy, ≥1 deployment.all"],
    "image update": [3, "saveDockerProvider, redeploy, ≥1 deployment.all"],
    "domain update": [1, "domain.update"],
    delete: [1, "application.delete (domains cascade); removing a project it created adds project.one, project.remove"],
};

const DEPLOY_MS = 1500;
/**
 * Real ms per simulated ms of the fake's Swarm. Deploys now wait for the Swarm rollout (guide
 * settings: ~100 s per update), so the simulated Swarm runs 20× faster and the provider's watch
 * is told so (rolloutTimeScale); at 100× each HTTP call costs ~1 s of Swarm time and distorts it.
 * Real-time rollouts are measured in bench/rollout.ts.
 */
const SWARM_TIME_SCALE = 0.05;

async function measure<T>(srv: FakeDokploy, label: string, rows: string[][], fn: () => Promise<T>): Promise<T> {
    const from = srv.requests.length;
    const t0 = performance.now();
    const result = await fn();
    const ms = performance.now() - t0;
    const calls = srv.requests.slice(from).map((r) => r.procedure);
    const polls = calls.filter((c) => c === "deployment.all").length;
    const [min, why] = MINIMUM[label];
    rows.push([label, String(calls.length), String(polls), String(min), `${ms.toFixed(0)} ms`, why]);
    return result;
}

/** Time from the server marking the newest deployment finished to the provider returning, in the server's (simulated) ms. */
function noticeLatencyMs(srv: FakeDokploy, returnedAt = srv.swarm.clock.now()): number {
    const finished = [...srv.store.deployments.values()]
        .map((d) => (d.finishedAt ? Date.parse(d.finishedAt) : 0))
        .reduce((a, b) => Math.max(a, b), 0);
    return returnedAt - finished;
}

export async function runDokployBench(): Promise<void> {
    const srv = await startFakeDokploy({ deployDurationMs: DEPLOY_MS, swarm: { timeScale: SWARM_TIME_SCALE } });
    try {
        const p = createDokployProvider({ rolloutTimeScale: srv.swarm.timeScale });
        await p.configure?.({ config: configWith({ "nextstack:dokployApiToken": srv.apiKey }) });
        const check = async (over: Obj): Promise<Obj> => ({
            ...(await p.check!({}, appArgs(srv.url, over))).inputs,
            __provider: "bench",
        });
        const rows: string[][] = [];
        const inputs = await check({});
        const created = await measure(srv, "create", rows, () => p.create(inputs));
        const latency: number[] = [];
        latency.push(noticeLatencyMs(srv));
        await measure(srv, "no-op diff", rows, () => p.diff!(created.id, created.outs, inputs));
        const read = await measure(srv, "refresh", rows, () => p.read!(created.id, created.outs));
        const envInputs = await check({
            env: { DATABASE_URL: "postgres://db/app", NODE_ENV: "production", EXTRA: "1" },
        });
        const u1 = await measure(srv, "env-only update", rows, () => p.update!(created.id, read.props, envInputs));
        latency.push(noticeLatencyMs(srv));
        const imgInputs = await check({
            env: { DATABASE_URL: "postgres://db/app", NODE_ENV: "production", EXTRA: "1" },
            dockerImage: "nginx:1.27",
        });
        const u2 = await measure(srv, "image update", rows, () => p.update!(created.id, u1.outs, imgInputs));
        latency.push(noticeLatencyMs(srv));
        const domInputs = await check({
            env: { DATABASE_URL: "postgres://db/app", NODE_ENV: "production", EXTRA: "1" },
            dockerImage: "nginx:1.27",
            domain: { host: "qa2.example.com" },
        });
        const u3 = await measure(srv, "domain update", rows, () => p.update!(created.id, u2.outs, domInputs));
        await measure(srv, "delete", rows, () => p.delete!(created.id, u3.outs));

        const head = ["operation", "calls", "polls", "minimum", "wall", "minimum is"];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        const line = (r: string[]): string =>
            r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
        console.log(line(head));
        for (const r of rows) console.log(line(r));
        console.log("(create includes the one-off settings.getDokployVersion read per provider process)");
        const polls = rows.filter((r) => ["create", "env-only update", "image update"].includes(r[0]));
        const pollCount = polls.reduce((a, r) => a + Number(r[2]), 0);
        const pollMs = polls.reduce((a, r) => a + Number.parseFloat(r[4]), 0);
        const avg = latency.reduce((a, b) => a + b, 0) / latency.length;
        console.log(
            `provider returned ${latency.map((l) => `${(l / 1000).toFixed(1)} s`).join(", ")} (Swarm time, ${1 / SWARM_TIME_SCALE}× real here) ` +
                `after the deployment row turned done, i.e. after watching the rollout with the guide's settings ` +
                `(mean ${(avg / 1000).toFixed(1)} s; the row takes ${DEPLOY_MS} ms real here; ` +
                `${(pollCount / (pollMs / 1000)).toFixed(2)} polls/s over the deploying operations, poll delay 250 ms growing ×1.5 to 2 s)`,
        );
    } finally {
        await srv.close();
        forgetConfiguredToken();
    }
}

if (require.main === module) {
    runDokployBench().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
