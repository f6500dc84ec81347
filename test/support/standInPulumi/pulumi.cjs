/**
 * A stand-in `pulumi` CLI for tests: answers the commands @pulumi/pulumi 3.276.0's Automation API
 * runs, in the real CLI's output formats, and records argv, cwd, AWS environment and signals.
 * Plain CommonJS so each call starts as fast as `node` does (the Automation API calls it often).
 * Its front, bin/pulumi (sh), answers `version`, `stack ls`, `stack output`, `stack history` and
 * the Automation API's `config --show-secrets --json` itself from answers this file stores
 * (answers.cjs), and execs node for everything else.
 *
 * What it copies, and from where:
 * - `version` prints `v3.276.0` (`pulumi version`); PulumiCommand.get parses it with semver
 *   (automation/cmd.js).
 * - `stack ls --json`: `[{"name","current","updateInProgress","resourceCount","url"}]`
 *   (docs: pulumi_stack_ls; automation/localWorkspace.js listStacks parses JSON).
 *   `stack select --stack X` persists the selection, as the real CLI does in its workspace file.
 * - `config --show-secrets --json`: `{"proj:key":{"value":"…","secret":false}}` and
 *   `config get KEY --json`: `{"value":"…","secret":false}` (localWorkspace.js getAllConfig/getConfig
 *   JSON.parse the stdout), from Pulumi.X.yaml in the working directory; `config set KEY --stack X
 *   --plaintext --non-interactive -- VALUE` edits that file like the real CLI (comments kept).
 *   getAllConfig's exact call, `config --show-secrets --json --stack X --non-interactive`, is
 *   answered by bin/pulumi while the stack file is the text this file last parsed for X.
 * - `preview/up … --event-log <path|tcp://host:port>`: engine events as JSON, one per line to a
 *   file, or over the Events gRPC service for CLIs > 3.205.0 (automation/stack.js setupEventLog,
 *   EventsServer: each EventRequest.event is one JSON event). The sequence is the engine's:
 *   preludeEvent, resourcePreEvent per step, summaryEvent {maybeCorrupt, durationSeconds,
 *   resourceChanges, policyPacks}, then cancelEvent last (automation/events.d.ts).
 * - `stack output --json [--show-secrets]` (masked secrets are "[secret]", localWorkspace.js
 *   stackOutputs), `stack history --json …` (UpdateSummary list, stack.js info), `cancel --yes`.
 * - A missing stack fails with `error: no stack named 'X' found` (errors.js notFoundRegex).
 * - SIGINT: the first prints `^C received; cancelling. If you would like to terminate immediately,
 *   press ^C again.` and cancels (exit 255, `error: update canceled`); a second terminates at once.
 *
 * Driven by $STANDIN_PULUMI_STATE (a directory): script.json says which stacks exist and how
 * they behave ({stacks: {dev: {outputs, steps, failPreview, holdUp, holdPreview}}}), `current`
 * holds the selected stack, `log.jsonl` receives the records, `outputs-<stack>.json` the outputs,
 * `answers/` the read-only answers for bin/pulumi (answers.cjs; rewritten whenever those change),
 * `config-<stack>.json` the last parse of each stack file (answers.cjs stackConfig), and
 * `answers/config-<stack>` that parse's config answer with the text it came from.
 * A record of a call is {pid, kind: "run", argv, cwd, env: the AWS_* variables, sorted by name},
 * whichever half answers it.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const answers = require("./answers.cjs");

const VERSION = process.env.STANDIN_PULUMI_VERSION || "3.276.0";
const PROJECT = answers.PROJECT;
const state = process.env.STANDIN_PULUMI_STATE;
if (!state) {
    process.stderr.write("error: STANDIN_PULUMI_STATE is not set\n");
    process.exit(1);
}
const argv = process.argv.slice(2);
const file = (name) => path.join(state, name);
const record = (entry) => fs.appendFileSync(file("log.jsonl"), JSON.stringify({ pid: process.pid, ...entry }) + "\n");
const script = answers.readScript(state);

// Sorted by name as bin/pulumi lists them (`export -p`), so both halves write the same record.
const awsEnv = Object.fromEntries(
    Object.keys(process.env)
        .filter((k) => k.startsWith("AWS_"))
        .sort()
        .map((k) => [k, process.env[k]]),
);
record({ kind: "run", argv, cwd: process.cwd(), env: awsEnv });

const flag = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
};
const stackName = flag("--stack");
const positionals = [];
for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") break;
    if (argv[i].startsWith("--")) {
        if (["--stack", "--event-log", "--exec-kind", "--message", "--page-size", "--page"].includes(argv[i])) i++;
        continue;
    }
    positionals.push(argv[i]);
}

const out = (text) => process.stdout.write(text);
const fail = (message, code = 255) => {
    process.stderr.write(`error: ${message}\n`);
    process.exit(code);
};
const stackInfo = () => {
    if (!stackName) fail("no stack selected; please use `pulumi stack select`");
    const s = script.stacks[stackName];
    if (!s) fail(`no stack named '${stackName}' found`);
    return s;
};

// `config set` edits the document with it; reads go through answers.stackConfig, which requires
// it only for text not parsed before.
const yaml = () => require("yaml");
const stackFile = () => path.join(process.cwd(), `Pulumi.${stackName}.yaml`);
const readConfig = () => answers.stackConfig(state, stackName, stackFile(), fs.readFileSync(stackFile(), "utf8"));
const fullKey = (k) => (k.includes(":") ? k : `${PROJECT}:${k}`);
const configJson = answers.configJson;

const outputsFile = () => file(`outputs-${stackName}.json`);
const readOutputs = () => answers.readOutputs(state, stackName);

/** Engine events, to a file or to the Automation API's Events gRPC server. */
function eventSink(target) {
    if (!target) return { send() {}, close: async () => undefined };
    if (!target.startsWith("tcp://")) {
        return { send: (e) => fs.appendFileSync(target, JSON.stringify(e) + "\n"), close: async () => undefined };
    }
    // The Events service by hand over node:http2, not @grpc/grpc-js + google-protobuf (~120 ms of
    // require per run): gRPC framing per grpc/doc/PROTOCOL-HTTP2.md (1-byte compressed flag, 4-byte
    // length, message) and EventRequest { string event = 1; } (pulumi proto/events.proto).
    const http2 = require("node:http2");
    const session = http2.connect(`http://${target.slice("tcp://".length)}`);
    const call = session.request({
        ":method": "POST",
        ":path": "/pulumirpc.Events/StreamEvents",
        "content-type": "application/grpc",
        te: "trailers",
    });
    let status;
    call.on("trailers", (t) => (status = t["grpc-status"]));
    call.on("response", (h) => (status = h["grpc-status"] ?? status));
    call.on("error", () => undefined);
    call.resume();
    const closed = new Promise((resolve) => call.on("close", resolve));
    return {
        send(e) {
            const event = Buffer.from(JSON.stringify(e));
            const len = [];
            for (let n = event.length; ; n >>>= 7) {
                if (n < 0x80) {
                    len.push(n);
                    break;
                }
                len.push((n & 0x7f) | 0x80);
            }
            const message = Buffer.concat([Buffer.from([0x0a, ...len]), event]);
            const frame = Buffer.alloc(5);
            frame.writeUInt32BE(message.length, 1);
            call.write(Buffer.concat([frame, message]));
        },
        close: async () => {
            call.end();
            await closed;
            session.close();
            if (status !== undefined && status !== "0") fail(`event stream ended with gRPC status ${status}`);
        },
    };
}

let sigints = 0;
let cancelled = false;
process.on("SIGINT", () => {
    sigints++;
    const outcome = sigints === 1 ? "cancelling" : "terminating";
    record({ kind: "signal", signal: "SIGINT", outcome, argv });
    if (sigints === 1) {
        out("^C received; cancelling. If you would like to terminate immediately, press ^C again.\n");
        cancelled = true;
    } else {
        out("^C received; terminating\n");
        process.exit(255);
    }
});

/**
 * The engine's cancellation waits for in-flight resource operations. With `holdCancel` it lasts
 * until the test creates `release-cancel` in the state dir (or a second SIGINT terminates), so a
 * test can observe every signal sent while it runs; otherwise it takes 500 ms.
 */
async function cancelling(s) {
    if (!s.holdCancel) return new Promise((r) => setTimeout(r, 500));
    const deadline = Date.now() + 20000;
    while (!fs.existsSync(file("release-cancel")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** Waits until a SIGINT cancels the operation (bounded: the test that holds it must signal). */
async function hold(what) {
    record({ kind: "holding", what, stack: stackName });
    const deadline = Date.now() + 20000;
    while (!cancelled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (!cancelled) fail(`${what} was held for 20 s and never interrupted`);
}

async function operation(kind) {
    const s = stackInfo();
    const config = readConfig();
    const sink = eventSink(flag("--event-log"));
    let seq = 0;
    const emit = (body) => sink.send({ sequence: seq++, timestamp: Math.floor(Date.now() / 1000), ...body });
    emit({
        preludeEvent: { config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, configJson(v).value])) },
    });
    const imageTag = config[`${PROJECT}:imageTag`];
    const deployed = readOutputs().imageTag;
    const steps =
        s.steps ||
        (deployed === String(imageTag)
            ? []
            : [
                  {
                      op: deployed === undefined ? "create" : "update",
                      type: "pulumi-nodejs:dynamic/dokploy:Application",
                      name: `${stackName}-app`,
                  },
              ]);
    out(`${kind === "preview" ? "Previewing update" : "Updating"} (${stackName})\n\n`);
    for (const step of steps) {
        const urn = `urn:pulumi:${stackName}::${PROJECT}::${step.type}::${step.name}`;
        emit({
            resourcePreEvent: {
                metadata: { op: step.op, urn, type: step.type, provider: "", diffs: ["dockerImage"], logical: true },
                planning: kind === "preview",
            },
        });
        out(`    ~ ${step.type} ${step.name} ${step.op}\n`);
    }
    if ((kind === "preview" && s.holdPreview) || (kind === "up" && s.holdUp)) await hold(kind);
    if (kind === "preview" && s.failPreview && !cancelled) {
        emit({ diagnosticEvent: { severity: "error", message: s.failPreview, color: "never" } });
        emit({ cancelEvent: {} });
        await sink.close();
        fail(s.failPreview);
    }
    if (cancelled) {
        await cancelling(s);
        emit({ cancelEvent: {} });
        await sink.close();
        fail(kind === "preview" ? "preview canceled" : "update canceled");
    }
    const changes = { same: 20 };
    for (const step of steps) changes[step.op] = (changes[step.op] || 0) + 1;
    emit({ summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: changes, policyPacks: {} } });
    emit({ cancelEvent: {} });
    await sink.close();
    if (kind === "up") {
        const outputs = JSON.parse(
            JSON.stringify(s.outputs || {})
                .split("{imageTag}")
                .join(String(imageTag)),
        );
        fs.writeFileSync(outputsFile(), JSON.stringify({ ...outputs, imageTag: String(imageTag) }));
        const history = answers.readHistory(state, stackName);
        const now = new Date().toISOString();
        history.unshift({
            version: history.length + 1,
            kind: "update",
            startTime: now,
            endTime: now,
            message: flag("--message") || "",
            environment: { "exec.kind": flag("--exec-kind") || "cli" },
            config: {},
            result: "succeeded",
            resourceChanges: changes,
        });
        fs.writeFileSync(file(`history-${stackName}.json`), JSON.stringify(history));
        answers.writeAnswers(state, stackName);
    }
    out(
        `\nResources:\n    ${Object.entries(changes)
            .map(([op, n]) => `${n} ${op}`)
            .join(", ")}\n`,
    );
}

async function main() {
    const [cmd, sub] = positionals;
    if (cmd === "version") return out(`v${VERSION}\n`);
    if (cmd === "whoami")
        return out(
            argv.includes("--json")
                ? JSON.stringify({ user: "standin", organizations: [], url: "file://~" }) + "\n"
                : "standin\n",
        );
    if (cmd === "stack" && sub === "ls") return out(answers.stackLsText(state, script));
    if (cmd === "stack" && sub === "select") {
        stackInfo();
        fs.writeFileSync(file("current"), stackName);
        answers.writeAnswers(state, stackName);
        return;
    }
    if (cmd === "stack" && sub === "output") {
        stackInfo();
        return out(answers.outputText(state, stackName, argv.includes("--show-secrets"), script));
    }
    if (cmd === "stack" && sub === "history") {
        stackInfo();
        return out(answers.historyText(state, stackName, Number(flag("--page-size") || 10)));
    }
    if (cmd === "config" && (sub === undefined || sub === "get")) {
        stackInfo();
        const config = readConfig();
        // The answer answers.cjs stored for bin/pulumi with this text (writeConfigAnswer).
        if (sub === undefined) return out(answers.configText(config));
        const key = fullKey(positionals[2]);
        if (!(key in config)) fail(`configuration key '${key}' not found for stack '${stackName}'`);
        return out(JSON.stringify(configJson(config[key]), null, 4) + "\n");
    }
    if (cmd === "config" && sub === "set") {
        stackInfo();
        const value = argv[argv.indexOf("--") + 1];
        const doc = yaml().parseDocument(fs.readFileSync(stackFile(), "utf8"));
        doc.setIn(["config", fullKey(positionals[2])], value);
        // Go yaml.v3, which the CLI writes with, does not fold long lines.
        const text = doc.toString({ lineWidth: 0 });
        fs.writeFileSync(stackFile(), text);
        answers.rememberConfig(state, stackName, stackFile(), text);
        return;
    }
    if (cmd === "preview" || cmd === "up") return operation(cmd);
    if (cmd === "cancel") {
        stackInfo();
        return out(`The currently running update for '${stackName}' has been canceled!\n`);
    }
    fail(`stand-in pulumi does not know \`${argv.join(" ")}\``, 2);
}

main().then(
    () => process.exit(0),
    (err) => fail(String((err && err.stack) || err), 1),
);
