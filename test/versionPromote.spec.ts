/**
 * Promotion reads each TARGET environment's registry before any update: the real orchestrator
 * (in-memory engine and Swarm, test/support/promoteHarness.ts) with the real ECR reader and SDK
 * against the loopback ECR stand-in. One repository per environment, as each account has.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { expect } from "chai";
import { EnvironmentName } from "../components/config";
import { EcrImageSource } from "../automation/version/ecr";
import { EcrStandIn } from "./support/ecrStandIn";
import { Harness, harness } from "./support/promoteHarness";

const ACCOUNT = "123456789012";
const URL = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const REV_A = "3f2c1ab9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8";
const REV_B = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b";
const repo = (env: EnvironmentName) => `nextstack-saas-starter-${env}`;
const label = (revision: string) => ({ "org.opencontainers.image.revision": revision });

describe("promotion checks the target registry before any update (ECR stand-in, real SDK)", function () {
    this.timeout(30_000);
    let ecr: EcrStandIn;
    let h: Harness;
    const push = (env: EnvironmentName, tags: string[], revision?: string, salt: string = env) =>
        ecr.push(ACCOUNT, repo(env), { tags, ...(revision ? { labels: label(revision) } : {}), salt });
    const writesFor = (env: EnvironmentName) => h.engine.writes.filter((w) => w.split(" ")[1] === env);
    const config = (env: EnvironmentName, key: string) => h.engine.config.get(env)?.get(key);

    beforeEach(async () => {
        ecr = await new EcrStandIn().start();
        for (const env of ["dev", "qa"] as const) ecr.createRepository(ACCOUNT, repo(env));
        const images = new EcrImageSource(
            (t) =>
                new ECRClient({
                    region: t.region,
                    endpoint: ecr.url,
                    credentials: { accessKeyId: `AKIA${t.accountId}`, secretAccessKey: "stand-in" },
                }),
        );
        h = await harness({ images });
    });
    afterEach(async () => {
        await h.dispose();
        await ecr.close();
    });

    it("refuses a tag missing from the target registry, naming repository, tag and what to run; nothing is updated", async () => {
        push("dev", ["v2"], REV_A);
        const r = await h.run(["--yes", "--image-tag", "v2"]);
        expect(r.exitCode, r.output).to.equal(1);
        expect(r.results.map((x) => `${x.env} ${x.status}`)).to.deep.equal(["dev verified", "qa failed"]);
        const qa = r.results[1];
        expect(qa.status === "failed" && qa.message).to.equal(
            `The image ${URL}/nextstack-saas-starter-qa:v2 is not in qa's ECR repository nextstack-saas-starter-qa (account 123456789012, us-west-2): tag v2 was never pushed there (or has expired). Nothing was changed.`,
        );
        expect(qa.status === "failed" && qa.next).to.equal(
            "push it with the app's workflow for qa (your-username/nextstack-saas-starter), then: npm run promote -- --image-tag v2",
        );
        expect(writesFor("qa")).to.deep.equal([]);
        expect(await h.history("qa")).to.deep.equal([]);
        // One look at qa's own repository (per-account signing: versionEcr.spec).
        const qaCalls = ecr.calls.filter((c) => c.body.repositoryName === repo("qa"));
        expect(qaCalls.map((c) => [c.operation, c.body.registryId, c.region])).to.deep.equal([
            ["DescribeImages", ACCOUNT, "us-west-2"],
        ]);
    });

    it("a repository that does not exist yet (no first pulumi up) names the command that creates it", async () => {
        push("dev", ["v2"], REV_A);
        push("qa", ["v2"], REV_A);
        const r = await h.run(["--yes", "--image-tag", "v2"]);
        const prod = r.results.at(-1);
        expect(prod?.env).to.equal("prod");
        expect(prod?.status === "failed" && prod.message).to.equal(
            "prod has no ECR repository nextstack-saas-starter-prod in account 123456789012 (us-west-2) yet, so no image can be deployed there. Nothing was changed.",
        );
        expect(prod?.status === "failed" && prod.next).to.match(/^pulumi up -s prod /);
        expect(writesFor("prod")).to.deep.equal([]);
    });

    it("refuses qa an image built from another revision than the one dev verified", async () => {
        push("dev", ["v2"], REV_A);
        const qaDigest = push("qa", ["v2"], REV_B);
        const r = await h.run(["--yes", "--image-tag", "v2"]);
        const qa = r.results[1];
        expect(qa.status === "failed" && qa.message).to.equal(
            `qa cannot take v2: its image ${URL}/nextstack-saas-starter-qa:v2 (${qaDigest}) was built from revision ${REV_B}, but dev verified v2 built from ${REV_A}. The same version must come from the same source in every environment. Nothing was changed.`,
        );
        expect(writesFor("qa")).to.deep.equal([]);
        expect((await h.history("dev")).at(-1)).to.deep.include({ status: "verified", revision: REV_A });
    });

    it("refuses qa an image without the revision label, saying how the workflow sets it", async () => {
        push("dev", ["v2"], REV_A);
        push("qa", ["v2"]);
        const r = await h.run(["--yes", "--image-tag", "v2"]);
        const qa = r.results[1];
        const message = qa.status === "failed" ? qa.message : "";
        expect(message).to.include(
            "carries no source revision (the image has no org.opencontainers.image.revision label and the tag v2 is not a commit SHA)",
        );
        expect(message).to.include("docker build --label org.opencontainers.image.revision=${{ github.sha }}");
        expect(writesFor("qa")).to.deep.equal([]);
    });

    it("a commit-SHA tag is its own revision: the same SHA promotes without labels", async () => {
        push("dev", ["3f2c1ab"]);
        push("qa", ["3f2c1ab"]);
        const r = await h.run(["--yes", "--to", "qa", "--image-tag", "3f2c1ab"]);
        expect(
            r.results.map((x) => `${x.env} ${x.status}`),
            r.output,
        ).to.deep.equal(["dev verified", "qa verified"]);
        expect((await h.history("qa")).at(-1)).to.deep.include({ revision: "3f2c1ab" });
    });

    it("resolves a moving tag to its digest: pinned, deployed, recorded; promoting latest after a new push redeploys", async () => {
        const d1 = push("dev", ["latest"], REV_A, "first");
        const first = await h.run(["--only", "dev", "--yes", "--image-tag", "latest"]);
        expect(first.exitCode, first.output).to.equal(0);
        expect(config("dev", "imageDigest")).to.equal(d1);
        // Swarm was asked for, and verified to run, exactly that digest.
        expect(first.output).to.include(`dev: 0.0 s submitted (${URL}/nextstack-dev:latest@${d1})`);
        expect((await h.history("dev")).at(-1)?.rollout?.servingImage).to.equal(`${URL}/nextstack-dev:latest@${d1}`);

        const again = await h.run(["--only", "dev", "--yes", "--image-tag", "latest"]);
        expect(again.results[0].status).to.equal("skipped");

        const d2 = push("dev", ["latest"], REV_B, "second");
        const third = await h.run(["--only", "dev", "--yes", "--image-tag", "latest"]);
        expect(third.results[0].status, third.output).to.equal("verified");
        expect(config("dev", "imageDigest")).to.equal(d2);
        const verified = (await h.history("dev")).filter((x) => x.status === "verified");
        expect(verified.map((x) => [x.version, x.imageDigest, x.revision])).to.deep.equal([
            ["latest", d1, REV_A],
            ["latest", d2, REV_B],
        ]);
    });

    it("--rollback redeploys the exact digest verified then, even after its tag was pushed again", async () => {
        const d1 = push("dev", ["v1"], REV_A, "one");
        await h.run(["--only", "dev", "--yes", "--image-tag", "v1"]);
        push("dev", ["v2"], REV_B, "two");
        await h.run(["--only", "dev", "--yes", "--image-tag", "v2"]);
        const d3 = push("dev", ["v1"], REV_A, "rebuilt");
        expect(d3).to.not.equal(d1);
        const r = await h.run(["--rollback", "dev", "--yes"]);
        expect(r.exitCode, r.output).to.equal(0);
        expect([config("dev", "imageTag"), config("dev", "imageDigest")]).to.deep.equal(["v1", d1]);
        expect((await h.history("dev")).at(-1)).to.deep.include({
            version: "v1",
            status: "verified",
            rollback: true,
            imageDigest: d1,
        });
    });

    it("a dry run checks every registry and leaves the stack config as it was", async () => {
        push("dev", ["v2"], REV_A);
        push("qa", ["v2"], REV_A);
        ecr.createRepository(ACCOUNT, repo("prod"));
        push("prod", ["v2"], REV_A);
        const r = await h.run(["--dry-run", "--image-tag", "v2"]);
        expect(
            r.results.map((x) => `${x.env} ${x.status}`),
            r.output,
        ).to.deep.equal(["dev previewed", "qa previewed", "prod previewed"]);
        for (const env of ["dev", "qa", "prod"] as const) {
            expect([config(env, "imageTag"), config(env, "imageDigest")], env).to.deep.equal(["latest", undefined]);
        }
    });
});
