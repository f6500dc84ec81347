// @ts-check
/** What the host stand-ins share: their state folder, their config files and the call log. */
const fs = require("node:fs");
const path = require("node:path");

const state = process.env.STANDIN_STATE;
if (!state) {
    process.stderr.write(
        "stand-in: STANDIN_STATE is not set (run it through the wrapper made by test/support/hostStandIns)\n",
    );
    process.exit(127);
}

/** @param {string} name @param {any} fallback */
function readJson(name, fallback) {
    const file = path.join(state, name);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : fallback;
}

/** Appends one call: which tool, its argv, what it got on stdin, and the environment that matters. */
function record(tool, argv, stdin) {
    const env = {};
    for (const key of [
        "HOME",
        "DOCKER_CONFIG",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_CONFIG_FILE",
        "AWS_PROFILE",
        "PATH",
    ]) {
        if (process.env[key] !== undefined) env[key] = process.env[key];
    }
    const line = JSON.stringify({ tool, argv, ...(stdin === undefined ? {} : { stdin }), env });
    fs.appendFileSync(path.join(state, "calls.jsonl"), `${line}\n`);
}

module.exports = { state, readJson, record };
