import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { awsCredentialsFile, ecrLoginScripts, scriptHash } from "../components/dokployHost";
import { ACCESS_KEY_SECRET_SENTINEL, findResource, ProgramRun, resourcesOfType } from "./mocks";
import { committedStackRun } from "./helpers";
import { SENTINEL, SENTINEL_MARKERS } from "./stacks";

const COMMAND = "command:remote:Command";
const params = {
    profile: "nextstack-dev-ecr",
    region: "us-west-2",
    registryHost: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
};

describe("DokployHost", () => {
    // What the scripts do is proven by running them: test/hostScript.spec.ts (stand-ins) and
    // test/engine/dokployHost.spec.ts (a real Docker engine). These check what text alone can show.
    describe("ecrLoginScripts", () => {
        const s = ecrLoginScripts(params);

        it("are valid bash that stops at the first error, unset variable or failed pipe stage", () => {
            for (const text of [s.create, s.delete, s.login]) {
                execFileSync("bash", ["-n"], { input: text });
                expect(text).to.match(/^(#!\/bin\/bash\n(#.*\n)*)?set -euo pipefail\n/);
            }
        });
        it("contain no secret and no placeholder for one: the key arrives on stdin into a 0600 file", () => {
            for (const marker of SENTINEL_MARKERS) expect(s.create + s.delete).to.not.include(marker);
            expect(s.create).to.not.match(/aws_secret_access_key|AWS_SECRET_ACCESS_KEY|aws configure set/);
            expect(s.create).to.include(
                `install -m 600 /dev/null ${s.paths.credentials} && $SUDO tee ${s.paths.credentials}`,
            );
            expect(s.create.indexOf("tee")).to.be.lessThan(s.create.indexOf("install_aws_cli() {"));
        });
        it("install files on the real host's paths, the cron file under a name cron reads (no dots)", () => {
            expect(s.paths).to.deep.equal({
                credentials: "/etc/nextstack/nextstack-dev-ecr.credentials",
                loginScript: "/usr/local/sbin/nextstack-dev-ecr-login",
                cronFile: "/etc/cron.d/nextstack-dev-ecr-login",
                logFile: "/var/log/nextstack-dev-ecr-login.log",
            });
            expect(ecrLoginScripts({ ...params, profile: "a.b" }).paths.cronFile).to.equal("/etc/cron.d/a-b-login");
        });
        it("refuse values that would inject shell", () => {
            expect(() => ecrLoginScripts({ ...params, registryHost: "x; rm -rf /" })).to.throw(/registryHost/);
            expect(() => ecrLoginScripts({ ...params, profile: "$(id)" })).to.throw(/profile/);
            expect(() => ecrLoginScripts({ ...params, layout: { cronDir: "/etc/cron.d x" } })).to.throw(/cronDir/);
        });
        it("the credentials file carries the key under the profile", () => {
            expect(awsCredentialsFile("p", "AKIA1", "s3cr3t")).to.equal(
                "[p]\naws_access_key_id = AKIA1\naws_secret_access_key = s3cr3t\n",
            );
        });
        it("the script hash changes with the scripts", () => {
            expect(scriptHash(s)).to.not.equal(scriptHash(ecrLoginScripts({ ...params, region: "eu-west-1" })));
        });
    });

    const hosts = {
        dev: "dokploy-dev.nextstack-saas-starter.com",
        qa: "dokploy-qa.nextstack-saas-starter.com",
        prod: "dokploy-prod.nextstack-saas-starter.com",
    } as const;
    const accounts = { dev: "123456789012", qa: "222222222222", prod: "333333333333" } as const;
    for (const stack of ["dev", "qa", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            before(async () => {
                run = await committedStackRun(stack);
            });
            const cmd = () => findResource(COMMAND, `${stack}-dokploy-host-ecr-login`);

            it("connects over SSH with the pinned host key and the private key as a secret", () => {
                const connection = cmd().inputs.connection as Record<string, unknown>;
                expect(connection).to.deep.include({
                    host: hosts[stack],
                    port: 22,
                    user: "root",
                    privateKey: SENTINEL.sshPrivateKey,
                });
                expect(connection.hostKey).to.match(/^ssh-ed25519 AAAA\S+$/);
                expect(cmd().secretInputs.has("connection")).to.equal(true);
            });
            it("sends the active key on secret stdin only, never in the command text or environment", () => {
                const c = cmd();
                expect(c.secretInputs.has("stdin")).to.equal(true);
                expect(String(c.inputs.stdin))
                    .to.include(`[nextstack-${stack}-ecr]`)
                    .and.include(ACCESS_KEY_SECRET_SENTINEL);
                expect(String(c.inputs.create) + String(c.inputs.delete)).to.not.include(ACCESS_KEY_SECRET_SENTINEL);
                expect(c.inputs.environment).to.equal(undefined);
            });
            it("logs in to this environment's registry and re-runs when the key or the scripts change", () => {
                const c = cmd();
                expect(String(c.inputs.create)).to.include(
                    `registry=${accounts[stack]}.dkr.ecr.us-west-2.amazonaws.com\n`,
                );
                const expected = ecrLoginScripts({
                    profile: `nextstack-${stack}-ecr`,
                    region: "us-west-2",
                    registryHost: `${accounts[stack]}.dkr.ecr.us-west-2.amazonaws.com`,
                });
                expect(c.inputs.create).to.equal(expected.create);
                expect(c.inputs.triggers).to.deep.equal([run.outputs.activeAccessKeyId, scriptHash(expected)]);
            });
            it("logs in only after the runtime user's policy exists, not only its key", () => {
                const policy = findResource("aws:iam/userPolicy:UserPolicy", `${stack}-runtime-policy`);
                expect(cmd().dependencies).to.include(policy.urn);
            });
            it("keeps output out of logs and state, and deletes the old setup before creating the new one", () => {
                const c = cmd();
                expect(c.inputs.logging).to.equal("none");
                expect(c.options.additionalSecretOutputs).to.include.members(["stdout", "stderr"]);
                expect(c.options.deleteBeforeReplace).to.equal(true);
                expect(resourcesOfType(COMMAND)).to.have.length(1);
            });
        });
    }
});
