/**
 * Promotion figures (printed, never asserted): the orchestrator's own cost per environment with
 * the in-memory engine (records with fsync, readiness, gate, verification against a loopback app),
 * and the probe's request rate and outage resolution against a loopback server.
 * Run alone with `npx tsx bench/promote.ts`.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parsePromoteArgs } from "../automation/options";
import { promote } from "../automation/orchestrator";
import { PlainProgress } from "../automation/progress";
import { Probe } from "../automation/verify/probe";
import { startLoopback, until } from "../test/support/loopback";
import { MemoryEngine } from "../test/support/memoryEngine";
import { MemorySwarm } from "../test/support/memoryRollout";

const REPO = path.resolve(__dirname, "..");
const TRIALS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function orchestrationOverhead(runs: number): Promise<void> {
    const app = await startLoopback((_q, r) => r.end("ok"));
    const dir = await mkdtemp(path.join(tmpdir(), "promote-bench-"));
    try {
        const dev = await readFile(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
        // dev's Clerk key is a test key, which prod accepts only while it is not live.
        const prod = dev.replace(/(nextstack:imageTag: .*)/, `$1\n  nextstack:allowClerkTestKeysInProd: "true"`);
        for (const env of ["dev", "qa", "prod"])
            await writeFile(path.join(dir, `Pulumi.${env}.yaml`), env === "prod" ? prod : dev);
        const perEnv: number[] = [];
        const engineShare: number[] = [];
        // Run 0 warms up (module JIT, first loopback connection) and is not counted.
        for (let i = 0; i <= runs; i++) {
            // A simulated Swarm on a near-zero clock: the rollout's states, not its duration.
            const swarm = new MemorySwarm({ msPerSecond: 0.05, image: (env, v) => `repo/${env}:${v}` });
            const engine = new MemoryEngine({
                swarm,
                appFor: (env, v) => ({
                    deploymentStatus: "done",
                    imageTag: v,
                    dokployAppName: `app-${env}`,
                    ecrRepositoryUrl: `repo/${env}`,
                    appUrl: `${app.url}/${env}`,
                    healthUrl: `${app.url}/${env}/api/health`,
                }),
            });
            const o = parsePromoteArgs(
                [
                    "--yes",
                    "--image-tag",
                    `v${i}`,
                    "--state-dir",
                    path.join(dir, `state-${i}`),
                    "--probe-interval",
                    "200",
                    "--probe-settle",
                    "0",
                ],
                {},
                dir,
            );
            const started = performance.now();
            const r = await promote(o, {
                engine,
                progress: new PlainProgress(() => undefined),
                isTTY: false,
                confirm: async () => true,
                rollout: swarm.watch,
            });
            const wall = performance.now() - started;
            if (r.exitCode !== 0) throw new Error(`bench run failed: ${JSON.stringify(r.results)}`);
            if (i === 0) continue;
            perEnv.push((wall - engine.engineMs) / 3);
            engineShare.push(engine.engineMs / 3);
        }
        console.log(
            `orchestration overhead per environment (beyond the engine): median ${median(perEnv).toFixed(1)} ms, max ${Math.max(...perEnv).toFixed(1)} ms over ${runs} runs of dev → qa → prod (target < 50 ms)`,
        );
        console.log(
            `  includes: 2 fsync'd record writes, config readiness, preview/gate, health check and probe over loopback; in-memory engine itself: ${median(engineShare).toFixed(2)} ms/env`,
        );
    } finally {
        await app.close();
        await rm(dir, { recursive: true, force: true });
    }
}

async function probeFigures(): Promise<void> {
    let down = false;
    const app = await startLoopback((_q, r) => {
        r.statusCode = down ? 503 : 200;
        r.end();
    });
    try {
        for (const intervalMs of [200, 50, 10]) {
            const probe = new Probe(app.url, { intervalMs }).start();
            await until(() => probe.answered.ok >= 10, "10 answers", 30_000);
            const r = await probe.stop();
            console.log(
                `probe every ${intervalMs} ms: ${(r.sent / (r.durationMs / 1000)).toFixed(1)} requests/s sustained (${r.sent} sent, ${r.failures} failed)`,
            );
        }
        for (const intervalMs of [200, 50]) {
            // (5 outages at 200 ms take ~6 s: this is the slow part of the bench.)
            const errors: number[] = [];
            for (let trial = 0; trial < TRIALS; trial++) {
                const probe = new Probe(app.url, { intervalMs }).start();
                await until(() => probe.answered.ok >= 2, "answers before the outage", 30_000);
                // Real outages start and end at any phase of the probe's clock: randomise both edges.
                await sleep(Math.random() * intervalMs);
                const wentDown = performance.now();
                down = true;
                await until(() => probe.answered.failed >= 3 + trial, "the outage to be seen", 30_000);
                await sleep(Math.random() * intervalMs);
                down = false;
                const outage = performance.now() - wentDown;
                const ok = probe.answered.ok;
                await until(() => probe.answered.ok >= ok + 2, "answers after the outage", 30_000);
                errors.push(Math.abs((await probe.stop()).longestGapMs - outage));
            }
            console.log(
                `outage resolution at ${intervalMs} ms: measured outage off by median ${median(errors).toFixed(1)} ms, max ${Math.max(...errors).toFixed(1)} ms over ${TRIALS} outages at random phases (bound: one interval, ${intervalMs} ms)`,
            );
        }
    } finally {
        await app.close();
    }
}

export async function runPromoteBench(): Promise<void> {
    await orchestrationOverhead(20);
    await probeFigures();
}

if (require.main === module) {
    runPromoteBench().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
