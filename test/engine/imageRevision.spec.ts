/**
 * The revision label as a real `docker build --label` writes it: an image built on the real
 * engine and pushed to its local registry (127.0.0.1:5000, Docker's distribution registry, the
 * same Registry HTTP API v2 ECR serves pulls with). Its manifest and config blob, byte for byte,
 * are put behind the ECR stand-in, and the promotion's ECR reader (real SDK) must find the tag
 * at the digest the real registry reports and read the revision from the real config.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { expect } from "chai";
import { EcrImageSource } from "../../automation/version/ecr";
import { EcrStandIn } from "../support/ecrStandIn";
import { buildAppImages, docker, REGISTRY, requireEngine } from "../support/engine";

const SHA = "5d41402abc4b2a76b9719d911017c592aa1b2c3d";
const NAME = "image-revision";
const ACCOUNT = "123456789012";
const MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

async function registryGet(path: string, accept?: string): Promise<{ body: Buffer; headers: Headers }> {
    const res = await fetch(`http://${REGISTRY}/v2/${path}`, {
        headers: accept ? { accept } : {},
        signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`registry GET ${path}: HTTP ${res.status}`);
    return { body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

describe("revision label of an image built by the real engine (engine suite)", function () {
    let ecr: EcrStandIn | undefined;
    before(async function () {
        await requireEngine(this);
    });
    after(async () => {
        await ecr?.close();
        await docker(["image", "rm", "-f", `${REGISTRY}/${NAME}:v7`, `${REGISTRY}/${NAME}:nolabel`], {
            allowFailure: true,
        });
    });

    it("docker build --label …revision=<sha>, pushed: the ECR reader finds the digest and reads the SHA", async () => {
        const base = (await buildAppImages()).v1;
        const build = (tag: string, label?: string) =>
            docker(["build", ...(label ? ["--label", label] : []), "-t", `${REGISTRY}/${NAME}:${tag}`, "-"], {
                input: `FROM ${base}\n`,
            });
        await build("v7", `org.opencontainers.image.revision=${SHA}`);
        await build("nolabel");
        for (const tag of ["v7", "nolabel"]) await docker(["push", `${REGISTRY}/${NAME}:${tag}`]);

        ecr = await new EcrStandIn().start();
        ecr.createRepository(ACCOUNT, NAME);
        const real: Record<string, string> = {};
        for (const tag of ["v7", "nolabel"]) {
            const manifest = await registryGet(`${NAME}/manifests/${tag}`, MANIFEST);
            const parsed = JSON.parse(manifest.body.toString("utf8")) as {
                mediaType: string;
                config: { digest: string };
            };
            const config = await registryGet(`${NAME}/blobs/${parsed.config.digest}`);
            real[tag] = String(manifest.headers.get("docker-content-digest"));
            const stored = ecr.putImage(ACCOUNT, NAME, {
                tags: [tag],
                manifest: manifest.body.toString("utf8"),
                mediaType: parsed.mediaType,
                blobs: new Map([[parsed.config.digest, config.body]]),
            });
            expect(stored, "digest = sha256 of the manifest bytes, as the registry says").to.equal(real[tag]);
        }

        const source = new EcrImageSource(
            (t) =>
                new ECRClient({
                    region: t.region,
                    endpoint: ecr?.url,
                    credentials: { accessKeyId: "AKIAENGINE", secretAccessKey: "stand-in" },
                }),
        );
        const target = { accountId: ACCOUNT, region: "us-west-2", repositoryName: NAME };
        const found = await source.find(target, { tag: "v7" });
        expect(found?.digest).to.equal(real.v7);
        expect(await source.revisionLabel(target, real.v7)).to.deep.equal({ revision: SHA });
        expect(await source.revisionLabel(target, real.nolabel)).to.deep.equal({
            missing: "the image has no org.opencontainers.image.revision label",
        });
    });
});
