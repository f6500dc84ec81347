/**
 * The small rules of image versions: which tags name a commit, when two revisions are the same,
 * how the program recognises "not in the registry", which image of an index carries the labels,
 * and how a dry run pins a digest without leaving anything behind.
 */
import { expect } from "chai";
import { isNotFound } from "../components/imageRef";
import { platformManifest } from "../automation/version/ecr";
import { pinDigest } from "../automation/version/pin";
import { isDigest, revisionOfTag, sameRevision } from "../automation/version/reference";
import { PlainProgress } from "../automation/progress";
import { MemoryEngine } from "./support/memoryEngine";

const D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

describe("image versions", () => {
    it("a commit-SHA tag names its commit; version and moving tags do not", () => {
        expect(revisionOfTag("3f2c1ab")).to.equal("3f2c1ab");
        expect(revisionOfTag("sha-3f2c1ab")).to.equal("3f2c1ab");
        expect(revisionOfTag("3f2c1ab9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8")).to.equal(
            "3f2c1ab9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8",
        );
        expect(revisionOfTag("v1.2.0")).to.equal(undefined);
        expect(revisionOfTag("latest")).to.equal(undefined);
        expect(revisionOfTag("3f2c1a")).to.equal(undefined);
    });

    it("an abbreviated SHA is the same revision as the full one, and only that", () => {
        expect(sameRevision("3f2c1ab", "3f2c1ab9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8")).to.equal(true);
        expect(sameRevision("3F2C1AB9D0E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8", "3f2c1ab")).to.equal(true);
        expect(sameRevision("3f2c1ab", "3f2c1ac9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8")).to.equal(false);
        expect(sameRevision("v1", "v1")).to.equal(true);
        expect(sameRevision("3f2c", "3f2c1ab")).to.equal(false);
    });

    it("a digest is sha256 and 64 lower-case hex digits", () => {
        expect(isDigest(D1)).to.equal(true);
        expect(isDigest("sha256:ABC")).to.equal(false);
        expect(isDigest("latest")).to.equal(false);
    });

    it("the program treats ECR's not-found answers as 'absent' and anything else as 'could not check'", () => {
        expect(
            isNotFound(
                "invocation of aws:ecr/getImage:getImage returned an error: invoking aws:ecr/getImage:getImage: reading ECR Images: operation error ECR: DescribeImages, https response error StatusCode: 400, ImageNotFoundException: The image with imageId {imageDigest:'null', imageTag:'latest'} does not exist within the repository with name 'app-dev' in the registry with id '123456789012'",
            ),
        ).to.equal(true);
        expect(isNotFound("reading ECR Images: couldn't find resource")).to.equal(true);
        expect(
            isNotFound(
                "reading ECR Images: operation error ECR: DescribeImages, https response error StatusCode: 400, AccessDeniedException: User is not authorized to perform: ecr:DescribeImages",
            ),
        ).to.equal(false);
        expect(isNotFound("naive mock: no invoke aws:ecr/getImage:getImage")).to.equal(false);
    });

    it("labels are read from the linux/amd64 image of an index, never from an attestation manifest", () => {
        const attestation = { digest: D1, platform: { os: "unknown", architecture: "unknown" } };
        const arm = { digest: D2, platform: { os: "linux", architecture: "arm64" } };
        const amd = { digest: "sha256:amd", platform: { os: "linux", architecture: "amd64" } };
        expect(platformManifest({ manifests: [attestation, arm, amd] })).to.equal("sha256:amd");
        expect(platformManifest({ manifests: [attestation, arm] })).to.equal(D2);
        expect(platformManifest({ manifests: [attestation] })).to.equal(undefined);
    });

    describe("pinning the digest in stack config", () => {
        const progress = new PlainProgress(() => undefined);

        it("a dry run on a stack with no digest pinned sets none (config has no unset to undo with)", async () => {
            const engine = new MemoryEngine();
            const restore = await pinDigest({ engine, progress }, "dev", { digest: D1 }, true);
            await restore();
            expect(engine.writes).to.deep.equal([]);
        });

        it("a dry run over a pinned digest sets the new one for the preview, then puts the old one back", async () => {
            const engine = new MemoryEngine();
            engine.config.get("dev")?.set("imageDigest", D1);
            const restore = await pinDigest({ engine, progress }, "dev", { digest: D2 }, true);
            expect(engine.config.get("dev")?.get("imageDigest")).to.equal(D2);
            await restore();
            expect(engine.writes).to.deep.equal([`setConfig dev imageDigest=${D2}`, `setConfig dev imageDigest=${D1}`]);
        });

        it("an update pins the digest, and pinning the same digest again writes nothing", async () => {
            const engine = new MemoryEngine();
            await pinDigest({ engine, progress }, "qa", { digest: D1 }, false);
            await pinDigest({ engine, progress }, "qa", { digest: D1 }, false);
            expect(engine.writes).to.deep.equal([`setConfig qa imageDigest=${D1}`]);
        });
    });
});
