/**
 * The explicit aws.Provider under Pulumi mocks: each stack's profile and optional role reach the
 * provider, and allowedAccountIds stays the guard. Without a profile (CI with OIDC) the provider
 * gets no profile, so the job's ambient credentials are used.
 */
import { expect } from "chai";
import { findResource, ProgramRun } from "./mocks";
import { runStack } from "./helpers";

describe("explicit AWS provider: profile and role per stack", () => {
    it("qa's provider uses qa's profile and role, pinned to qa's account", async () => {
        const run: ProgramRun = await runStack("qa", {
            "aws:profile": "jesusidev-QA",
            assumeRoleArn: "arn:aws:iam::222222222222:role/PulumiDeploy",
        });
        const p = findResource("pulumi:providers:aws", "qa-aws");
        expect(p.inputs.profile).to.equal("jesusidev-QA");
        expect(JSON.parse(String(p.inputs.assumeRoles))).to.deep.equal([
            { roleArn: "arn:aws:iam::222222222222:role/PulumiDeploy", sessionName: "nextstack-qa" },
        ]);
        expect(JSON.parse(String(p.inputs.allowedAccountIds))).to.deep.equal(["222222222222"]);
        expect(run.outputs.accountId).to.equal("222222222222");
    });

    it("without aws:profile the provider names no profile and assumes no role", async () => {
        await runStack("prod", {});
        const p = findResource("pulumi:providers:aws", "prod-aws");
        expect(p.inputs.profile).to.equal(undefined);
        expect(p.inputs.assumeRoles).to.equal(undefined);
        expect(JSON.parse(String(p.inputs.allowedAccountIds))).to.deep.equal(["333333333333"]);
    });
});
