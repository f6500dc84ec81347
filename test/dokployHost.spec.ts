import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { awsCredentialsFile, ecrLoginScripts, scriptHash } from "../components/dokployHost";
import { ACCESS_KEY_SECRET_SENTINEL, findResource, ProgramRun, resourcesOfType } from "./mocks";
import { runStack } from "./helpers";
import { SENTINEL, SENTINEL_MARKERS } from "./stacks";

const COMMAND = "command:remote:Command";
const params = {
    profile: "nextstack-dev-ecr",
    region: "us-west-2",
    registryHost: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
};

describe("DokployHost", () => {
    describe("ecrLoginScripts", () => {
        const s = ecrLoginScripts(params);

        it("are valid POSIX shell (sh -n) and stop at the first error (set -eu)", () => {
            for (const text of [s.create, s.delete]) {
                execFileSync("sh", ["-n"], { input: text });
                expect(text.split("\n")[0]).to.equal("set -eu");
            }
        });
        it("contain no secret and no placeholder for one: the key arrives on stdin into a 0600 file", () => {
            for (const marker of SENTINEL_MARKERS) expect(s.create + s.delete).to.not.include(marker);
            expect(s.create).to.not.match(/aws_secret_access_key|AWS_SECRET_ACCESS_KEY|aws configure set/);
            expect(s.create).to.include(`install -m 600 /dev/stdin ${s.paths.credentials}`);
            expect(s.create.indexOf("/dev/stdin")).to.be.lessThan(s.create.indexOf("install_aws_cli() {"));
        });
        it("install the AWS CLI only when absent, then overwrite files in place (safe to run again)", () => {
            expect(s.create).to.include("command -v aws >/dev/null 2>&1 || install_aws_cli");
            expect(s.create).to.not.match(/>>/);
            expect(s.create).to.not.include("crontab");
        });
        it("log Docker in to this registry with the dedicated profile, and refresh it from /etc/cron.d every 6 hours", () => {
            expect(s.create).to.include(
                `aws ecr get-login-password --profile nextstack-dev-ecr --region us-west-2 | docker login --username AWS --password-stdin ${params.registryHost}`,
            );
            expect(s.paths.cronFile).to.equal("/etc/cron.d/nextstack-dev-ecr-login");
            expect(s.paths.cronFile.split("/").pop()).to.not.include(".");
            expect(s.create).to.match(
                /'17 \*\/6 \* \* \* root \/usr\/local\/sbin\/nextstack-dev-ecr-login >\/dev\/null 2>&1'/,
            );
            expect(s.create).to.include(`install -m 644 /dev/stdin ${s.paths.cronFile}`);
        });
        it("delete removes the cron file, the login script and the profile's credentials", () => {
            expect(s.delete).to.include(`rm -f ${s.paths.cronFile} ${s.paths.loginScript} ${s.paths.credentials}`);
        });
        it("refuse values that would inject shell", () => {
            expect(() => ecrLoginScripts({ ...params, registryHost: "x; rm -rf /" })).to.throw(/registryHost/);
            expect(() => ecrLoginScripts({ ...params, profile: "$(id)" })).to.throw(/profile/);
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
                run = await runStack(stack);
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
                    `--password-stdin ${accounts[stack]}.dkr.ecr.us-west-2.amazonaws.com`,
                );
                const expected = ecrLoginScripts({
                    profile: `nextstack-${stack}-ecr`,
                    region: "us-west-2",
                    registryHost: `${accounts[stack]}.dkr.ecr.us-west-2.amazonaws.com`,
                });
                expect(c.inputs.create).to.equal(expected.create);
                expect(c.inputs.triggers).to.deep.equal([run.outputs.activeAccessKeyId, scriptHash(expected)]);
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
