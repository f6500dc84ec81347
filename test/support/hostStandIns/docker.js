// @ts-check
/**
 * Stand-in for the docker CLI, only what the host login scripts run, behaving like the real
 * one where they depend on it. Outputs recorded from docker 28.2.2 against dockerd 20.10.24 on
 * this machine (see /work/shared/docker/ENGINE.md); the config file format is docker/cli's
 * cli/config/configfile/file.go (`{"auths": {host: {"auth": base64("user:password")}}}`,
 * tab-indented, file 0600 in a 0700 directory).
 *
 * - The config directory is `--config DIR`, else $DOCKER_CONFIG, else $HOME/.docker.
 * - `volume inspect` is answered by docker.sh, the front that hands the rest to this file.
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
 *
 * How it runs: as one function of a call (argv, environment, working directory, stdin → exit
 * code, stdout, stderr), not as a `node` process per call (~45 ms of CPU each). dockerServer.js
 * serves it inside the test process; docker.sh hands login and logout to dockerClient.bash, which
 * sends it the call and prints the answer. Relative paths resolve against the call's working
 * directory, as they would in a process started there.
 */
const fs = require("node:fs");
const path = require("node:path");
const { record, readJson } = require("./common");

/**
 * @typedef {object} Call
 * @property {string[]} argv the arguments after `docker`
 * @property {Record<string, string | undefined>} env the caller's environment
 * @property {string} cwd the caller's working directory
 * @property {string} [stdin] everything on stdin, given when needsStdin(argv) says the call reads it
 *
 * @typedef {object} Result
 * @property {number} code
 * @property {string} stdout
 * @property {string} stderr
 */

/** Ends a call the way the process did with `process.exit(code)` after writing `text` on stderr. */
class Exit {
    /** @param {number} code @param {string} text */
    constructor(code, text) {
        this.code = code;
        this.text = text;
    }
}

/** @param {number} code @param {string} text @returns {never} */
function fail(code, text) {
    throw new Exit(code, text);
}

/**
 * The `--config DIR` options before the command, then the command and its arguments.
 * @param {string[]} argv @param {Record<string, string | undefined>} env
 */
function parse(argv, env) {
    const args = [...argv];
    let configDir = env.DOCKER_CONFIG || path.join(env.HOME ?? "/", ".docker");
    while (args[0]?.startsWith("-")) {
        const flag = args.shift() ?? "";
        if (flag === "--config") configDir = args.shift() ?? "";
        else if (flag.startsWith("--config=")) configDir = flag.slice("--config=".length);
        else fail(125, `unknown flag: ${flag}\n`);
    }
    const [command, ...rest] = args;
    return { configDir, command, rest };
}

/**
 * Whether the call reads stdin: `login --password-stdin` (the real CLI reads it to the end).
 * dockerClient.bash reads and sends its stdin only when the server says so.
 * @param {string[]} argv
 */
function needsStdin(argv) {
    try {
        const { command, rest } = parse(argv, {});
        return command === "login" && rest.includes("--password-stdin");
    } catch (err) {
        if (err instanceof Exit) return false;
        throw err;
    }
}

/** @param {string[]} args @param {...string} names */
function option(args, ...names) {
    for (const name of names) {
        const i = args.indexOf(name);
        if (i >= 0) return args[i + 1];
    }
    return undefined;
}

/** @param {Call} call @param {string[]} out @param {string[]} err */
function run(call, out, err) {
    const { env } = call;
    if (!env.STANDIN_STATE) {
        fail(
            127,
            "stand-in: STANDIN_STATE is not set (run it through the wrapper made by test/support/hostStandIns)\n",
        );
    }
    const stateDir = path.resolve(call.cwd, env.STANDIN_STATE);
    const { configDir, command, rest } = parse(call.argv, env);
    const state = readJson(stateDir, "docker.json", { volumes: {}, registries: {} });

    // The path as messages print it, and as the file system sees it from the caller's directory.
    const configFile = path.join(configDir, "config.json");
    const file = path.resolve(call.cwd, configFile);
    const readConfig = () => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {});
    /** @param {any} config */
    const writeConfig = (config) => {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const tmp = `${file}.tmp${process.pid}`;
        fs.writeFileSync(tmp, JSON.stringify(config, null, "\t"), { mode: 0o600 });
        fs.renameSync(tmp, file);
    };

    if (command === "login") {
        const stdin = rest.includes("--password-stdin") ? (call.stdin ?? "") : undefined;
        record(stateDir, env, "docker", call.argv, stdin);
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
        config.auths = {
            ...config.auths,
            [host]: { auth: Buffer.from(`${username}:${password}`).toString("base64") },
        };
        writeConfig(config);
        err.push(
            `\nWARNING! Your credentials are stored unencrypted in '${configFile}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`,
        );
        out.push("Login Succeeded\n");
    } else if (command === "logout") {
        record(stateDir, env, "docker", call.argv);
        const host = rest[0];
        out.push(`Removing login credentials for ${host}\n`);
        if (fs.existsSync(file)) {
            const config = readConfig();
            if (config.auths) delete config.auths[host];
            writeConfig(config);
        }
    } else {
        record(stateDir, env, "docker", call.argv);
        fail(125, `stand-in docker does not support: ${[command, ...rest].join(" ")}\n`);
    }
}

/**
 * One docker call. An error the stand-in does not expect (say, a config file that is not JSON)
 * ends it like an uncaught exception ended the node process: its stack on stderr, exit 1.
 * @param {Call} call @returns {Result}
 */
function docker(call) {
    /** @type {string[]} */
    const out = [];
    /** @type {string[]} */
    const err = [];
    let code = 0;
    try {
        run(call, out, err);
    } catch (e) {
        if (e instanceof Exit) {
            err.push(e.text);
            code = e.code;
        } else {
            err.push(`${e instanceof Error ? e.stack : String(e)}\n`);
            code = 1;
        }
    }
    return { code, stdout: out.join(""), stderr: err.join("") };
}

module.exports = { docker, needsStdin };
