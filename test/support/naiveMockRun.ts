/**
 * Runs index.ts under NAIVE mocks, the kind an outside auditor writes: every resource
 * echoes its inputs (or nothing) as state, so every output only the cloud computes (arn,
 * repositoryUrl, applicationId, …) is undefined. Its own process because setMocks is
 * process-global and test/mocks.ts owns the test process's mocks. The runs of one request
 * list go one after another in this process (fresh mocks, config and index.ts each time), so
 * the SDK is loaded once.
 *
 * Usage: node --import tsx test/support/naiveMockRun.ts  (the spec passes NAIVE_RUN: a JSON list)
 * Prints one line `NAIVE_RUN_RESULT <json list of results>` on stdout, then exits 0.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
// As in the mocha workers: the SDK's leak-report stack traces are not formatted (the file says why).
import "./quietPromiseTraces";

/** How the invoke mock answers: echo its inputs, return nothing, or throw. */
export type CallMode = "echo" | "empty" | "throw";
/** What a new resource's state holds: its inputs echoed, or nothing at all. */
export type StateMode = "inputs" | "none";

export interface NaiveRunRequest {
    readonly stack: string;
    readonly call: CallMode;
    readonly state: StateMode;
    /** Fully qualified config (`nextstack:accountId`, `aws:region`). */
    readonly config: Record<string, string>;
    readonly secretKeys: readonly string[];
}

export interface NaiveRegistration {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

export interface NaiveRunResult {
    readonly registrations: NaiveRegistration[];
    readonly invokes: string[];
    /** Stack outputs; a secret output's value is replaced by "[secret]". */
    readonly outputs: Record<string, unknown>;
    /** Outputs that never resolved within the wait. */
    readonly pending: string[];
    readonly secretOutputs: string[];
    /** Unhandled rejections, uncaught exceptions and a failing program load. */
    readonly errors: string[];
}

export const RESULT_MARKER = "NAIVE_RUN_RESULT ";
const OUTPUT_WAIT_MS = 5000;

const errors: string[] = [];
let runs = 0;
const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));
process.on("unhandledRejection", (e) => errors.push(`unhandledRejection: ${describe(e)}`));
process.on("uncaughtException", (e) => errors.push(`uncaughtException: ${describe(e)}`));

function resolveWithin<T>(output: pulumi.Output<T>, ms: number): Promise<{ done: boolean; value?: T }> {
    return new Promise((r) => {
        const timer = setTimeout(() => r({ done: false }), ms);
        output.apply((value) => {
            clearTimeout(timer);
            r({ done: true, value });
            return value;
        });
    });
}

async function runOne(request: NaiveRunRequest): Promise<NaiveRunResult> {
    errors.length = 0;
    const registrations: NaiveRegistration[] = [];
    const invokes: string[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                // The dynamic provider's serialized code is large and irrelevant to an audit: leave it out.
                const { __provider, ...inputs } = a.inputs as Record<string, unknown>;
                void __provider;
                registrations.push({ type: a.type, name: a.name, inputs });
                return { id: `${a.name}_id`, state: request.state === "inputs" ? a.inputs : {} };
            },
            call: (a) => {
                invokes.push(a.token);
                if (request.call === "throw") throw new Error(`naive mock: no invoke ${a.token}`);
                return request.call === "echo" ? a.inputs : {};
            },
        },
        "nextstack",
        request.stack,
        false,
    );
    pulumi.runtime.setAllConfig(request.config, [...request.secretKeys]);

    const outputs: Record<string, unknown> = {};
    const pending: string[] = [];
    const secretOutputs: string[] = [];
    try {
        // A fresh module each run: the query string defeats the ESM cache, the delete the CJS one.
        const file = path.resolve(__dirname, "..", "..", "index.ts");
        delete require.cache[file];
        const loaded = (await import(`${pathToFileURL(file).href}?run=${++runs}`)) as Record<string, unknown>;
        const program =
            "default" in loaded && typeof loaded.default === "object" && loaded.default !== null
                ? (loaded.default as Record<string, unknown>)
                : loaded;
        const exported = Object.entries(program).filter(
            ([key, value]) => key !== "__esModule" && key !== "default" && typeof value !== "function",
        );
        // All at once, so a run with hung outputs costs one wait, not one per output.
        await Promise.all(
            exported.map(async ([key, value]) => {
                if (!pulumi.Output.isInstance(value)) {
                    outputs[key] = value;
                    return;
                }
                const got = await resolveWithin(value, OUTPUT_WAIT_MS);
                if (!got.done) pending.push(key);
                else if (await pulumi.isSecret(value)) {
                    secretOutputs.push(key);
                    outputs[key] = "[secret]";
                } else outputs[key] = got.value;
            }),
        );
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
        await settings.waitForRPCs();
    } catch (e) {
        errors.push(`program: ${describe(e)}`);
    }
    // Let rejections raised by the last registrations reach the handlers above.
    await new Promise((r) => setTimeout(r, 100));
    return {
        registrations,
        invokes,
        outputs,
        pending: pending.sort(),
        secretOutputs: secretOutputs.sort(),
        errors: [...new Set(errors)],
    };
}

async function main(): Promise<void> {
    const requests = JSON.parse(process.env.NAIVE_RUN ?? "") as NaiveRunRequest[];
    const results: NaiveRunResult[] = [];
    for (const request of requests) results.push(await runOne(request));
    // Exit only once the pipe has taken the whole line: a large write to a pipe completes asynchronously.
    await new Promise<void>((r) => process.stdout.write(`${RESULT_MARKER}${JSON.stringify(results)}\n`, () => r()));
}

main().then(
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`naiveMockRun failed: ${describe(e)}\n`);
        process.exit(2);
    },
);
