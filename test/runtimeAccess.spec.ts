import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_KEY_SECRET_SENTINEL, findResource, resolve, resourcesOfType, settle } from "./mocks";
import { ECR_PULL_ACTIONS, RuntimeAccess, runtimePolicy, S3_OBJECT_ACTIONS } from "../components/runtimeAccess";
import { awsProvider, committedStackRun, list, plainDocument, policyOf, runStack } from "./helpers";

const USER = "aws:iam/user:User";
const KEY = "aws:iam/accessKey:AccessKey";

describe("RuntimeAccess", () => {
    it("runtimePolicy: objects of one bucket, pulls from one repository, `*` only for the ECR login", async () => {
        const doc = await plainDocument(runtimePolicy("arn:aws:s3:::b", "arn:aws:ecr:r:1:repository/x"));
        expect(doc.Statement.map((s) => [list(s.Action), s.Resource])).to.deep.equal([
            [[...S3_OBJECT_ACTIONS], "arn:aws:s3:::b/*"],
            [[...ECR_PULL_ACTIONS], "arn:aws:ecr:r:1:repository/x"],
            [["ecr:GetAuthorizationToken"], "*"],
        ]);
        const actions = doc.Statement.flatMap((s) => list(s.Action));
        expect(actions).to.not.include.members(["s3:PutObjectAcl", "s3:ListBucket", "ecr:PutImage"]);
    });

    const users = {
        dev: "nextstack-saas-starter-s3-uploader",
        qa: "nextstack-saas-starter-s3-uploader-qa",
        prod: "nextstack-saas-starter-s3-uploader-prod",
    } as const;
    const accounts = { dev: "123456789012", qa: "222222222222", prod: "333333333333" } as const;
    for (const stack of ["dev", "qa", "prod"] as const) {
        describe(`${stack} stack`, () => {
            before(async () => {
                await committedStackRun(stack);
            });
            it(`creates ${users[stack]} with one policy scoped to this bucket and repository`, () => {
                const user = findResource(USER, `${stack}-runtime-user`);
                expect(user.inputs.name).to.equal(users[stack]);
                expect(user.options.importId).to.equal("");
                const policies = resourcesOfType("aws:iam/userPolicy:UserPolicy");
                expect(policies.map((p) => p.name)).to.deep.equal([`${stack}-runtime-policy`]);
                const resources = policyOf(policies[0]).Statement.flatMap((s) => list(s.Resource));
                expect(resources).to.deep.equal([
                    `arn:aws:s3:::nextstack-saas-starter-${stack}-assets/*`,
                    `arn:aws:ecr:us-west-2:${accounts[stack]}:repository/nextstack-saas-starter-${stack}`,
                    "*",
                ]);
            });
            it("has one access key (blue) whose secret is an additional secret output", () => {
                const keys = resourcesOfType(KEY);
                expect(keys.map((k) => k.name)).to.deep.equal([`${stack}-runtime-key-blue`]);
                expect(keys[0].inputs.user).to.equal(users[stack]);
                expect(keys[0].options.additionalSecretOutputs).to.include("secret");
            });
        });
    }

    it("adopts an existing user with `import` (same name, no tags to mismatch) and keeps it on destroy", async () => {
        await runStack("dev", { runtimeUserExists: "true" });
        const user = findResource(USER, "dev-runtime-user");
        expect(user.options.importId).to.equal("nextstack-saas-starter-s3-uploader");
        expect(user.options.retainOnDelete).to.equal(true);
        expect(user.inputs.tags).to.equal(undefined);
    });

    describe("key rotation", () => {
        async function build(keys: ("blue" | "green")[], active: "blue" | "green") {
            const ra = new RuntimeAccess(
                `rot-${keys.join("")}-${active}`,
                {
                    userName: "u",
                    bucketArn: "arn:aws:s3:::b",
                    repositoryArn: "arn:aws:ecr:r:1:repository/x",
                    accessKeys: keys,
                    activeKey: active,
                },
                { providers: [awsProvider(`rot-${keys.join("")}-${active}-aws`, "123456789012")] },
            );
            const id = await resolve(ra.activeAccessKeyId);
            const secret = await resolve(ra.activeSecretAccessKey);
            const secretIsSecret = await pulumi.isSecret(ra.activeSecretAccessKey);
            const idIsSecret = await pulumi.isSecret(ra.activeAccessKeyId);
            await settle();
            return { ra, id, secret, secretIsSecret, idIsSecret };
        }

        it("step 1 (add green): both keys exist, consumers still get blue", async () => {
            const { id, secret } = await build(["blue", "green"], "blue");
            expect(resourcesOfType(KEY).map((k) => k.name)).to.include.members([
                "rot-bluegreen-blue-key-blue",
                "rot-bluegreen-blue-key-green",
            ]);
            expect(id).to.match(/KEYBLUE$/);
            expect(secret).to.equal(`${ACCESS_KEY_SECRET_SENTINEL}-rot-bluegreen-blue-key-blue`);
        });
        it("step 2 (switch active): consumers get green; the secret stays a Pulumi secret, the id plain", async () => {
            const { id, secret, secretIsSecret, idIsSecret } = await build(["blue", "green"], "green");
            expect(id).to.match(/KEYGREEN$/);
            expect(secret).to.match(/key-green$/);
            expect(secretIsSecret).to.equal(true);
            expect(idIsSecret).to.equal(false);
        });
        it("step 3 (drop blue): only green remains", async () => {
            await build(["green"], "green");
            expect(
                resourcesOfType(KEY)
                    .filter((k) => k.name.startsWith("rot-green-green"))
                    .map((k) => k.name),
            ).to.deep.equal(["rot-green-green-key-green"]);
        });
        it("an active slot without a key is refused", () => {
            expect(
                () =>
                    new RuntimeAccess("bad", {
                        userName: "u",
                        bucketArn: "b",
                        repositoryArn: "r",
                        accessKeys: ["blue"],
                        activeKey: "green",
                    }),
            ).to.throw(/active key "green" is not one of blue/);
        });
        it("the whole program follows the active slot (exported key id, Dokploy host trigger)", async () => {
            const run = await runStack("qa", { runtimeAccessKeys: '["blue","green"]', activeRuntimeKey: "green" });
            expect(resourcesOfType(KEY).map((k) => k.name)).to.have.members([
                "qa-runtime-key-blue",
                "qa-runtime-key-green",
            ]);
            // The mock names each key id after its resource; what matters is that green's is the one passed on.
            expect(run.outputs.activeAccessKeyId).to.match(/KEYGREEN$/);
            const host = findResource("command:remote:Command", "qa-dokploy-host-ecr-login");
            expect((host.inputs.triggers as unknown[])[0]).to.equal(run.outputs.activeAccessKeyId);
            expect(String(host.inputs.stdin)).to.include("qa-runtime-key-green");
        });
    });
});
