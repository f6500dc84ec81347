#!/usr/bin/env node
// @ts-check
/**
 * Stand-in for coreutils `sleep N`: records the requested seconds and returns at once, so a
 * test sees the login's backoff without waiting for it. Like the real one it refuses a
 * missing or non-numeric operand (exit 1).
 */
const { record } = require("./common");

const argv = process.argv.slice(2);
record("sleep", argv);
if (argv.length !== 1 || !/^\d+(\.\d+)?$/.test(argv[0])) {
    process.stderr.write(`sleep: invalid time interval '${argv.join(" ")}'\n`);
    process.exit(1);
}
