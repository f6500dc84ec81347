/**
 * The DokployHost scripts, executed: real bash runs the create, cron and delete scripts the
 * component sends over SSH, against stand-in `aws`, `docker` and `sleep` executables first on
 * PATH (test/support/hostStandIns, each says which real behaviour it copies). Files land in a
 * temp folder laid out like the host. The real engine version is test/engine/dokployHost.spec.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { awsCredentialsFile, ecrLoginScripts, type EcrLoginScripts } from "../components/dokployHost";
import { LOGIN_RETRY } from "../components/dokployHost/loginScript";
import { parseCronFile, type RunResult, StandInHost } from "./support/hostStandIns";

const REGISTRY = "123456789012.dkr.ecr.us-west-2.amazonaws.com";
const PROFILE = "nextstack-dev-ecr";
const KEY_ID = "AKIAHOSTSCRIPTTEST01";
const KEY_SECRET = "host-script-key-secret-SENTINEL";
const PASSWORD = "ecr-password-SENTINEL-eyJwYXlsb2FkIjoi";
const SECRETS = [KEY_SECRET, PASSWORD];
const OTHER_REGISTRY = "ghcr.io";
const OTHER_AUTH = { auth: Buffer.from("someone:else").toString("base64") };

const expectedAuth = { auth: Buffer.from(`AWS:${PASSWORD}`).toString("base64") };

describe("DokployHost scripts, run by bash against stand-in aws and docker", function () {
    // Each stand-in call starts node (~50 ms, more on a busy machine); a permanent refusal makes about 20.
    this.timeout(60_000);

    let host: StandInHost;
    let scripts: EcrLoginScripts;
    let dokployConfig: string;
    let rootConfig: string;

    const create = (stdin = awsCredentialsFile(PROFILE, KEY_ID, KEY_SECRET)): RunResult =>
        host.bash(scripts.create, { stdin });
    const remove = (): RunResult => host.bash(scripts.delete);
    const installed = (): string[] =>
        [scripts.paths.credentials, scripts.paths.loginScript, scripts.paths.cronFile].filter((p) => fs.existsSync(p));
    const expectNoSecretIn = (...texts: string[]): void => {
        for (const text of texts) for (const secret of SECRETS) expect(text).to.not.include(secret);
    };

    beforeEach(() => {
        host = new StandInHost();
        dokployConfig = path.join(host.dir, "var/lib/docker/volumes/dokploy-docker-config/_data");
        rootConfig = path.join(host.home, ".docker");
        fs.mkdirSync(dokployConfig, { recursive: true });
        // Dokploy's own logins (registries set up in its UI) share the file and must survive.
        fs.writeFileSync(
            path.join(dokployConfig, "config.json"),
            JSON.stringify({ auths: { [OTHER_REGISTRY]: OTHER_AUTH } }),
        );
        host.docker({
            volumes: { "dokploy-docker-config": dokployConfig },
            registries: { [REGISTRY]: { username: "AWS", password: PASSWORD } },
        });
        host.aws({ password: PASSWORD });
        scripts = ecrLoginScripts({
            profile: PROFILE,
            region: "us-west-2",
            registryHost: REGISTRY,
            layout: host.layout,
        });
    });
    afterEach(() => host.remove());

    describe("create", () => {
        it("logs Docker in to the registry in Dokploy's config (the volume) and in root's, keeping other logins", () => {
            const r = create();
            expect(r.status, r.stderr).to.equal(0);
            expect(host.readConfig(dokployConfig)?.auths).to.deep.equal({
                [OTHER_REGISTRY]: OTHER_AUTH,
                [REGISTRY]: expectedAuth,
            });
            expect(host.readConfig(rootConfig)?.auths).to.deep.equal({ [REGISTRY]: expectedAuth });
            expect(r.stdout).to.include(`Docker logged in to ${REGISTRY} for Dokploy (${dokployConfig}/config.json)`);
        });

        it("asks ECR with the dedicated profile from its own credentials file, and hands the password to docker on stdin only", () => {
            create();
            const [aws] = host.calls("aws");
            expect(aws.argv).to.deep.equal([
                "ecr",
                "get-login-password",
                "--profile",
                PROFILE,
                "--region",
                "us-west-2",
            ]);
            expect(aws.env.AWS_SHARED_CREDENTIALS_FILE).to.equal(scripts.paths.credentials);
            expect(aws.env.AWS_CONFIG_FILE).to.equal("/dev/null");
            const logins = host.calls("docker").filter((c) => c.argv.includes("login"));
            expect(logins.map((c) => c.argv)).to.deep.equal([
                ["--config", dokployConfig, "login", "--username", "AWS", "--password-stdin", REGISTRY],
                ["login", "--username", "AWS", "--password-stdin", REGISTRY],
            ]);
            expect(logins.map((c) => c.stdin)).to.deep.equal([PASSWORD, PASSWORD]);
            // root's login goes to $HOME/.docker even when the session has DOCKER_CONFIG set.
            expect(logins[1].env.DOCKER_CONFIG).to.equal(undefined);
        });

        it("stores the key only in a 0600 file in a 0700 folder; nothing secret in argv, scripts or output", () => {
            const r = create();
            expect(fs.readFileSync(scripts.paths.credentials, "utf8")).to.equal(
                awsCredentialsFile(PROFILE, KEY_ID, KEY_SECRET),
            );
            expect(fs.statSync(scripts.paths.credentials).mode & 0o777).to.equal(0o600);
            expect(fs.statSync(host.layout.configDir).mode & 0o777).to.equal(0o700);
            expect(fs.statSync(scripts.paths.loginScript).mode & 0o777).to.equal(0o700);
            expect(fs.statSync(scripts.paths.cronFile).mode & 0o777).to.equal(0o644);
            expectNoSecretIn(
                r.stdout,
                r.stderr,
                JSON.stringify(host.calls().map((c) => c.argv)),
                fs.readFileSync(scripts.paths.loginScript, "utf8"),
                fs.readFileSync(scripts.paths.cronFile, "utf8"),
            );
        });

        it("waits out IAM propagation: two refusals, backoff 2 s then 4 s, then logs in", () => {
            host.aws({ password: PASSWORD, refusals: ["UnrecognizedClientException", "AccessDeniedException"] });
            const r = create();
            expect(r.status, r.stderr).to.equal(0);
            expect(host.calls("aws")).to.have.length(3);
            expect(host.calls("sleep").map((c) => c.argv)).to.deep.equal([["2"], ["4"]]);
            expect(r.stderr).to.include("attempt 1 of 8").and.include("UnrecognizedClientException");
            expect(host.readConfig(dokployConfig)?.auths?.[REGISTRY]).to.deep.equal(expectedAuth);
        });

        it("gives up after a bounded number of refusals, with ECR's own message, and leaves nothing behind", () => {
            host.aws({ password: PASSWORD, refuseAlways: "AccessDeniedException" });
            const r = create();
            expect(r.status).to.not.equal(0);
            expect(host.calls("aws")).to.have.length(LOGIN_RETRY.attempts);
            const waits = host.calls("sleep").map((c) => Number(c.argv[0]));
            expect(waits).to.deep.equal([2, 4, 8, 16, 30, 30, 30]);
            expect(r.stderr)
                .to.include(`ECR login for ${REGISTRY} failed: ECR refused the key 8 times over 120s`)
                .and.include("not authorized to perform: ecr:GetAuthorizationToken");
            expectNoSecretIn(r.stdout, r.stderr);
            expect(host.readConfig(dokployConfig)?.auths).to.deep.equal({ [OTHER_REGISTRY]: OTHER_AUTH });
            expect(host.readConfig(rootConfig)).to.equal(undefined);
            expect(installed()).to.deep.equal([]);
        });

        it("fails at once, with the AWS CLI's message, on an error that waiting cannot fix", () => {
            // A credentials file without the profile: the real CLI exits 253 "could not be found".
            const r = create(awsCredentialsFile("another-profile", KEY_ID, KEY_SECRET));
            expect(r.status).to.not.equal(0);
            expect(host.calls("aws")).to.have.length(1);
            expect(host.calls("sleep")).to.deep.equal([]);
            expect(r.stderr).to.include(`The config profile (${PROFILE}) could not be found`);
            expect(installed()).to.deep.equal([]);
        });

        it("says Dokploy's volume is missing, without asking ECR or touching any config", () => {
            host.docker({ volumes: {}, registries: { [REGISTRY]: { username: "AWS", password: PASSWORD } } });
            const r = create();
            expect(r.status).to.not.equal(0);
            expect(r.stderr)
                .to.include("no Docker volume dokploy-docker-config")
                .and.include("is Dokploy installed on this host?")
                .and.include("no such volume");
            expect(host.calls("aws")).to.deep.equal([]);
            expect(host.readConfig(rootConfig)).to.equal(undefined);
            expect(installed()).to.deep.equal([]);
        });

        it("reports a registry that refuses the password, without printing it", () => {
            host.docker({
                volumes: { "dokploy-docker-config": dokployConfig },
                registries: { [REGISTRY]: { username: "AWS", password: "a-different-password" } },
            });
            const r = create();
            expect(r.status).to.not.equal(0);
            expect(r.stderr).to.include(`docker login for Dokploy (${dokployConfig})`).and.include("401 Unauthorized");
            expectNoSecretIn(r.stdout, r.stderr);
        });

        it("can run again with the same result (a re-run or a key rotation's new create)", () => {
            expect(create().status).to.equal(0);
            const first = installed().map((p) => fs.readFileSync(p, "utf8"));
            const r = create(awsCredentialsFile(PROFILE, "AKIAROTATEDKEY000002", KEY_SECRET));
            expect(r.status, r.stderr).to.equal(0);
            expect(installed().map((p) => fs.readFileSync(p, "utf8"))).to.deep.equal([
                awsCredentialsFile(PROFILE, "AKIAROTATEDKEY000002", KEY_SECRET),
                ...first.slice(1),
            ]);
            expect(host.readConfig(dokployConfig)?.auths).to.deep.equal({
                [OTHER_REGISTRY]: OTHER_AUTH,
                [REGISTRY]: expectedAuth,
            });
            expect(host.readConfig(rootConfig)?.auths).to.deep.equal({ [REGISTRY]: expectedAuth });
        });
    });

    describe("the cron file", () => {
        it("is a valid /etc/cron.d file: no dots in its name, a user field, PATH, a trailing newline", () => {
            create();
            expect(path.basename(scripts.paths.cronFile)).to.match(/^[A-Za-z0-9_-]+$/);
            const job = parseCronFile(fs.readFileSync(scripts.paths.cronFile, "utf8"));
            expect(job.schedule).to.equal("17 */6 * * *");
            expect(job.user).to.equal("root");
            expect(job.variables.PATH).to.include("/usr/local/bin").and.include("/usr/bin");
        });

        it("its job, run as cron runs it, renews both logins and keeps the output in the log", () => {
            create();
            fs.rmSync(path.join(dokployConfig, "config.json"));
            fs.rmSync(rootConfig, { recursive: true });
            host.clearCalls();
            const r = host.cronJob(scripts.paths.cronFile);
            expect(r.status, r.stderr).to.equal(0);
            expect(host.readConfig(dokployConfig)?.auths).to.deep.equal({ [REGISTRY]: expectedAuth });
            expect(host.readConfig(rootConfig)?.auths).to.deep.equal({ [REGISTRY]: expectedAuth });
            expect(fs.readFileSync(scripts.paths.logFile, "utf8")).to.include(`Docker logged in to ${REGISTRY}`);
            expect(host.calls("aws")[0].env.AWS_SHARED_CREDENTIALS_FILE).to.equal(scripts.paths.credentials);
        });

        it("a failing job leaves the cause in the log", () => {
            create();
            host.aws({ password: PASSWORD, refuseAlways: "UnrecognizedClientException" });
            host.cronJob(scripts.paths.cronFile);
            const log = fs.readFileSync(scripts.paths.logFile, "utf8");
            expect(log).to.include("The security token included in the request is invalid");
            expectNoSecretIn(log);
        });
    });

    describe("delete", () => {
        it("logs both configs out of the registry, keeps other logins, and removes every file it added", () => {
            create();
            host.cronJob(scripts.paths.cronFile);
            const r = remove();
            expect(r.status, r.stderr).to.equal(0);
            expect(host.readConfig(dokployConfig)?.auths).to.deep.equal({ [OTHER_REGISTRY]: OTHER_AUTH });
            expect(host.readConfig(rootConfig)?.auths).to.deep.equal({});
            expect(installed()).to.deep.equal([]);
            expect(fs.existsSync(scripts.paths.logFile)).to.equal(false);
            expect(fs.existsSync(host.layout.configDir)).to.equal(false);
        });

        it("can run again, and on a host where create never ran", () => {
            create();
            expect(remove().status).to.equal(0);
            const again = remove();
            expect(again.status, again.stderr).to.equal(0);
            host.remove();
            host = new StandInHost();
            host.docker({ volumes: {}, registries: {} });
            scripts = ecrLoginScripts({
                profile: PROFILE,
                region: "us-west-2",
                registryHost: REGISTRY,
                layout: host.layout,
            });
            const fresh = remove();
            expect(fresh.status, fresh.stderr).to.equal(0);
            expect(fresh.stderr).to.include("no Docker volume dokploy-docker-config");
            expect(host.readConfig(path.join(host.home, ".docker"))).to.equal(undefined);
        });
    });
});
