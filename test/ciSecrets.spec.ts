import { expect } from "chai";
import { findResource, githubUserId, resourcesOfType, allInvocations, ProgramRun } from "./mocks";
import { ciSecretNames } from "../components/ciSecrets";
import { committedStackRun, runStack } from "./helpers";
import { SENTINEL } from "./stacks";

const SECRET = "github:index/actionsSecret:ActionsSecret";
const GH_ENV = "github:index/repositoryEnvironment:RepositoryEnvironment";

describe("CiSecrets", () => {
    it("uses the guide's exact secret names per environment", () => {
        expect(Object.values(ciSecretNames("qa"))).to.deep.equal([
            "AWS_OIDC_ROLE_ARN_QA",
            "DOKPLOY_QA_URL",
            "DOKPLOY_QA_TOKEN",
            "DOKPLOY_QA_APP_ID",
            "DOKPLOY_QA_APP_URL",
            "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY_QA",
            "CLERK_SECRET_KEY_QA",
        ]);
    });

    const accounts = { dev: "123456789012", qa: "222222222222", prod: "333333333333" } as const;
    const titles = { dev: "Dev", qa: "QA", prod: "Prod" } as const;
    const domains = {
        dev: "dev.nextstack-saas-starter.com",
        qa: "qa.nextstack-saas-starter.com",
        prod: "nextstack-saas-starter.com",
    } as const;
    // The committed dev key and the values test/stacks.ts completes qa and prod with.
    const publishableKeys = {
        dev: "pk_test_ZXhhbXBsZS5jbGVyay5hY2NvdW50cy5kZXYk",
        qa: "pk_live_cWEuY2xlcmsuZXhhbXBsZSQ",
        prod: "pk_live_cHJvZC5jbGVyay5leGFtcGxlJA",
    } as const;
    for (const stack of ["dev", "qa", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            before(async () => {
                run = await committedStackRun(stack);
            });
            const ENV = stack.toUpperCase();

            it("writes each secret into the app repository, through `value`, as a Pulumi secret", () => {
                const secrets = resourcesOfType(SECRET);
                expect(secrets.map((s) => s.inputs.secretName)).to.have.members(Object.values(ciSecretNames(stack)));
                for (const s of secrets) {
                    expect(s.inputs.repository, s.name).to.equal("nextstack-saas-starter");
                    expect(s.secretInputs.has("value"), `${s.name}.value secret`).to.equal(true);
                    expect(s.inputs.plaintextValue, s.name).to.equal(undefined);
                    expect(s.inputs.encryptedValue, s.name).to.equal(undefined);
                }
            });
            it("carries the values the app's workflows need", () => {
                const value = (n: string) =>
                    resourcesOfType(SECRET).find((s) => s.inputs.secretName === n)?.inputs.value;
                expect(value(`AWS_OIDC_ROLE_ARN_${ENV}`)).to.equal(
                    `arn:aws:iam::${accounts[stack]}:role/GitHubActionsECRPush-${titles[stack]}`,
                );
                expect(value(`DOKPLOY_${ENV}_URL`)).to.equal(`https://dokploy-${stack}.nextstack-saas-starter.com`);
                expect(value(`DOKPLOY_${ENV}_TOKEN`)).to.equal(SENTINEL.dokployApiToken);
                expect(value(`CLERK_SECRET_KEY_${ENV}`)).to.equal(SENTINEL.clerkSecretKey);
                expect(value(`NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY_${ENV}`)).to.equal(publishableKeys[stack]);
                expect(value(`DOKPLOY_${ENV}_APP_URL`)).to.equal(`https://${domains[stack]}`);
                // Dokploy's id for the application (whatever the server answered) is what the workflow gets.
                expect(value(`DOKPLOY_${ENV}_APP_ID`))
                    .to.be.a("string")
                    .and.equal(run.outputs.dokployApplicationId);
                expect(run.outputs.dokployApplicationId).to.not.equal("");
            });
            it("uses the GitHub provider owned by the app repository's owner", () => {
                const provider = run.registrations.find((r) => r.type === "pulumi:providers:github");
                expect(provider?.inputs.owner).to.equal("your-username");
                for (const s of resourcesOfType(SECRET))
                    expect(s.provider.startsWith(`${provider?.urn}::`), s.name).to.equal(true);
            });
            if (stack === "prod") {
                it("protects the `prod` GitHub environment: reviewers by user id, no self-review, protected branches", () => {
                    const e = findResource(GH_ENV, "prod-ci-secrets-prod-environment");
                    expect(e.inputs).to.deep.include({
                        repository: "nextstack-saas-starter",
                        environment: "prod",
                        preventSelfReview: true,
                    });
                    expect(e.inputs.reviewers).to.deep.equal([{ users: [githubUserId("alice"), githubUserId("bob")] }]);
                    expect(e.inputs.deploymentBranchPolicy).to.deep.equal({
                        protectedBranches: true,
                        customBranchPolicies: false,
                    });
                    const lookups = allInvocations()
                        .filter((i) => i.token === "github:index/getUser:getUser")
                        .map((i) => i.inputs.username);
                    expect(lookups).to.have.members(["alice", "bob"]);
                });
            } else {
                it("creates no GitHub environment outside prod", () => {
                    expect(resourcesOfType(GH_ENV)).to.deep.equal([]);
                });
            }
        });
    }

    it("passes github:token to the provider as a secret when it is configured", async () => {
        const run = await runProgramWithToken();
        const provider = run.registrations.find((r) => r.type === "pulumi:providers:github");
        expect(provider?.inputs.token).to.equal(SENTINEL.githubToken);
        expect(provider?.secretInputs.has("token")).to.equal(true);
    });
});

async function runProgramWithToken(): Promise<ProgramRun> {
    return runStack("dev", { "github:token": SENTINEL.githubToken });
}
