/**
 * A fresh account: the first `pulumi up` creates an empty ECR repository, and the app's CI can
 * push only after this stack made the push role. The program must then register the Dokploy
 * application without deploying it and say what to do next; once the image is there, it deploys
 * the digest the tag names. The registry is test/mocks.ts's getImage double (ECR's real error
 * for a missing tag; empty unless a test pushes).
 */
import { expect } from "chai";
import { allInvocations, ecrImages, findResource, ProgramRun } from "./mocks";
import { committedStackRun, runStack } from "./helpers";

const APP = "pulumi-nodejs:dynamic/dokploy:Application";
const REPO = "123456789012.dkr.ecr.us-west-2.amazonaws.com/nextstack-saas-starter-dev";
const D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

function push(tags: Record<string, string>): void {
    ecrImages.set("123456789012/nextstack-saas-starter-dev", new Map(Object.entries(tags)));
}

describe("A fresh account: the first pulumi up succeeds", () => {
    afterEach(() => ecrImages.clear());

    describe("while the repository holds no image", () => {
        let run: ProgramRun;
        before(async () => {
            ecrImages.clear();
            run = await committedStackRun("dev");
        });

        it("registers the Dokploy application configured with <repository>:<tag> but not deployed", () => {
            const app = findResource(APP, "dev-app");
            expect(app.inputs.deploy).to.equal(false);
            expect(app.inputs.dockerImage).to.equal(`${REPO}:latest`);
            expect(app.inputs.domain).to.deep.equal({
                host: "dev.nextstack-saas-starter.com",
                port: 3000,
                https: true,
            });
        });

        it("still creates everything the app's CI needs to push the first image", () => {
            findResource("aws:ecr/repository:Repository", "dev-registry-repository");
            findResource("aws:iam/role:Role", "dev-oidc-push-role");
            const secrets = run.registrations.filter((r) => r.type === "github:index/actionsSecret:ActionsSecret");
            expect(secrets.map((s) => s.inputs.secretName)).to.include("AWS_OIDC_ROLE_ARN_DEV");
        });

        it("says the next step: push the first image with the app's workflow, then promote to dev", () => {
            expect(run.outputs.image).to.equal(`${REPO}:latest`);
            expect(run.outputs.imageDigest).to.equal("");
            expect(run.outputs.nextStep).to.equal(
                `Push the first image: run the app's workflow for dev (it builds the image and pushes it to ${REPO} with the role in AWS_OIDC_ROLE_ARN_DEV), then run: npm run promote -- --to dev. Until then the Dokploy application is configured but not deployed.`,
            );
        });

        it("asks the registry for the configured tag in this stack's repository, through the pinned provider", () => {
            const lookups = allInvocations().filter((i) => i.token === "aws:ecr/getImage:getImage");
            expect(lookups).to.have.length(1);
            expect(lookups[0].inputs).to.deep.equal({
                repositoryName: "nextstack-saas-starter-dev",
                imageTag: "latest",
            });
            const aws = run.registrations.filter((r) => r.type === "pulumi:providers:aws");
            expect(aws).to.have.length(1);
            expect(lookups[0].provider.startsWith(`${aws[0].urn}::`)).to.equal(true);
        });
    });

    it("once the tag is in the registry, deploys <repository>@<digest>: what the moving tag names now", async () => {
        push({ latest: D1, v1: D1 });
        const first = await runStack("dev");
        expect(findResource(APP, "dev-app").inputs).to.deep.include({
            deploy: true,
            dockerImage: `${REPO}:latest@${D1}`,
        });
        expect(first.outputs).to.deep.include({ image: `${REPO}:latest@${D1}`, imageDigest: D1, nextStep: "none" });

        push({ latest: D2, v1: D1 });
        const second = await runStack("dev");
        expect(findResource(APP, "dev-app").inputs.dockerImage).to.equal(`${REPO}:latest@${D2}`);
        expect(second.outputs.imageDigest).to.equal(D2);
    });

    it("a digest pinned by promotion wins over where the tag points now", async () => {
        push({ latest: D2, v1: D1 });
        const run = await runStack("dev", { imageDigest: D1 });
        expect(findResource(APP, "dev-app").inputs).to.deep.include({
            deploy: true,
            dockerImage: `${REPO}:latest@${D1}`,
        });
        expect(run.outputs.imageDigest).to.equal(D1);
        expect(run.outputs.nextStep).to.equal(
            `The image promotion pinned (imageDigest ${D1}) is not what latest names in the registry now; the pinned image stays deployed. To deploy latest as it is now: npm run promote -- --only dev --image-tag latest`,
        );
        const lookup = allInvocations().find((i) => i.token === "aws:ecr/getImage:getImage");
        expect(lookup?.inputs).to.deep.equal({ repositoryName: "nextstack-saas-starter-dev", imageDigest: D1 });
    });

    it("a pinned digest its tag still names is simply deployed", async () => {
        push({ latest: D1 });
        const run = await runStack("dev", { imageDigest: D1 });
        expect(run.outputs).to.deep.include({ image: `${REPO}:latest@${D1}`, imageDigest: D1, nextStep: "none" });
    });

    it("a pinned digest no longer in the registry is configured but not deployed, and says so", async () => {
        push({ latest: D2 });
        const run = await runStack("dev", { imageDigest: D1, imageTag: "v1" });
        expect(findResource(APP, "dev-app").inputs).to.deep.include({ deploy: false, dockerImage: `${REPO}:v1@${D1}` });
        expect(run.outputs.nextStep).to.equal(
            `The pinned image ${REPO}:v1@${D1} is no longer in the registry (expired or deleted). Push v1 again with the app's workflow, then run: npm run promote -- --only dev --image-tag v1. Until then the Dokploy application is configured but not deployed.`,
        );
    });

    it("an `image` override is deployed as given, without a registry lookup", async () => {
        const image = "ghcr.io/someone/app:v3";
        const run = await runStack("dev", { image });
        expect(findResource(APP, "dev-app").inputs).to.deep.include({ deploy: true, dockerImage: image });
        expect(run.outputs).to.deep.include({ image, imageDigest: "", nextStep: "none" });
        expect(allInvocations().filter((i) => i.token === "aws:ecr/getImage:getImage")).to.deep.equal([]);
    });

    it("an invalid imageDigest is a config problem naming the key", async () => {
        let message = "";
        await runStack("dev", { imageDigest: "sha256:xyz" }).catch((e: Error) => (message = e.message));
        expect(message).to.include("imageDigest: is not an image digest (sha256: and 64 lower-case hex digits)");
    });
});
