/**
 * Runs the real orchestrator against the in-memory engine and a loopback "app": a temp project
 * with complete configs for all three stacks (or the committed ones), a temp state dir, and
 * captured output. Versions listed in `broken` serve 503 on their health endpoint.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EnvironmentName } from "../../components/config";
import { parsePromoteArgs } from "../../automation/options";
import { promote, PromotionResult } from "../../automation/orchestrator";
import { PlainProgress } from "../../automation/progress";
import { PromotionRecord, RecordStore } from "../../automation/records";
import { Loopback, startLoopback } from "./loopback";
import { MemoryEngine } from "./memoryEngine";

export const REPO = path.resolve(__dirname, "..", "..");

export interface Harness {
    readonly projectDir: string;
    readonly stateDir: string;
    readonly app: Loopback;
    readonly engine: MemoryEngine;
    /** Versions whose health endpoint answers 503. */
    readonly broken: Set<string>;
    readonly records: RecordStore;
    history(env: EnvironmentName): Promise<PromotionRecord[]>;
    run(
        args: string[],
        o?: { isTTY?: boolean; confirm?: (m: string) => Promise<boolean>; signal?: AbortSignal },
    ): Promise<PromotionResult & { output: string }>;
    dispose(): Promise<void>;
}

/**
 * `complete`: every stack gets dev's committed config (valid for all three), with `devImageTag`
 * as dev's imageTag. Otherwise the committed Pulumi.<env>.yaml files are used as they are.
 */
export async function harness(o: { complete?: boolean; devImageTag?: string } = {}): Promise<Harness> {
    const tmp = await mkdtemp(path.join(tmpdir(), "promote-"));
    let projectDir = REPO;
    if (o.complete ?? true) {
        projectDir = tmp;
        const dev = await readFile(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
        const withTag = dev.replace(/nextstack:imageTag: .*/, `nextstack:imageTag: ${o.devImageTag ?? "v1.0.0"}`);
        for (const env of ["dev", "qa", "prod"]) await writeFile(path.join(tmp, `Pulumi.${env}.yaml`), withTag);
    }
    const stateDir = path.join(tmp, "state");
    const broken = new Set<string>();
    const app = await startLoopback((req, res) => {
        const version = (req.url ?? "").split("/")[2] ?? "";
        res.statusCode = req.url?.endsWith("/api/health") && broken.has(version) ? 503 : 200;
        res.end();
    });
    const engine = new MemoryEngine({
        appFor: (env, version) => ({
            environment: env,
            imageTag: version,
            deploymentStatus: "done",
            deploymentId: `dep-${env}-${version}`,
            appUrl: `${app.url}/${env}/${version}/`,
            healthUrl: `${app.url}/${env}/${version}/api/health`,
        }),
    });
    const records = new RecordStore(stateDir);
    return {
        projectDir,
        stateDir,
        app,
        engine,
        broken,
        records,
        history: (env) => records.history(env),
        async run(args, r = {}) {
            const lines: string[] = [];
            const options = parsePromoteArgs(
                ["--state-dir", stateDir, "--health-timeout", "0.3", "--probe-interval", "20", ...args],
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
            });
            return { ...result, output: lines.join("\n") };
        },
        async dispose() {
            await app.close();
            await rm(tmp, { recursive: true, force: true });
        },
    };
}
