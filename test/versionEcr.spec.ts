/**
 * The ECR reader with the real @aws-sdk/client-ecr against the loopback ECR stand-in
 * (test/support/ecrStandIn.ts), reached through the SDK's endpoint setting.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { expect } from "chai";
import { defaultClientFactory, EcrImageSource } from "../automation/version/ecr";
import { ecrImageSource, RegistryTarget, RepositoryMissingError } from "../automation/version/source";
import { EcrStandIn } from "./support/ecrStandIn";

const ACCOUNT = "123456789012";
const REPO = "nextstack-saas-starter-dev";
const SHA = "3f2c1ab9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8";
const target: RegistryTarget = { accountId: ACCOUNT, region: "us-west-2", repositoryName: REPO };

describe("ECR reader (real SDK, loopback ECR stand-in)", () => {
    let ecr: EcrStandIn;
    let source: EcrImageSource;
    beforeEach(async () => {
        ecr = await new EcrStandIn().start();
        ecr.createRepository(ACCOUNT, REPO);
        source = new EcrImageSource(
            (t) =>
                new ECRClient({
                    region: t.region,
                    endpoint: ecr.url,
                    credentials: { accessKeyId: `AKIA${t.accountId}`, secretAccessKey: "stand-in" },
                }),
        );
    });
    afterEach(() => ecr.close());

    it("resolves a tag to the digest it names now: a moving tag follows the newest push", async () => {
        const first = ecr.push(ACCOUNT, REPO, { tags: ["latest", "v1"], salt: "1" });
        expect(await source.find(target, { tag: "latest" })).to.deep.equal({ digest: first, tags: ["latest", "v1"] });
        const second = ecr.push(ACCOUNT, REPO, { tags: ["latest"], salt: "2" });
        expect(second).to.not.equal(first);
        expect((await source.find(target, { tag: "latest" }))?.digest).to.equal(second);
        expect(await source.find(target, { digest: first })).to.deep.equal({ digest: first, tags: ["v1"] });
    });

    it("a tag that is not there is absent (ECR's ImageNotFoundException), a missing repository says so", async () => {
        expect(await source.find(target, { tag: "v9" })).to.equal(undefined);
        const missing = { ...target, repositoryName: "nextstack-saas-starter-qa" };
        let err: unknown;
        await source.find(missing, { tag: "v9" }).catch((e: unknown) => (err = e));
        expect(err).to.be.instanceOf(RepositoryMissingError);
        expect((err as Error).message).to.equal(
            "ECR repository nextstack-saas-starter-qa does not exist in account 123456789012",
        );
    });

    it("reads the revision label from the image config (manifest → config blob)", async () => {
        const digest = ecr.push(ACCOUNT, REPO, { tags: ["v1"], labels: { "org.opencontainers.image.revision": SHA } });
        expect(await source.revisionLabel(target, digest)).to.deep.equal({ revision: SHA });
        expect(ecr.calls.map((c) => c.operation)).to.deep.equal(["BatchGetImage", "GetDownloadUrlForLayer"]);
    });

    it("reads it from the linux/amd64 image of a buildx index, skipping the attestation manifest", async () => {
        const digest = ecr.push(ACCOUNT, REPO, {
            tags: ["v2"],
            labels: { "org.opencontainers.image.revision": SHA },
            multiPlatform: true,
        });
        expect(await source.revisionLabel(target, digest)).to.deep.equal({ revision: SHA });
        expect(ecr.calls.map((c) => c.operation)).to.deep.equal([
            "BatchGetImage",
            "BatchGetImage",
            "GetDownloadUrlForLayer",
        ]);
    });

    it("an image built without the label has none, and says so", async () => {
        const digest = ecr.push(ACCOUNT, REPO, { tags: ["v3"] });
        expect(await source.revisionLabel(target, digest)).to.deep.equal({
            missing: "the image has no org.opencontainers.image.revision label",
        });
    });

    it("refuses a config blob whose bytes do not match its digest", async () => {
        const digest = ecr.push(ACCOUNT, REPO, { tags: ["v4"], labels: { "org.opencontainers.image.revision": SHA } });
        const tampered = new EcrImageSource(
            (t) =>
                new ECRClient({
                    region: t.region,
                    endpoint: ecr.url,
                    credentials: { accessKeyId: "AKIAX", secretAccessKey: "x" },
                }),
            async () => new Response('{"config":{"Labels":{"org.opencontainers.image.revision":"evil"}}}'),
        );
        let message = "";
        await tampered.revisionLabel(target, digest).catch((e: Error) => (message = e.message));
        expect(message).to.match(/^the image config downloaded for sha256:[0-9a-f]{64} is sha256:[0-9a-f]{64}$/);
    });

    it("signs each call for the target's own region and credentials, with the JSON 1.1 target header", async () => {
        ecr.push(ACCOUNT, REPO, { tags: ["v1"] });
        await source.find(target, { tag: "v1" });
        await source.find({ ...target, accountId: "222222222222", region: "eu-west-1" }, { tag: "v1" }).catch(() => 0);
        expect(ecr.calls.map((c) => [c.operation, c.accessKeyId, c.region, c.body.registryId])).to.deep.equal([
            ["DescribeImages", "AKIA123456789012", "us-west-2", ACCOUNT],
            ["DescribeImages", "AKIA222222222222", "eu-west-1", "222222222222"],
        ]);
        expect(ecr.calls[0].body).to.deep.equal({
            registryId: ACCOUNT,
            repositoryName: REPO,
            imageIds: [{ imageTag: "v1" }],
        });
    });

    it("the default client follows AWS_ENDPOINT_URL_ECR (the SDK's endpoint setting) with the ambient credentials", async () => {
        const digest = ecr.push(ACCOUNT, REPO, { tags: ["v1"] });
        const saved = { ...process.env };
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_ECR: ecr.url,
            AWS_ACCESS_KEY_ID: "AKIAAMBIENT",
            AWS_SECRET_ACCESS_KEY: "ambient",
        });
        delete process.env.AWS_PROFILE;
        try {
            const found = await new EcrImageSource(defaultClientFactory).find(target, { tag: "v1" });
            expect(found?.digest).to.equal(digest);
            // What the CLI passes: the same reader, its SDK loaded on first use.
            expect((await ecrImageSource().find(target, { tag: "v1" }))?.digest).to.equal(digest);
        } finally {
            for (const k of ["AWS_ENDPOINT_URL_ECR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
                delete process.env[k];
            Object.assign(process.env, saved);
        }
        expect(ecr.calls.map((c) => c.accessKeyId)).to.deep.equal(["AKIAAMBIENT", "AKIAAMBIENT"]);
    });
});
