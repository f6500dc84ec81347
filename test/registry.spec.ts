import { expect } from "chai";
import { findResource, resetRegistrations, resolve, settle } from "./mocks";
import { ImageRegistry, lifecyclePolicyDocument } from "../components/registry";
import { awsProvider, providerReference } from "./helpers";

describe("ImageRegistry", () => {
    beforeEach(resetRegistrations);

    async function build(env: "dev" | "qa" | "prod") {
        const provider = awsProvider(`${env}-aws`, "123456789012");
        const prod = env === "prod";
        const registry = new ImageRegistry(
            `${env}-registry`,
            {
                target: { accountId: "123456789012", region: "us-west-2" },
                repositoryName: `nextstack-saas-starter-${env}`,
                untaggedExpiryDays: 14,
                keepVersionImages: 20,
                forceDelete: !prod,
                protect: prod,
            },
            { providers: [provider] },
        );
        const url = await resolve(registry.repositoryUrl);
        const arn = await resolve(registry.arn);
        await settle();
        return { registry, provider, url, arn };
    }

    it("creates <app>-<env> scanned on push, AES256, immutable except `latest`", async () => {
        const { url, arn, provider } = await build("dev");
        const repo = findResource("aws:ecr/repository:Repository", "dev-registry-repository");
        expect(repo.inputs.name).to.equal("nextstack-saas-starter-dev");
        expect(repo.inputs.imageScanningConfiguration).to.deep.equal({ scanOnPush: true });
        expect(repo.inputs.encryptionConfigurations).to.deep.equal([{ encryptionType: "AES256" }]);
        expect(repo.inputs.imageTagMutability).to.equal("IMMUTABLE_WITH_EXCLUSION");
        expect(repo.inputs.imageTagMutabilityExclusionFilters).to.deep.equal([
            { filterType: "WILDCARD", filter: "latest" },
        ]);
        expect(url).to.equal("123456789012.dkr.ecr.us-west-2.amazonaws.com/nextstack-saas-starter-dev");
        expect(arn).to.equal("arn:aws:ecr:us-west-2:123456789012:repository/nextstack-saas-starter-dev");
        expect(repo.provider).to.equal(await providerReference(provider));
        expect(repo.parent).to.match(/nextstack:aws:ImageRegistry::dev-registry$/);
    });

    for (const env of ["dev", "qa"] as const) {
        it(`${env}: a destroy may delete the repository (forceDelete, not protected)`, async () => {
            await build(env);
            const repo = findResource("aws:ecr/repository:Repository", `${env}-registry-repository`);
            expect(repo.inputs.forceDelete).to.equal(true);
            expect(repo.options.protect).to.equal(false);
        });
    }

    it("prod: released images survive a destroy (no forceDelete, protected)", async () => {
        await build("prod");
        const repo = findResource("aws:ecr/repository:Repository", "prod-registry-repository");
        expect(repo.inputs.forceDelete).to.equal(false);
        expect(repo.options.protect).to.equal(true);
    });

    it("attaches the lifecycle policy to this repository with the configured counts", async () => {
        await build("qa");
        const policy = findResource("aws:ecr/lifecyclePolicy:LifecyclePolicy", "qa-registry-lifecycle");
        expect(policy.inputs.repository).to.equal("nextstack-saas-starter-qa");
        // The name comes from config, so the order comes from dependsOn: the repository exists first.
        expect(policy.dependencies).to.include(
            findResource("aws:ecr/repository:Repository", "qa-registry-repository").urn,
        );
        // Written out, not recomputed with lifecyclePolicyDocument(): the policy ECR receives, literally.
        expect(policy.inputs.policy).to.deep.equal({
            rules: [
                {
                    rulePriority: 1,
                    description: "Expire untagged images after 14 days",
                    selection: {
                        tagStatus: "untagged",
                        countType: "sinceImagePushed",
                        countUnit: "days",
                        countNumber: 14,
                    },
                    action: { type: "expire" },
                },
                {
                    rulePriority: 2,
                    description: "Keep the last 20 v* images",
                    selection: {
                        tagStatus: "tagged",
                        tagPrefixList: ["v"],
                        countType: "imageCountMoreThan",
                        countNumber: 20,
                    },
                    action: { type: "expire" },
                },
            ],
        });
    });

    describe("lifecyclePolicyDocument", () => {
        it("expires untagged after N days, then keeps the last N v* images, in ascending priority", () => {
            const doc = lifecyclePolicyDocument(7, 15);
            const rules = doc.rules;
            expect(rules.map((r) => r.rulePriority)).to.deep.equal([1, 2]);
            expect(rules[0].selection).to.deep.include({
                tagStatus: "untagged",
                countType: "sinceImagePushed",
                countUnit: "days",
                countNumber: 7,
            });
            expect(rules[1].selection).to.deep.include({
                tagStatus: "tagged",
                tagPrefixList: ["v"],
                countType: "imageCountMoreThan",
                countNumber: 15,
            });
            expect(rules.every((r) => r.action.type === "expire")).to.equal(true);
        });
        it("never selects `latest` or any tagged image other than v*", () => {
            const rules = lifecyclePolicyDocument(14, 20).rules;
            const tagged = rules.filter((r) => r.selection.tagStatus !== "untagged");
            expect(tagged.every((r) => JSON.stringify(r.selection.tagPrefixList) === '["v"]')).to.equal(true);
            expect(rules.map((r) => r.selection.tagStatus)).to.not.include("any");
        });
    });
});
