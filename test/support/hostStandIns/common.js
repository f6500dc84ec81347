// @ts-check
/**
 * The docker stand-in's state files and call log (docker.js; the sh stand-ins write the same call
 * record through record.sh). Every function takes the call's own state folder and environment:
 * docker.js runs inside the test process (dockerServer.js) for stand-in calls that each bring
 * their own.
 */
const fs = require("node:fs");
const path = require("node:path");

/**
 * The environment keys a call record keeps. record.sh keeps the same ones, and dockerClient.bash
 * sends them (with those docker.js reads) to the server.
 */
const RECORDED_ENV = ["HOME", "DOCKER_CONFIG", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_PROFILE", "PATH"];

/** @param {string} state @param {string} name @param {any} fallback */
function readJson(state, name, fallback) {
    const file = path.join(state, name);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : fallback;
}

/**
 * Appends one call: which tool, its argv, what it got on stdin, and the environment that matters.
 * @param {string} state @param {Record<string, string | undefined>} env @param {string} tool
 * @param {string[]} argv @param {string} [stdin]
 */
function record(state, env, tool, argv, stdin) {
    /** @type {Record<string, string>} */
    const kept = {};
    for (const key of RECORDED_ENV) {
        const value = env[key];
        if (value !== undefined) kept[key] = value;
    }
    const line = JSON.stringify({ tool, argv, ...(stdin === undefined ? {} : { stdin }), env: kept });
    fs.appendFileSync(path.join(state, "calls.jsonl"), `${line}\n`);
}

module.exports = { readJson, record };
