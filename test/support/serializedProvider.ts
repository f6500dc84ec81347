/**
 * Runs a dynamic provider the way the Pulumi engine does, without the engine.
 *
 * How the engine loads the text: `pulumi.dynamic.Resource` calls
 * `pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })` and stores the
 * resulting `text` in the resource's `__provider` input (so it lives in state). The
 * dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider/index.js) later evaluates that text
 * with `require-from-string` in a separate Node process, calls `.handler()` to get the provider
 * object, calls `configure({ config })` once with the stack config, then check/diff/create/
 * read/update/delete. Errors that carry `id` become partial-state (init) failures.
 *
 * This helper does the same: it serializes the provider, writes the text to a fresh temporary
 * directory outside the repository (so no node_modules can be resolved from it), and starts a
 * plain `node` child that compiles the text as a module and answers JSON-line requests.
 */
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import * as pulumi from "@pulumi/pulumi";

const RUNNER = String.raw`
const Module = require("module");
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const file = process.argv[2];
const projectName = process.argv[3];
const m = new Module(file, null);
m.filename = file;
m.paths = [];
m._compile(fs.readFileSync(file, "utf8"), file);
const provider = m.exports.handler();
function plainError(e) {
  return { name: e && e.name, message: e && e.message, kind: e && e.kind, id: e && e.id, properties: e && e.properties };
}
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  const req = JSON.parse(line);
  try {
    let result;
    if (req.method === "configure") {
      const raw = req.args[0];
      // Same lookup as the host's dynamic Config: keys without ":" get the project prefix.
      const config = { get: (k) => raw[k.includes(":") ? k : projectName + ":" + k], require: (k) => { const v = config.get(k); if (v === undefined) throw new Error("Missing required configuration key: " + k); return v; } };
      result = await provider.configure({ config });
    } else {
      result = await provider[req.method](...req.args);
    }
    process.stdout.write(JSON.stringify({ id: req.id, result: result === undefined ? null : result }) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: req.id, error: plainError(e) }) + "\n");
  }
});
`;

/** What a failed call reports across the process boundary. */
export interface SerializedProviderError {
    readonly name?: string;
    readonly message: string;
    readonly kind?: string;
    readonly id?: string;
    readonly properties?: Record<string, unknown>;
}

export class SerializedCallError extends Error {
    constructor(readonly details: SerializedProviderError) {
        super(details.message);
        this.name = details.name ?? "Error";
    }
}

export interface SerializedProvider {
    /** The serialized text, as stored in `__provider`. */
    readonly text: string;
    /** The directory holding the text (removed by close). */
    readonly dir: string;
    call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
    close(): Promise<void>;
}

/** Serializes a provider object exactly as `pulumi.dynamic.Resource` does. */
export async function serializeProvider(provider: object): Promise<string> {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    return sf.text;
}

/** Starts a fresh `node` process running the provider from its serialized text only. */
export async function startSerializedProvider(
    provider: object,
    opts: { env?: Record<string, string>; projectName?: string } = {},
): Promise<SerializedProvider> {
    const text = await serializeProvider(provider);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dokploy-provider-"));
    const file = path.join(dir, "provider.js");
    fs.writeFileSync(file, text);
    fs.writeFileSync(path.join(dir, "runner.js"), RUNNER);
    const child: ChildProcessWithoutNullStreams = spawn(
        process.execPath,
        [path.join(dir, "runner.js"), file, opts.projectName ?? "nextstack"],
        { cwd: dir, env: { PATH: process.env.PATH ?? "", ...opts.env }, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    let exited = false;
    child.on("exit", (code) => {
        exited = true;
        for (const p of pending.values()) p.reject(new Error(`provider process exited (${code}): ${stderr}`));
        pending.clear();
    });
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
        const msg = JSON.parse(line) as { id: number; result?: unknown; error?: SerializedProviderError };
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.error) p.reject(new SerializedCallError(msg.error));
        else p.resolve(msg.result);
    });
    let next = 0;
    return {
        text,
        dir,
        call: <T>(method: string, ...args: unknown[]) =>
            new Promise<T>((resolve, reject) => {
                if (exited) return reject(new Error(`provider process has exited: ${stderr}`));
                const id = next++;
                pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
                child.stdin.write(JSON.stringify({ id, method, args }) + "\n");
            }),
        close: async () => {
            if (!exited) {
                const done = new Promise((r) => child.once("exit", r));
                child.stdin.end();
                child.kill();
                await done;
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
