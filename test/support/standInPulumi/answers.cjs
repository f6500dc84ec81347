/**
 * What the stand-in `pulumi` keeps ready between calls, so that fewer of them start node or
 * require `yaml` (each call is a process of its own):
 *
 * The read-only answers (`stack ls`, `stack output`, `stack history`, `config --show-secrets
 * --json`), in one place for both of its halves: pulumi.cjs prints them, and this file stores them
 * ready-made in <state>/answers/ so that bin/pulumi (sh) can print them without starting node. The
 * formats, and where they are copied from, are in pulumi.cjs's header.
 *
 * The backend's answers derive from script.json, `current`, outputs-<stack>.json and
 * history-<stack>.json. Whoever changes one of those calls writeAnswers() afterwards: world.ts when
 * it creates a world, pulumi.cjs after `stack select` and `up`. A missing answer file only means
 * node answers.
 *
 * Each of those answer files is a sh snippet, `printf '%s' '<text>'`, which bin/pulumi sources (`.`
 * is a builtin: no fork, no cat). A stack not in script.json has no answer files, so its commands
 * go to node, which fails them as the real CLI does.
 *
 * And each stack file's parsed `config:` with the text it came from (stackConfig below), so that
 * the node calls that only read it (config, preview, up) need not require `yaml`. Every parse also
 * stores the config answer of that text (config-<stack>, see writeConfigAnswer): the answer
 * together with the exact text it was computed from, which bin/pulumi compares with the stack file
 * before it prints the answer, so a stack file changed since (by `config set` or anyone) goes to
 * node, which parses it and stores the answer of the new text.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { isDeepStrictEqual } = require("node:util");

const PROJECT = "nextstack";

const readJson = (file, otherwise) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : otherwise);
const readScript = (state) => JSON.parse(fs.readFileSync(path.join(state, "script.json"), "utf8"));
const readOutputs = (state, stack) => readJson(path.join(state, `outputs-${stack}.json`), {});
const readHistory = (state, stack) => readJson(path.join(state, `history-${stack}.json`), []);
const pretty = (value) => JSON.stringify(value, null, 4) + "\n";

/** `stack ls --json`: every stack in the backend, the selected one (`current`) marked. */
function stackLsText(state, script = readScript(state)) {
    const currentFile = path.join(state, "current");
    const current = fs.existsSync(currentFile) ? fs.readFileSync(currentFile, "utf8").trim() : "";
    return pretty(
        Object.keys(script.stacks).map((name) => ({
            name,
            current: name === current,
            updateInProgress: false,
            resourceCount: 21,
            url: `file://~/.pulumi/stacks/${PROJECT}/${name}`,
        })),
    );
}

/** `stack output --json [--show-secrets]`: without --show-secrets, secret outputs read "[secret]". */
function outputText(state, stack, showSecrets, script = readScript(state)) {
    const outputs = readOutputs(state, stack);
    return pretty(
        Object.fromEntries(
            Object.entries(outputs).map(([k, v]) => [
                k,
                (script.secretOutputs || []).includes(k) && !showSecrets ? "[secret]" : v,
            ]),
        ),
    );
}

/** `stack history --json [--page-size N]`: the newest N updates (10 without --page-size). */
function historyText(state, stack, pageSize) {
    return pretty(readHistory(state, stack).slice(0, pageSize));
}

/**
 * One config value as `config --json` shows it. The stand-in has no decrypter: a secure value reads
 * as a fixed placeholder; an object value also in objectValue.
 */
const configJson = (v) =>
    v && typeof v === "object" && "secure" in v
        ? { value: "stand-in-cannot-decrypt", secret: true }
        : v && typeof v === "object"
          ? { value: JSON.stringify(v), objectValue: v, secret: false }
          : { value: String(v), secret: false };

/** `config --show-secrets --json`: every key of the stack file's `config:` with configJson's value. */
function configText(config) {
    return pretty(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, configJson(v)])));
}

const shQuote = (text) => `'${text.split("'").join("'\\''")}'`;

/** Atomically, so that a concurrent reader finds either the old content or the new one. */
function writeAtomic(dir, name, text) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, `.${name}.${process.pid}`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, path.join(dir, name));
}
const writeAnswer = (state, name, text) =>
    writeAtomic(path.join(state, "answers"), name, `printf '%s' ${shQuote(text)}\n`);
/** The stack names bin/pulumi takes (e.g. not org/project/stack), and that name files here. */
const plainName = (name) => /^[A-Za-z0-9_.-]+$/.test(name);

/**
 * Stores the answers bin/pulumi prints: all of them, or (with `stack`) that stack's outputs and
 * history plus the stack list. The history answers are those of the Automation API's calls: page
 * size 1 (Stack.info) and none. All of them also includes each stack's config answer of its last
 * remembered parse: world.ts remembers the stack files' parses before script.json exists, when
 * rememberConfig cannot tell which stacks are in the backend.
 */
function writeAnswers(state, stack) {
    const script = readScript(state);
    writeAnswer(state, "stack-ls", stackLsText(state, script));
    for (const name of stack === undefined ? Object.keys(script.stacks) : [stack]) {
        if (!plainName(name)) continue;
        writeAnswer(state, `output-${name}`, outputText(state, name, false, script));
        writeAnswer(state, `output-${name}-secrets`, outputText(state, name, true, script));
        writeAnswer(state, `history-${name}`, historyText(state, name, 10));
        writeAnswer(state, `history-${name}-1`, historyText(state, name, 1));
        if (stack !== undefined) continue;
        const cached = readJson(path.join(state, `config-${name}.json`), undefined);
        if (cached) writeConfigAnswer(state, name, cached.text, cached.config, script);
    }
}

/**
 * Stores answers/config-<stack>, the answer to `config --show-secrets --json --stack <stack>` for a
 * stack file whose text is `text` (parsed: `config`), as a sh snippet that sets config_bytes (the
 * text's length in bytes), config_text and config_answer. bin/pulumi prints config_answer only if
 * the stack file is exactly config_text: the answer is a function of the text alone (configText),
 * so a stored answer is never stale, only unused once the file changes; answer and text are one
 * file, written atomically. Only for a stack in the backend (node fails the call for
 * any other), and only for a text that survives the trip to sh and back: no NUL (a sh variable
 * cannot hold one), and one that UTF-8 round-trips (the bytes bin/pulumi compares are those that
 * decode to it; a string read from a file or argv always does).
 */
function writeConfigAnswer(state, stack, text, config, script = readJson(path.join(state, "script.json"), undefined)) {
    if (!plainName(stack) || !script || !Object.hasOwn(script.stacks, stack)) return;
    if (text.includes("\0") || Buffer.from(text, "utf8").toString("utf8") !== text) return;
    writeAtomic(
        path.join(state, "answers"),
        `config-${stack}`,
        `config_bytes=${Buffer.byteLength(text, "utf8")}\n` +
            `config_text=${shQuote(text)}\n` +
            `config_answer=${shQuote(configText(config))}\n`,
    );
}

/**
 * The `config:` of a stack file (Pulumi.<stack>.yaml, path `file`) whose text is `text`. Each
 * parse is remembered in <state>/config-<stack>.json with the path and the exact text it was
 * parsed from; a call that finds the same path and text there takes it instead of requiring
 * `yaml` (~60 ms of the ~115 ms a config, preview or up call costs): same text, same parser,
 * same result. Any other text is parsed afresh (and remembered).
 */
function stackConfig(state, stack, file, text) {
    const cached = plainName(stack) ? readJson(path.join(state, `config-${stack}.json`), undefined) : undefined;
    if (cached && cached.file === file && cached.text === text) return cached.config;
    return rememberConfig(state, stack, file, text);
}

/**
 * Parses `text` with `yaml` (as the stand-in always has), remembers it for stackConfig and stores
 * its config answer for bin/pulumi.
 */
function rememberConfig(state, stack, file, text) {
    const config = (require("yaml").parse(text) || {}).config || {};
    // Only what JSON keeps exactly (not e.g. .inf or -0) is remembered.
    if (plainName(stack) && isDeepStrictEqual(JSON.parse(JSON.stringify(config)), config)) {
        writeAtomic(state, `config-${stack}.json`, JSON.stringify({ file, text, config }));
    }
    writeConfigAnswer(state, stack, text, config);
    return config;
}

module.exports = {
    PROJECT,
    stackConfig,
    rememberConfig,
    readScript,
    readOutputs,
    readHistory,
    stackLsText,
    outputText,
    historyText,
    configJson,
    configText,
    writeAnswers,
};
