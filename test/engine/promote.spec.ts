/**
 * `npm run promote` on a real swarm (issue 8 §1–§3): the orchestrator, its records and reports,
 * the DokployApplication provider as `up` (test/support/promoteOnDokploy.ts), the fake Dokploy
 * driving the real engine (test/support/dokploy, engine-backed: pull + service create/update as
 * Dokploy v0.25.6 does, docker.* answered from the engine), the real RolloutWatch of
 * automation/rolloutDokploy.ts over the fake's API, and the app images of the recorded runs
 * behind a proxy standing in for Traefik. Short health settings (interval 2 s, start period 5 s,
 * retries 2; delay 1 s, monitor 5 s). What a user notices:
 * - a good update is verified with 0 failed probe requests, and only after the old task is gone;
 * - a bad image fails verification naming Swarm's rollback, the promotion stops before qa, and
 *   no record says "verified" for it;
 * - `--rollback` goes back to the last verified version and is verified the same way.
 * With PROMOTE_SAVE_REPORTS=<dir> the good and the rolled-back report are copied there.
 */
import { expect } from "chai";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EnvironmentName } from "../../components/config";
import { parsePromoteArgs } from "../../automation/options";
import { promote, PromotionResult } from "../../automation/orchestrator";
import { PlainProgress } from "../../automation/progress";
import { PromotionRecord, RecordStore } from "../../automation/records";
import { dokployRolloutWatch } from "../../automation/rolloutDokploy";
import { baselineContainers, watchRollout } from "../../components/dokploy/rollout";
import { startFakeDokploy, type FakeDokploy } from "../support/dokploy";
import {
    buildAppImages,
    DOCKER_HOST,
    dockerJson,
    removeServices,
    requireEngine,
    runningImages,
    startProxy,
    type Proxy,
    SHORT_APP_SETTINGS,
} from "../support/engine";
import { DokployStackEngine } from "../support/promoteOnDokploy";
import { writeCompleteConfigs } from "../support/promoteHarness";

const ENVS: EnvironmentName[] = ["dev", "qa", "prod"];

/** The first output line matching `re`, by position (output lines are in the order things happened). */
function lineOf(output: string, re: RegExp): number {
    const i = output.split("\n").findIndex((l) => re.test(l));
    if (i < 0) throw new Error(`no line matches ${re}:\n${output}`);
    return i;
}

describe("promotion on a real swarm (fake Dokploy, engine-backed)", function () {
    let srv: FakeDokploy;
    let images: Readonly<Record<string, string>>;
    let dir: string;
    let records: RecordStore;
    let engine: DokployStackEngine;
    const proxies = new Map<string, Proxy>();
    const reports: Record<string, string> = {};

    before(async function () {
        await requireEngine(this);
        this.timeout(600_000);
        images = await buildAppImages();
        srv = await startFakeDokploy({ deployDurationMs: 5, engine: { dockerHost: DOCKER_HOST } });
        dir = await mkdtemp(path.join(tmpdir(), "promote-engine-"));
        await writeCompleteConfigs(dir, "v1");
        records = new RecordStore(path.join(dir, "state"));
        engine = new DokployStackEngine({
            serverUrl: srv.url,
            apiKey: srv.apiKey,
            repository: images.v1.replace(/:v1$/, ""),
            stacks: ENVS,
            args: (env) => ({
                serverUrl: srv.url,
                projectName: `promote-${env}-project`,
                environmentName: "production",
                name: `promote-${env}`,
                appName: `promote-${env}`,
                env: {},
                replicas: 1,
                domain: null,
                ...SHORT_APP_SETTINGS,
            }),
            urlFor: async (_env, appName) => {
                let proxy = proxies.get(appName);
                if (!proxy) {
                    proxy = await startProxy(appName);
                    proxies.set(appName, proxy);
                }
                return proxy.url;
            },
        });
    });

    after(async function () {
        this.timeout(120_000);
        for (const p of proxies.values()) await p.stop();
        const names = engine?.appNames ?? [];
        await srv?.close();
        if (names.length > 0) await removeServices(...names);
        if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function run(args: string[]): Promise<PromotionResult & { output: string }> {
        const lines: string[] = [];
        const o = parsePromoteArgs(
            [
                "--state-dir",
                records.dir,
                "--yes",
                "--probe-interval",
                "100",
                "--probe-settle",
                "500",
                "--health-timeout",
                "30",
                ...args,
            ],
            {},
            dir,
        );
        const result = await promote(o, {
            engine,
            progress: new PlainProgress((l) => lines.push(l)),
            isTTY: false,
            confirm: async () => {
                throw new Error("unexpected prompt");
            },
            rollout: dokployRolloutWatch(engine, { watch: watchRollout, baseline: baselineContainers }),
        });
        const output = lines.join("\n");
        if (process.env.PROMOTE_ENGINE_VERBOSE) console.log(output);
        return { ...result, output };
    }

    const history = async (): Promise<PromotionRecord[]> =>
        (await Promise.all(ENVS.map((e) => records.history(e)))).flat();

    it("first deployment of v1 to dev and qa: each verified once Swarm runs it healthy", async function () {
        this.timeout(240_000);
        const r = await run(["--to", "qa", "--image-tag", "v1"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(r.results.map((x) => `${x.env} ${x.status} ${x.version}`)).to.deep.equal([
            "dev verified v1",
            "qa verified v1",
        ]);
        const [dev] = engine.appNames;
        expect(await runningImages(dev)).to.deep.equal([images.v1]);
    });

    it("good start-first update v1 → v2 in dev: verified with 0 failed probe requests, after the old task is gone", async function () {
        this.timeout(240_000);
        const r = await run(["--only", "dev", "--image-tag", "v2"]);
        expect(r.exitCode, r.output).to.equal(0);
        const [dev] = engine.appNames;
        // Verification ended after Swarm's completion: Swarm says completed and only v2 runs the moment promote returns.
        const swarm = await dockerJson<{ State?: string; CompletedAt?: string }>([
            "service",
            "inspect",
            dev,
            "--format",
            "{{json .UpdateStatus}}",
        ]);
        expect(swarm.State).to.equal("completed");
        expect(await runningImages(dev)).to.deep.equal([images.v2]);
        expect(lineOf(r.output, /dev: [\d.]+ s old_task_stopped/)).to.be.lessThan(
            lineOf(r.output, /^✔ dev: verify v2/),
        );
        expect(lineOf(r.output, /dev: [\d.]+ s completed/)).to.be.lessThan(lineOf(r.output, /^✔ dev: verify v2/));
        const record = await records.latest("dev");
        expect(record).to.include({ status: "verified", version: "v2", servingVersion: "v2" });
        expect(record?.rollout?.outcome).to.equal("completed");
        expect(record?.probe).to.include({ failures: 0, oldVersion: "v1", newVersion: "v2" });
        expect(record?.probe?.sent).to.be.greaterThan(20);
        reports.good = record?.report ?? "";
        const completedAt = Date.parse(swarm.CompletedAt ?? "");
        const after = (Date.parse(record?.at ?? "") - completedAt) / 1000;
        const decided = (Date.parse(record?.rollout?.decidedAt ?? "") - completedAt) / 1000;
        console.log(
            `      verified: Swarm completed in ${((record?.rollout?.tookMs ?? 0) / 1000).toFixed(1)} s ` +
                `(${record?.rollout?.calls} API calls by the promotion's watch); the watch decided ${decided.toFixed(1)} s and verification ended ${after.toFixed(1)} s after Swarm's CompletedAt; ` +
                `probe ${record?.probe?.sent} requests, ${record?.probe?.failures} failed, ` +
                `first v2 +${((record?.probe?.firstNewMs ?? 0) / 1000).toFixed(1)} s, last v1 +${((record?.probe?.lastOldMs ?? 0) / 1000).toFixed(1)} s`,
        );
    });

    it("bad image: verification fails naming Swarm's rollback, the promotion stops before qa, 0 'verified' records for it", async function () {
        this.timeout(300_000);
        const qaUpdatesBefore = engine.calls.filter((c) => c.startsWith("up qa")).length;
        const r = await run(["--image-tag", "bad"]);
        expect(r.exitCode).to.equal(1);
        expect(r.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal(["dev failed"]);
        expect(r.output).to.include("dev failed verification at bad (Swarm rolled it back)");
        expect(r.output).to.match(/rolled back by Swarm: .*unhealthy/);
        expect(engine.calls.filter((c) => c.startsWith("up qa")).length).to.equal(qaUpdatesBefore);
        const all = await history();
        expect(all.filter((x) => x.version === "bad" && x.status === "verified")).to.deep.equal([]);
        const bad = all.filter((x) => x.version === "bad").at(-1);
        expect(bad?.status).to.equal("rolled_back");
        expect(bad?.reason).to.match(/^rolled back by Swarm: /);
        expect(bad?.probe?.failures).to.equal(0);
        reports.rolledBack = bad?.report ?? "";
        // Swarm went back to v2 by itself; promotion then set dev back to v2 so Dokploy stores what runs.
        expect(r.output).to.include("Rolled back to v2; dev is verified at v2 again.");
        const [dev] = engine.appNames;
        expect(await runningImages(dev)).to.deep.equal([images.v2]);
        console.log(`      ${bad?.reason}`);
    });

    it("--rollback dev goes back to the last verified version before the live one (v1), verified the same way", async function () {
        this.timeout(240_000);
        const r = await run(["--rollback", "dev"]);
        expect(r.exitCode, r.output).to.equal(0);
        const record = await records.latest("dev");
        expect(record).to.include({ status: "verified", version: "v1", rollback: true, servingVersion: "v1" });
        expect(record?.rollout?.outcome).to.equal("completed");
        expect(record?.probe?.failures).to.equal(0);
        const [dev] = engine.appNames;
        expect(await runningImages(dev)).to.deep.equal([images.v1]);
    });

    it("the reports name the outcome and carry the chart", async function () {
        expect(reports.good, "good report").to.match(/\.html$/);
        expect(reports.rolledBack, "rolled-back report").to.match(/\.html$/);
        expect(await readFile(reports.good, "utf8")).to.include("dev: v2 — ✅ verified");
        expect(await readFile(reports.rolledBack, "utf8")).to.include("dev: bad — ↩️ rolled back by Swarm");
        const save = process.env.PROMOTE_SAVE_REPORTS;
        if (save) {
            await mkdir(save, { recursive: true });
            for (const [name, file] of Object.entries({ good: reports.good, "rolled-back": reports.rolledBack })) {
                await copyFile(file, path.join(save, `${name}.html`));
                // The summary names its chart by path; next to its copy, that is the copy's name.
                const md = (await readFile(file.replace(/\.html$/, ".md"), "utf8")).replace(file, `${name}.html`);
                await writeFile(path.join(save, `${name}.md`), md);
            }
        }
    });
});
