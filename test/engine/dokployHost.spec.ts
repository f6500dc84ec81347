/**
 * The DokployHost scripts against a real Docker engine: real bash, the real docker CLI talking
 * to the test engine (DOCKER_HOST), the real `dokploy-docker-config` volume, and a private
 * registry with basic auth standing in for ECR. Only `aws` is a stand-in; it prints the
 * registry's password as `aws ecr get-login-password` prints ECR's.
 *
 * What Dokploy would see is checked as Dokploy pulls: `docker pull` with DOCKER_CONFIG at the
 * volume's mountpoint (the volume is Dokploy's /root/.docker). Root's pull uses HOME's config.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { awsCredentialsFile, ecrLoginScripts, type EcrLoginScripts } from "../../components/dokployHost";
import { DOKPLOY_DOCKER_CONFIG_VOLUME } from "../../components/dokployHost/loginScript";
import { docker, DOCKER_HOST, requireEngine } from "../support/engine";
import { type AuthRegistry, REGISTRY_BINARY, startAuthRegistry } from "../support/hostStandIns/authRegistry";
import { StandInHost } from "../support/hostStandIns";

const PROFILE = "host-engine-ecr";
const PASSWORD = "host-engine-ecr-password-SENTINEL";

describe("DokployHost scripts on a real Docker engine (private registry with basic auth as ECR)", function () {
    this.timeout(120_000);

    let dir = "";
    let registry: AuthRegistry | undefined;
    let host: StandInHost | undefined;
    let createdVolume = false;
    let mountpoint = "";
    let image = "";
    let scripts: EcrLoginScripts;

    /** `docker pull` as Dokploy runs it (its config in the volume), or as root on the host (HOME's). */
    function pull(as: "dokploy" | "root"): { ok: boolean; output: string } {
        const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST, HOME: (host as StandInHost).home };
        delete env.DOCKER_CONFIG;
        if (as === "dokploy") env.DOCKER_CONFIG = mountpoint;
        const r = spawnSync("docker", ["pull", image], { env, encoding: "utf8", timeout: 60_000 });
        // Drop the local copy, so the next pull has to ask the registry again.
        spawnSync("docker", ["image", "rm", "-f", image], { env, encoding: "utf8", timeout: 60_000 });
        return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
    }

    before(async function () {
        await requireEngine(this);
        if (!fs.existsSync(REGISTRY_BINARY)) {
            console.log(`    ${REGISTRY_BINARY} missing (Debian package docker-registry) -> skipping`);
            this.skip();
        }
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-engine-"));
        registry = await startAuthRegistry(dir, PASSWORD);
        image = `${registry.host}/host-private:v1`;

        // A private image, built offline (a one-file root filesystem) and pushed with a throwaway login.
        const rootfs = path.join(dir, "rootfs");
        fs.mkdirSync(rootfs);
        fs.writeFileSync(path.join(rootfs, "hello"), "private image for the host login test\n");
        const pushConfig = path.join(dir, "push-config");
        const pushEnv = { ...process.env, DOCKER_HOST, DOCKER_CONFIG: pushConfig };
        const imported = spawnSync("sh", ["-c", `tar -C '${rootfs}' -c . | docker import - '${image}'`], {
            env: pushEnv,
            encoding: "utf8",
        });
        expect(imported.status, imported.stderr).to.equal(0);
        await docker(["--config", pushConfig, "login", "--username", "AWS", "--password-stdin", registry.host], {
            input: PASSWORD,
        });
        await docker(["--config", pushConfig, "push", image]);
        await docker(["image", "rm", "-f", image]);
        fs.rmSync(pushConfig, { recursive: true, force: true });

        const existing = await docker(["volume", "inspect", DOKPLOY_DOCKER_CONFIG_VOLUME], { allowFailure: true });
        if (existing.exitCode !== 0) {
            await docker(["volume", "create", DOKPLOY_DOCKER_CONFIG_VOLUME]);
            createdVolume = true;
        }
        mountpoint = (
            await docker(["volume", "inspect", DOKPLOY_DOCKER_CONFIG_VOLUME, "--format", "{{ .Mountpoint }}"])
        ).stdout.trim();

        host = new StandInHost(["aws"]);
        host.aws({ password: PASSWORD });
        scripts = ecrLoginScripts({
            profile: PROFILE,
            region: "us-west-2",
            registryHost: registry.host,
            layout: host.layout,
        });
    });

    after(async () => {
        if (host && scripts) host.bash(scripts.delete, { env: { DOCKER_HOST } });
        if (image) await docker(["image", "rm", "-f", image], { allowFailure: true });
        if (createdVolume) await docker(["volume", "rm", DOKPLOY_DOCKER_CONFIG_VOLUME], { allowFailure: true });
        await registry?.stop();
        host?.remove();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("before the script, the registry refuses a pull through Dokploy's config and through root's", () => {
        const dokploy = pull("dokploy");
        expect(dokploy.ok, dokploy.output).to.equal(false);
        expect(dokploy.output).to.match(/no basic auth credentials|unauthorized/);
        expect(pull("root").ok).to.equal(false);
    });

    it("the create script, run by bash with the real docker CLI, lets Dokploy and root pull the private image", () => {
        const r = (host as StandInHost).bash(scripts.create, {
            stdin: awsCredentialsFile(PROFILE, "AKIAHOSTENGINETEST01", "host-engine-key-secret"),
            env: { DOCKER_HOST },
        });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include(`for Dokploy (${mountpoint}/config.json)`);
        expect(r.stdout + r.stderr).to.not.include(PASSWORD);
        const dokploy = pull("dokploy");
        expect(dokploy.ok, dokploy.output).to.equal(true);
        const root = pull("root");
        expect(root.ok, root.output).to.equal(true);
    });

    it("the cron job, run as cron runs it, renews both logins", () => {
        // As if the 12-hour token had expired: both configs lose the registry's entry.
        const env = { ...process.env, DOCKER_HOST, HOME: (host as StandInHost).home };
        for (const config of [mountpoint, path.join((host as StandInHost).home, ".docker")]) {
            spawnSync("docker", ["--config", config, "logout", (registry as AuthRegistry).host], { env });
        }
        expect(pull("dokploy").ok).to.equal(false);
        const r = (host as StandInHost).cronJob(scripts.paths.cronFile, { DOCKER_HOST });
        expect(r.status, fs.readFileSync(scripts.paths.logFile, "utf8")).to.equal(0);
        expect(pull("dokploy").ok).to.equal(true);
        expect(pull("root").ok).to.equal(true);
    });

    it("the delete script logs both out (pulls are refused again), removes its files, and can run again", () => {
        const first = (host as StandInHost).bash(scripts.delete, { env: { DOCKER_HOST } });
        expect(first.status, first.stderr).to.equal(0);
        expect(pull("dokploy").ok).to.equal(false);
        expect(pull("root").ok).to.equal(false);
        for (const file of Object.values(scripts.paths)) expect(fs.existsSync(file), file).to.equal(false);
        const again = (host as StandInHost).bash(scripts.delete, { env: { DOCKER_HOST } });
        expect(again.status, again.stderr).to.equal(0);
    });
});
