/**
 * Readiness, AWS part: each environment's credentials must reach its stack's account before any
 * preview. Real STS client (@aws-sdk/client-sts) against the loopback stand-in STS via the SDK's
 * AWS_ENDPOINT_URL_STS; profiles in temporary AWS config files.
 */
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { AccountMismatchError, verifyAccounts } from "../automation/accounts";
import { stsCallerIdentity } from "../automation/aws/callerIdentity";
import { allConfigReadiness, ConfigReadiness } from "../automation/readiness";
import { harness, Harness } from "./support/promoteHarness";
import { patchEnv, ProfileFiles, writeProfiles } from "./support/standInPulumi/awsProfiles";
import { StandInSts, startStandInSts } from "./support/standInPulumi/sts";

const PROFILES = { dev: "jesusidev-DEV", qa: "jesusidev-QA", prod: "jesusidev-PROD" } as const;

/** Gives each of the harness's stacks its own account id and profile. */
async function pinAccounts(h: Harness, accounts: Record<"dev" | "qa" | "prod", string>): Promise<void> {
    for (const env of ["dev", "qa", "prod"] as const) {
        const file = path.join(h.projectDir, `Pulumi.${env}.yaml`);
        const text = (await readFile(file, "utf8"))
            .replace(/nextstack:accountId: .*/, `nextstack:accountId: "${accounts[env]}"`)
            .replace(/config:\n/, `config:\n  aws:profile: ${PROFILES[env]}\n`);
        await writeFile(file, text);
    }
}

describe("readiness: each environment's credentials reach its own account", () => {
    let sts: StandInSts;
    let files: ProfileFiles;
    let restore: () => void;
    let h: Harness;
    let readiness: ConfigReadiness[];

    before(async () => {
        sts = await startStandInSts();
        sts.addKey("AKIADEV0000000000001", "111111111111");
        sts.addKey("AKIAQA00000000000002", "222222222222");
        sts.addKey("AKIAPROD000000000003", "333333333333");
        files = await writeProfiles({
            "jesusidev-DEV": "AKIADEV0000000000001",
            // Misconfigured: QA's profile holds a key of the dev account.
            "jesusidev-QA": "AKIADEV0000000000001",
            "jesusidev-PROD": "AKIAEXPIRED000000003",
        });
        restore = patchEnv({ ...files.env, AWS_ENDPOINT_URL_STS: sts.url, AWS_PROFILE: "jesusidev-PROD" });
        h = await harness();
        await pinAccounts(h, { dev: "111111111111", qa: "222222222222", prod: "333333333333" });
        readiness = await allConfigReadiness(h.projectDir);
    });
    after(async () => {
        restore();
        await h.dispose();
        await files.remove();
        await sts.close();
    });

    it("passes an environment whose profile reaches its account", async () => {
        expect(await verifyAccounts(readiness, ["dev"], stsCallerIdentity)).to.equal(
            "dev 111111111111 (jesusidev-DEV)",
        );
    });

    it("stops at a profile that reaches another account, naming profile, account reached and fix", async () => {
        const err = await verifyAccounts(readiness, ["dev", "qa", "prod"], stsCallerIdentity).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(AccountMismatchError);
        const e = err as AccountMismatchError;
        expect(e.env).to.equal("qa");
        expect(e.message).to.equal(
            'qa: the AWS profile "jesusidev-QA" reaches account 111111111111 (arn:aws:iam::111111111111:user/AKIADEV0000000000001), not 222222222222 (accountId in Pulumi.qa.yaml).',
        );
        expect(e.next).to.include("pulumi config set aws:profile <the profile of account 222222222222> -s qa");
    });

    it("says how to sign in again when a profile's credentials are refused", async () => {
        const err = (await verifyAccounts(readiness, ["prod"], stsCallerIdentity).catch((e: unknown) => e)) as Error & {
            next?: string;
        };
        expect(err.message).to.equal(
            'prod: the AWS profile "jesusidev-PROD" could not reach AWS: InvalidClientTokenId: The security token included in the request is invalid.',
        );
        expect(err.next).to.match(/^aws sso login --profile jesusidev-PROD /);
    });

    it("--plan shows each environment's profile, offline", async () => {
        const r = await h.run(["--plan"]);
        expect(r.exitCode).to.equal(0);
        const row = r.output.split("\n").find((l) => l.startsWith("| AWS profile"));
        expect(row).to.match(/\| AWS profile\s+\| jesusidev-DEV\s+\| jesusidev-QA\s+\| jesusidev-PROD\s+\|/);
        expect(h.engine.calls).to.deep.equal([]);
    });
});
