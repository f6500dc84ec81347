/**
 * Runs the real orchestrator against the in-memory engine, its simulated Swarm and a loopback
 * "app": a temp project with complete configs for all three stacks (or the committed ones), a
 * temp state dir, and captured output. The app's health URL (`/<env>/api/health`) answers
 * `{"status":"ok","version":…}` with whatever the simulated Swarm serves at that moment (502
 * before the first task is healthy), like the real proxy in front of `tasks.<app>`.
 * Versions in `broken` fail Swarm's health check (Swarm rolls them back); in `slow` they turn
 * healthy only after the deadline; in `down` Swarm completes but the health URL answers 503.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EnvironmentName } from "../../components/config";
import { parsePromoteArgs } from "../../automation/options";
import { promote, PromotionResult } from "../../automation/orchestrator";
import { PlainProgress } from "../../automation/progress";
import { PromotionRecord, RecordStore } from "../../automation/records";
import { ImageSource } from "../../automation/version/source";
import { Loopback, startLoopback } from "./loopback";
import { MemoryEngine } from "./memoryEngine";
import { MemorySwarm } from "./memoryRollout";

/**
 * Real ms per simulated second. The tests need the states' order, which the swarm keeps however
 * loaded the machine is (its steps fire one after another, at least 1 ms apart), and the old
 * version seen before the cut-over, which it waits for (test/support/memoryRollout.ts); the
 * states' length in real time proves nothing here, so a rollout takes a few ms and the deadline
 * (103 s) about 10.
 */
export const MS_PER_SECOND = 0.1;

/**
 * Probe every 10 ms (the shortest interval the command takes) and keep probing one interval after
 * Swarm completed (the command's default is three): the simulated app changes nothing after
 * `completed`, and one interval is enough for the probe to send (and verification to wait for)
 * at least one more request then, so the new version's answer is recorded.
 */
const PROBE_INTERVAL_MS = 10;
const PROBE_SETTLE_MS = PROBE_INTERVAL_MS;

export const REPO = path.resolve(__dirname, "..", "..");

export interface Harness {
    readonly projectDir: string;
    readonly stateDir: string;
    readonly app: Loopback;
    readonly engine: MemoryEngine;
    /** Versions whose containers fail their health check: Swarm rolls them back. */
    readonly broken: Set<string>;
    /** Versions that turn healthy only after the rollout's deadline. */
    readonly slow: Set<string>;
    /** Versions Swarm runs fine but whose health URL answers 503 (say, a broken route). */
    readonly down: Set<string>;
    readonly swarm: MemorySwarm;
    readonly records: RecordStore;
    history(env: EnvironmentName): Promise<PromotionRecord[]>;
    run(
        args: string[],
        o?: {
            isTTY?: boolean;
            confirm?: (m: string) => Promise<boolean>;
            signal?: AbortSignal;
            stepSummaryFile?: string;
        },
    ): Promise<PromotionResult & { output: string }>;
    dispose(): Promise<void>;
}

/** Every stack gets dev's committed config (valid for all three), with `devImageTag` as imageTag. */
export async function writeCompleteConfigs(dir: string, devImageTag: string): Promise<void> {
    const dev = await readFile(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
    const withTag = dev.replace(/nextstack:imageTag: .*/, `nextstack:imageTag: ${devImageTag}`);
    // dev's Clerk key is a test key, which prod accepts only while it is not live.
    const prod = withTag.replace(/(nextstack:imageTag: .*)/, `$1\n  nextstack:allowClerkTestKeysInProd: "true"`);
    for (const env of ["dev", "qa", "prod"])
        await writeFile(path.join(dir, `Pulumi.${env}.yaml`), env === "prod" ? prod : withTag);
}

/**
 * `complete`: every stack gets dev's committed config (valid for all three), with `devImageTag`
 * as dev's imageTag. Otherwise the committed Pulumi.<env>.yaml files are used as they are.
 */
export async function harness(
    o: { complete?: boolean; devImageTag?: string; images?: ImageSource } = {},
): Promise<Harness> {
    const tmp = await mkdtemp(path.join(tmpdir(), "promote-"));
    let projectDir = REPO;
    if (o.complete ?? true) {
        projectDir = tmp;
        await writeCompleteConfigs(tmp, o.devImageTag ?? "v1.0.0");
    }
    const stateDir = path.join(tmp, "state");
    const repository = (env: string) => `123456789012.dkr.ecr.us-west-2.amazonaws.com/nextstack-${env}`;
    // As the program deploys it: `<repo>:<tag>@<digest>` once promotion pinned imageDigest (imageRef.ts).
    const digestOf = (env: EnvironmentName): string | undefined => engine.config.get(env)?.get("imageDigest");
    const swarm: MemorySwarm = new MemorySwarm({
        msPerSecond: MS_PER_SECOND,
        image: (env: EnvironmentName, v: string): string =>
            `${repository(env)}:${v}${digestOf(env) ? `@${digestOf(env)}` : ""}`,
    });
    const down = new Set<string>();
    const app = await startLoopback((req, res) => {
        const env = (req.url ?? "").split("/")[1] as EnvironmentName;
        const version = swarm.answer(env);
        res.statusCode = version === undefined ? 502 : down.has(version) ? 503 : 200;
        res.setHeader("content-type", "application/json");
        res.end(version === undefined ? "" : JSON.stringify({ status: "ok", version }));
    });
    const engine: MemoryEngine = new MemoryEngine({
        swarm,
        appFor: (env, version) => ({
            environment: env,
            imageTag: version,
            deploymentStatus: "done",
            deploymentId: `dep-${env}-${version}`,
            dokployAppName: `nextstack-${env}-abc123`,
            dokployApplicationId: `app-${env}`,
            ecrRepositoryUrl: repository(env),
            image: `${repository(env)}:${version}`,
            appUrl: `${app.url}/${env}/`,
            healthUrl: `${app.url}/${env}/api/health`,
        }),
    });
    const records = new RecordStore(stateDir);
    return {
        projectDir,
        stateDir,
        app,
        engine,
        broken: swarm.bad,
        slow: swarm.slow,
        down,
        swarm,
        records,
        history: (env) => records.history(env),
        async run(args, r = {}) {
            const lines: string[] = [];
            const options = parsePromoteArgs(
                [
                    "--state-dir",
                    stateDir,
                    "--health-timeout",
                    "0.3",
                    "--probe-interval",
                    String(PROBE_INTERVAL_MS),
                    "--probe-settle",
                    String(PROBE_SETTLE_MS),
                    ...args,
                ],
                {},
                projectDir,
            );
            const result = await promote(options, {
                engine,
                progress: new PlainProgress((l) => lines.push(l)),
                isTTY: r.isTTY ?? false,
                confirm:
                    r.confirm ??
                    (async () => {
                        throw new Error("unexpected prompt");
                    }),
                signal: r.signal,
                healthIntervalMs: 10,
                rollout: swarm.watch,
                stepSummaryFile: r.stepSummaryFile,
                images: o.images,
            });
            return { ...result, output: lines.join("\n") };
        },
        async dispose() {
            swarm.dispose();
            await app.close();
            await rm(tmp, { recursive: true, force: true });
        },
    };
}
