#!/usr/bin/env node
// @ts-check
/**
 * Stand-in for the docker CLI, only what the host login scripts run, behaving like the real
 * one where they depend on it. Outputs recorded from docker 28.2.2 against dockerd 20.10.24 on
 * this machine (see /work/shared/docker/ENGINE.md); the config file format is docker/cli's
 * cli/config/configfile/file.go (`{"auths": {host: {"auth": base64("user:password")}}}`,
 * tab-indented, file 0600 in a 0700 directory).
 *
 * - The config directory is `--config DIR`, else $DOCKER_CONFIG, else $HOME/.docker.
 * - `volume inspect` is answered by docker.sh, the front that runs this file for the rest.
 * - `login --username U --password-stdin HOST`: reads the password from stdin (one trailing
 *   newline dropped), checks it with the registry ($STANDIN_STATE/docker.json `registries`),
 *   adds or replaces auths[HOST] keeping every other entry, prints "Login Succeeded" and the
 *   unencrypted-storage warning on stderr. An empty password fails like the real CLI without a
 *   TTY; a wrong one with "Error response from daemon: login attempt to https://HOST/v2/ failed
 *   with status: 401 Unauthorized", exit 1.
 * - `logout HOST`: prints "Removing login credentials for HOST", drops auths[HOST] if present,
 *   exit 0 even when not logged in; it writes no file that did not exist.
 *
 * State: $STANDIN_STATE/docker.json { volumes: {name: mountpoint} (docker.sh reads docker.volumes), registries: {host:
 * {username, password}} }; each call is appended to $STANDIN_STATE/calls.jsonl.
 */
const fs = require("node:fs");
const path = require("node:path");
const { record, readJson } = require("./common");

let argv = process.argv.slice(2);
let configDir = process.env.DOCKER_CONFIG || path.join(process.env.HOME ?? "/", ".docker");
while (argv[0]?.startsWith("-")) {
    const flag = argv.shift() ?? "";
    if (flag === "--config") configDir = argv.shift() ?? "";
    else if (flag.startsWith("--config=")) configDir = flag.slice("--config=".length);
    else fail(125, `unknown flag: ${flag}\n`);
}
const state = readJson("docker.json", { volumes: {}, registries: {} });

function fail(code, text) {
    process.stderr.write(text);
    process.exit(code);
}

function option(args, ...names) {
    for (const name of names) {
        const i = args.indexOf(name);
        if (i >= 0) return args[i + 1];
    }
    return undefined;
}

const configFile = path.join(configDir, "config.json");
function readConfig() {
    return fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, "utf8")) : {};
}
function writeConfig(config) {
    fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
    const tmp = `${configFile}.tmp${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(config, null, "\t"), { mode: 0o600 });
    fs.renameSync(tmp, configFile);
}

const [command, ...rest] = argv;
if (command === "login") {
    const stdin = rest.includes("--password-stdin") ? fs.readFileSync(0, "utf8") : undefined;
    record("docker", process.argv.slice(2), stdin);
    const host = rest[rest.length - 1];
    const username = option(rest, "--username", "-u");
    const password = (stdin ?? "").replace(/\n$/, "").replace(/\r$/, "");
    if (!username || !password) fail(1, "Error: Cannot perform an interactive login from a non TTY device\n");
    const registry = state.registries[host];
    if (!registry)
        fail(1, `Error response from daemon: Get "https://${host}/v2/": dial tcp: lookup ${host}: no such host\n`);
    if (registry.username !== username || registry.password !== password) {
        fail(
            1,
            `Error response from daemon: login attempt to https://${host}/v2/ failed with status: 401 Unauthorized\n`,
        );
    }
    const config = readConfig();
    config.auths = { ...config.auths, [host]: { auth: Buffer.from(`${username}:${password}`).toString("base64") } };
    writeConfig(config);
    process.stderr.write(
        `\nWARNING! Your credentials are stored unencrypted in '${configFile}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`,
    );
    process.stdout.write("Login Succeeded\n");
} else if (command === "logout") {
    record("docker", process.argv.slice(2));
    const host = rest[0];
    process.stdout.write(`Removing login credentials for ${host}\n`);
    if (fs.existsSync(configFile)) {
        const config = readConfig();
        if (config.auths) delete config.auths[host];
        writeConfig(config);
    }
} else {
    record("docker", process.argv.slice(2));
    fail(125, `stand-in docker does not support: ${argv.join(" ")}\n`);
}
