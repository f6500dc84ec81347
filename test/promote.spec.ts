/**
 * Orchestration of `npm run promote` against the in-memory engine, with real verification
 * against a loopback app: order, the same version through every stage, gates, stopping at the
 * first failure, resuming, rollback, and every option.
 */
import { expect } from "chai";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { Harness, harness } from "./support/promoteHarness";
import { NO_CLI } from "./support/memoryEngine";
import { until } from "./support/loopback";

describe("promote: order and versions", () => {
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
    });
    afterEach(() => h.dispose());

    it("walks dev → qa → prod in order, deploying the same --image-tag everywhere and verifying each", async () => {
        const r = await h.run(["--yes", "--image-tag", "v2.0.0"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(h.engine.writes).to.deep.equal([
            "setConfig dev imageTag=v2.0.0",
            "up dev v2.0.0",
            "setConfig qa imageTag=v2.0.0",
            "up qa v2.0.0",
            "setConfig prod imageTag=v2.0.0",
            "up prod v2.0.0",
        ]);
        expect(r.results.map((x) => `${x.env} ${x.status} ${x.version}`)).to.deep.equal([
            "dev verified v2.0.0",
            "qa verified v2.0.0",
            "prod verified v2.0.0",
        ]);
        const prod = await h.history("prod");
        expect(prod.map((x) => x.status)).to.deep.equal(["started", "verified"]);
        expect(prod[1]).to.include({ version: "v2.0.0", deploymentId: "dep-prod-v2.0.0" });
        expect(prod[1].verifiedAt).to.be.a("string");
        expect(prod[1].probe?.sent).to.be.greaterThan(0);
        expect(prod[1].probe?.failures).to.equal(0);
    });

    it("without --image-tag, dev deploys its committed imageTag and qa/prod take what the previous stage verified", async () => {
        const first = await h.run(["--only", "dev", "--yes"]);
        expect(first.exitCode, first.output).to.equal(0);
        expect(h.engine.writes).to.deep.equal(["setConfig dev imageTag=v1.0.0", "up dev v1.0.0"]);
        const second = await h.run(["--yes"]);
        expect(second.exitCode, second.output).to.equal(0);
        expect(second.output).to.include("dev: already verified at v1.0.0");
        expect(h.engine.writes.slice(2)).to.deep.equal([
            "setConfig qa imageTag=v1.0.0",
            "up qa v1.0.0",
            "setConfig prod imageTag=v1.0.0",
            "up prod v1.0.0",
        ]);
    });

    it("--to qa stops after qa; --only qa refuses a version dev has not verified", async () => {
        const r = await h.run(["--to", "qa", "--yes", "--image-tag", "v1"]);
        expect(r.results.map((x) => x.env)).to.deep.equal(["dev", "qa"]);
        expect(h.engine.calls.some((c) => c.includes("prod"))).to.equal(false);
        expect(r.output).to.include("Next: npm run promote -- --to prod");
        const only = await h.run(["--only", "qa", "--yes", "--image-tag", "v9"]);
        expect(only.exitCode).to.equal(1);
        expect(only.output).to.include("qa is not ready: dev has not verified v9");
        expect(only.output).to.include("Next: npm run promote -- --only dev --image-tag v9");
        expect(h.engine.calls).to.not.include("up qa v9");
    });

    it("--dry-run previews every stage with the version it would get, changes nothing and records nothing", async () => {
        const r = await h.run(["--dry-run", "--image-tag", "v3"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(r.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal([
            "dev previewed",
            "qa previewed",
            "prod previewed",
        ]);
        expect(h.engine.calls.filter((c) => c.startsWith("up"))).to.deep.equal([]);
        expect(h.engine.calls.filter((c) => c.startsWith("preview"))).to.deep.equal([
            "preview dev v3",
            "preview qa v3",
            "preview prod v3",
        ]);
        expect(h.engine.config.get("prod")?.get("imageTag")).to.equal("latest"); // restored
        expect(await h.history("dev")).to.deep.equal([]);
        expect(r.output).to.include("Next: npm run promote -- --image-tag v3");
    });

    it("--verbose streams the engine's output", async () => {
        const r = await h.run(["--only", "dev", "--yes", "--verbose"]);
        expect(r.output).to.include("    Updating (dev)");
    });
});

describe("promote: gates", () => {
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
    });
    afterEach(() => h.dispose());

    it("refuses to update without a TTY and without --yes", async () => {
        const r = await h.run(["--only", "dev"]);
        expect(r.exitCode).to.equal(1);
        expect(r.output).to.include("Refusing to update dev without confirmation");
        expect(r.output).to.include("Next: npm run promote -- --only dev --yes");
        expect(h.engine.calls.filter((c) => c.startsWith("up"))).to.deep.equal([]);
    });

    it("on a TTY asks with the change summary, and a no changes nothing", async () => {
        const asked: string[] = [];
        const no = await h.run(["--only", "dev"], {
            isTTY: true,
            confirm: async (m) => {
                asked.push(m);
                return false;
            },
        });
        expect(no.exitCode).to.equal(1);
        expect(asked[0]).to.match(/^Update dev to v1\.0\.0\? 1 to update, 20 unchanged/);
        expect(asked[0]).to.include("pulumi-nodejs:dynamic/dokploy:Application");
        expect(h.engine.calls.filter((c) => c.startsWith("up"))).to.deep.equal([]);
        const yes = await h.run(["--only", "dev"], { isTTY: true, confirm: async () => true });
        expect(yes.exitCode, yes.output).to.equal(0);
        expect(h.engine.calls).to.include("up dev v1.0.0");
    });

    it("refuses prod replacements of protected resources even with --yes, unless --allow-replace", async () => {
        h.engine.previewChanges.set("prod", [
            {
                urn: "urn:pulumi:prod::nextstack::aws:s3/bucket:Bucket::assets",
                type: "aws:s3/bucket:Bucket",
                op: "replace",
            },
            {
                urn: "urn:pulumi:prod::nextstack::aws:iam/accessKey:AccessKey::key-blue",
                type: "aws:iam/accessKey:AccessKey",
                op: "replace",
            },
        ]);
        h.engine.previewChanges.set("dev", [
            {
                urn: "urn:pulumi:dev::nextstack::aws:ecr/repository:Repository::repo",
                type: "aws:ecr/repository:Repository",
                op: "delete",
            },
        ]);
        const refused = await h.run(["--yes"]);
        expect(refused.exitCode).to.equal(1);
        expect(refused.output).to.include("Refusing to update prod");
        expect(refused.output).to.include("replace aws:s3/bucket:Bucket");
        expect(refused.output).to.not.include("replace aws:iam/accessKey"); // key rotation is routine
        expect(refused.output).to.include("--allow-replace");
        expect(h.engine.calls).to.include("up dev v1.0.0"); // dev may replace; only prod is guarded
        expect(h.engine.calls).to.not.include("up prod v1.0.0");
        const allowed = await h.run(["--yes", "--allow-replace"]);
        expect(allowed.exitCode, allowed.output).to.equal(0);
        expect(h.engine.calls).to.include("up prod v1.0.0");
    });
});

describe("promote: failures, resume and rollback", () => {
    let h: Harness;
    beforeEach(async () => {
        h = await harness();
    });
    afterEach(() => h.dispose());

    it("records 'started' durably before the update, and a re-run after a crash mid-update continues where it stopped", async () => {
        const seen: string[] = [];
        h.engine.onUp = async (env) => {
            seen.push(`${env}:${(await h.records.latest(env))?.status}`);
        };
        h.engine.failNextUp = { env: "qa", error: new Error("engine crashed mid-update") };
        const crashed = await h.run(["--yes"]);
        expect(crashed.exitCode).to.equal(1);
        expect(seen).to.deep.equal(["dev:started", "qa:started"]);
        expect(crashed.output).to.include("qa: engine crashed mid-update");
        expect((await h.history("qa")).map((x) => x.status)).to.deep.equal(["started", "failed"]);
        expect(h.engine.calls.some((c) => c.includes("prod"))).to.equal(false);

        const resumed = await h.run(["--yes"]);
        expect(resumed.exitCode, resumed.output).to.equal(0);
        expect(resumed.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal([
            "dev skipped",
            "qa verified",
            "prod verified",
        ]);
        expect(h.engine.calls.filter((c) => c === "up dev v1.0.0")).to.have.length(1);
    });

    it("continues an update a killed process left at 'started'", async () => {
        await mkdir(h.stateDir, { recursive: true });
        await writeFile(
            path.join(h.stateDir, "dev.json"),
            JSON.stringify({
                environment: "dev",
                records: [{ environment: "dev", version: "v1.0.0", status: "started", at: "2026-11-26T10:00:00.000Z" }],
            }),
        );
        const r = await h.run(["--only", "dev", "--yes"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(r.output).to.include("the last run stopped during its update to v1.0.0");
        expect((await h.history("dev")).map((x) => x.status)).to.deep.equal(["started", "started", "verified"]);
    });

    it("rolls back to the last verified version when verification fails, and verifies it again", async () => {
        expect((await h.run(["--only", "dev", "--yes", "--image-tag", "v1"])).exitCode).to.equal(0);
        h.down.add("v2"); // Swarm completes, but the app's health URL answers 503
        const r = await h.run(["--yes", "--image-tag", "v2"]);
        expect(r.exitCode).to.equal(1);
        expect(r.output).to.include("dev failed verification at v2");
        expect(r.output).to.include("did not answer 200");
        expect(r.output, r.output).to.include("Rolled back to v1; dev is verified at v1 again.");
        expect(h.engine.writes.slice(2)).to.deep.equal([
            "setConfig dev imageTag=v2",
            "up dev v2",
            "setConfig dev imageTag=v1",
            "up dev v1",
        ]);
        const history = (await h.history("dev")).map((x) => `${x.status} ${x.version}${x.rollback ? " rollback" : ""}`);
        expect(history).to.deep.equal([
            "started v1",
            "verified v1",
            "started v2",
            "failed v2",
            "started v1 rollback",
            "verified v1 rollback",
        ]);
        expect(h.engine.calls.some((c) => c.includes(" qa"))).to.equal(false);
    });

    it("--rollback redeploys the version verified before the live one, and verifies it", async () => {
        await h.run(["--only", "dev", "--yes", "--image-tag", "v1"]);
        await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        const r = await h.run(["--rollback", "dev", "--yes"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect(h.engine.writes.slice(-2)).to.deep.equal(["setConfig dev imageTag=v1", "up dev v1"]);
        expect(await h.records.latest("dev")).to.include({ status: "verified", version: "v1", rollback: true });
    });

    it("--rollback with no earlier verified version says so and changes nothing", async () => {
        const r = await h.run(["--rollback", "prod", "--yes"]);
        expect(r.exitCode).to.equal(1);
        expect(r.output).to.include("No earlier verified version of prod");
        expect(r.output).to.include("--rollback prod --image-tag <tag>");
        expect(h.engine.writes).to.deep.equal([]);
    });

    it("stops at the first environment that is not ready (no stack), saying what to run", async () => {
        h.engine.stacks.delete("qa");
        const r = await h.run(["--yes", "--image-tag", "v1"]);
        expect(r.exitCode).to.equal(1);
        expect(r.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal(["dev verified", "qa failed"]);
        expect(r.output).to.include('Stack "qa" does not exist');
        expect(r.output).to.include("Next: pulumi stack init qa");
    });

    it("refuses an environment whose config pins `image`, which would ignore the promoted imageTag", async () => {
        const file = path.join(h.projectDir, "Pulumi.qa.yaml");
        await writeFile(
            file,
            `${await readFile(file, "utf8")}  nextstack:image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:v0\n`,
        );
        const r = await h.run(["--yes", "--image-tag", "v1"]);
        expect(r.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal(["dev verified", "qa failed"]);
        expect(r.output).to.include("Pulumi.qa.yaml sets `image`");
        expect(r.output).to.include("Next: pulumi config rm image -s qa");
    });

    it("explains a missing Pulumi CLI, a CLI that is too old, and a locked stack", async () => {
        h.engine.cli = NO_CLI();
        let r = await h.run(["--yes"]);
        expect(r.output).to.include("Pulumi CLI not found");
        expect(r.output).to.include("curl -fsSL https://get.pulumi.com | sh");
        expect(r.output).to.not.match(/\n\s+at /);
        h.engine.cli = "3.100.0";
        r = await h.run(["--yes"]);
        expect(r.output).to.include("Pulumi CLI 3.100.0 is older than 3.139.0");
        h.engine.cli = "3.276.0";
        h.engine.locked.add("dev");
        r = await h.run(["--yes"]);
        expect(r.exitCode).to.equal(1);
        expect(r.output).to.include('Stack "dev" is locked');
        expect(r.output).to.include("pulumi cancel -s dev");
        expect(await h.records.latest("dev")).to.include({ status: "failed" });
    });

    it("Ctrl-C cancels the running update through the signal, keeps the record and exits 130", async () => {
        const ac = new AbortController();
        let updating = false;
        h.engine.onUp = (_env, _v, opts) =>
            new Promise<void>((resolve) => {
                updating = true;
                opts.signal?.addEventListener("abort", () => resolve(), { once: true });
            });
        const running = h.run(["--yes"], { signal: ac.signal });
        await until(() => updating, "the update to start");
        ac.abort();
        const r = await running;
        expect(r.exitCode).to.equal(130);
        expect(r.output).to.include("Interrupted during dev");
        expect((await h.history("dev")).map((x) => `${x.status} ${x.reason ?? ""}`)).to.deep.equal([
            "started ",
            "failed interrupted (Ctrl-C) during the update",
        ]);
        expect(h.engine.calls.some((c) => c.includes(" qa"))).to.equal(false);
    });
});
