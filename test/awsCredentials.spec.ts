/**
 * awsClientConfigFor / engineEnvFor: a profile reaches its own account through the SDK's
 * standard endpoint setting (AWS_ENDPOINT_URL_STS → loopback stand-in STS), a role is assumed
 * with the profile's credentials, and an engine run never inherits the shell's credentials.
 */
import { expect } from "chai";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AccountMismatchError, verifyAccount } from "../automation/accounts";
import { stsCallerIdentity } from "../automation/aws/callerIdentity";
import { awsClientConfigFor } from "../automation/aws/credentials";
import { engineEnvFor } from "../automation/aws/engineEnv";
import { patchEnv, ProfileFiles, writeProfiles, writeSsoProfile } from "./support/standInPulumi/awsProfiles";
import { StandInSso, startStandInSso } from "./support/standInPulumi/sso";
import { StandInSts, startStandInSts } from "./support/standInPulumi/sts";

describe("AWS credentials per environment", () => {
    let sts: StandInSts;
    let files: ProfileFiles;
    let restore: () => void;

    before(async () => {
        sts = await startStandInSts();
        sts.addKey("AKIADEV0000000000001", "111111111111");
        sts.addKey("AKIAQA00000000000002", "222222222222");
        files = await writeProfiles({
            "jesusidev-DEV": "AKIADEV0000000000001",
            "jesusidev-QA": "AKIAQA00000000000002",
        });
        restore = patchEnv({
            ...files.env,
            AWS_ENDPOINT_URL_STS: sts.url,
            // The user's shell: these must not win over the profile asked for.
            AWS_PROFILE: "jesusidev-QA",
            AWS_ACCESS_KEY_ID: "AKIASHELL00000000000",
            AWS_SECRET_ACCESS_KEY: "shell-secret",
        });
    });
    after(async () => {
        restore();
        await files.remove();
        await sts.close();
    });

    const accountOf = async (access: Parameters<typeof awsClientConfigFor>[0]) => {
        const client = new STSClient(awsClientConfigFor(access));
        try {
            return await client.send(new GetCallerIdentityCommand({}));
        } finally {
            client.destroy();
        }
    };

    it("reaches each profile's own account, whatever the shell exports", async () => {
        expect((await accountOf({ region: "us-west-2", profile: "jesusidev-DEV" })).Account).to.equal("111111111111");
        expect((await accountOf({ region: "us-west-2", profile: "jesusidev-QA" })).Account).to.equal("222222222222");
        expect(sts.calls.map((c) => c.accessKeyId)).to.deep.equal(["AKIADEV0000000000001", "AKIAQA00000000000002"]);
    });

    it("assumes the stack's role with the profile's credentials", async () => {
        sts.calls.length = 0;
        const id = await accountOf({
            region: "us-west-2",
            profile: "jesusidev-DEV",
            assumeRoleArn: "arn:aws:iam::333333333333:role/PulumiDeploy",
        });
        expect(id.Account).to.equal("333333333333");
        expect(id.Arn).to.equal("arn:aws:sts::333333333333:assumed-role/PulumiDeploy/nextstack-promote");
        expect(sts.calls[0]).to.deep.equal({
            action: "AssumeRole",
            accessKeyId: "AKIADEV0000000000001",
            roleArn: "arn:aws:iam::333333333333:role/PulumiDeploy",
        });
    });

    it("names an unknown key's failure as STS does", async () => {
        const restoreKey = patchEnv({ AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: "AKIAUNKNOWN000000000" });
        try {
            await accountOf({ region: "us-west-2" });
            expect.fail("expected InvalidClientTokenId");
        } catch (err) {
            expect((err as Error).name).to.equal("InvalidClientTokenId");
        } finally {
            restoreKey();
        }
    });

    it("gives an engine run exactly its profile and region, removing the shell's credentials", () => {
        const shell = {
            AWS_PROFILE: "jesusidev-DEV",
            AWS_ACCESS_KEY_ID: "AKIASHELL00000000000",
            AWS_SECRET_ACCESS_KEY: "x",
            AWS_SESSION_TOKEN: "y",
            AWS_DEFAULT_PROFILE: "other",
            AWS_CONFIG_FILE: "/home/me/.aws/config",
            HOME: "/home/me",
        };
        expect(engineEnvFor({ region: "eu-west-1", profile: "jesusidev-QA" }, shell)).to.deep.equal({
            AWS_PROFILE: "jesusidev-QA",
            AWS_REGION: "eu-west-1",
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
            AWS_SESSION_TOKEN: undefined,
            AWS_DEFAULT_PROFILE: undefined,
        });
        // No profile (CI with OIDC): the job's credentials are the identity, allowedAccountIds the guard.
        expect(engineEnvFor({ region: "eu-west-1" }, shell)).to.deep.equal({ AWS_REGION: "eu-west-1" });
    });
});

describe("AWS credentials through an SSO profile", () => {
    let sts: StandInSts;
    let sso: StandInSso;
    let home: string;
    let restore: () => void;
    const qa = { profile: "jesusidev-QA", session: "jesusidev", account: "222222222222", role: "AdministratorAccess" };

    before(async () => {
        sts = await startStandInSts();
        sso = await startStandInSso();
        home = await mkdtemp(path.join(tmpdir(), "creds-home-"));
        const config = await writeSsoProfile(home, qa, "token-from-aws-sso-login", new Date(Date.now() + 3600_000));
        restore = patchEnv({
            HOME: home,
            AWS_CONFIG_FILE: config,
            AWS_SHARED_CREDENTIALS_FILE: path.join(home, ".aws", "credentials"),
            AWS_ENDPOINT_URL_STS: sts.url,
            AWS_ENDPOINT_URL_SSO: sso.url,
            AWS_PROFILE: undefined,
            AWS_ACCESS_KEY_ID: undefined,
            AWS_SECRET_ACCESS_KEY: undefined,
        });
    });
    after(async () => {
        restore();
        await rm(home, { recursive: true, force: true });
        await sso.close();
        await sts.close();
    });

    it("signed in: the profile's role credentials reach its account", async () => {
        sso.addToken("token-from-aws-sso-login", qa.account, qa.role, "ASIASSOQA00000000001");
        sts.addKey("ASIASSOQA00000000001", qa.account);
        const id = await verifyAccount(
            "qa",
            { region: "us-west-2", profile: qa.profile, accountId: qa.account },
            stsCallerIdentity,
        );
        expect(id.account).to.equal(qa.account);
    });

    it("session expired: readiness names the profile and says `aws sso login --profile`", async () => {
        await writeSsoProfile(
            path.join(home, "expired"),
            { ...qa, profile: "jesusidev-QA-expired", session: "expired" },
            "old-token",
            new Date(Date.now() - 60_000),
        );
        // The second profile lives in its own config file; point at it.
        const back = patchEnv({
            AWS_CONFIG_FILE: path.join(home, "expired", ".aws", "config"),
            HOME: path.join(home, "expired"),
        });
        try {
            const err = (await verifyAccount(
                "qa",
                { region: "us-west-2", profile: "jesusidev-QA-expired", accountId: qa.account },
                stsCallerIdentity,
            ).catch((e: unknown) => e)) as AccountMismatchError;
            expect(err).to.be.instanceOf(AccountMismatchError);
            // The SDK's own words (it cannot refresh a cached token without the client registration).
            expect(err.message).to.match(
                /^qa: the AWS profile "jesusidev-QA-expired" could not reach AWS: CredentialsProviderError: .*run 'aws sso login'/,
            );
            expect(err.next).to.match(/^aws sso login --profile jesusidev-QA-expired /);
        } finally {
            back();
        }
    });
});
