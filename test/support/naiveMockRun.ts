/**
 * Runs index.ts under NAIVE mocks, the kind an outside auditor writes: every resource
 * echoes its inputs (or nothing) as state, so every output only the cloud computes (arn,
 * repositoryUrl, applicationId, …) is undefined. The invoke mock echoes its inputs, returns
 * nothing, or throws. These mocks are independent of test/mocks.ts: they know no resource type,
 * no account and no invoke token.
 *
 * The runs happen in the calling (mocha) process, one after another, each with fresh mocks,
 * config and index.ts. `setMocks` is process-global, so while they run these mocks replace the
 * shared ones of test/mocks.ts: the caller makes those current again afterwards
 * (test/naiveMocks.spec.ts does it in its `after` hook with test/mocks.ts's useStack). The config
 * (setAllConfig, also process-global) is left as the last run set it: its only reader is index.ts
 * (components/config/runtimeConfig.ts), and test/mocks.ts's runProgram sets the whole config
 * before every load of index.ts. While the runs last, this module takes
 * the process's `unhandledRejection` and `uncaughtException` events for itself (mocha's own
 * listeners are set aside and put back afterwards), so an error a naive run raises is recorded as
 * data in that run's result instead of failing a mocha hook or going unseen.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadProgram } from "./program";

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
    /** Unhandled rejections, uncaught exceptions, a failing program load, RPCs still in flight. */
    readonly errors: string[];
}

/** How long a run waits for its outputs, and then for its registrations and invokes in flight. */
const OUTPUT_WAIT_MS = 5000;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

const describeError = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

/** `promise`'s value, or `done: false` once `ms` have passed; a rejection within `ms` rejects. */
function within<T>(promise: Promise<T>, ms: number): Promise<{ done: boolean; value?: T }> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ done: false }), ms);
        promise.then(
            (value) => {
                clearTimeout(timer);
                resolve({ done: true, value });
            },
            (e: unknown) => {
                clearTimeout(timer);
                reject(e);
            },
        );
    });
}

function resolveWithin<T>(output: pulumi.Output<T>, ms: number): Promise<{ done: boolean; value?: T }> {
    return within(
        new Promise<T>((r) =>
            output.apply((value) => {
                r(value);
                return value;
            }),
        ),
        ms,
    );
}

async function runOne(request: NaiveRunRequest, errors: string[]): Promise<NaiveRunResult> {
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
        const exported = Object.entries(loadProgram()).filter(
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
        // Bounded too: a registration waiting on a hung input never completes, and the next run
        // (or the shared mocks) must not wait for it.
        const rpcs = await within(settings.waitForRPCs(), OUTPUT_WAIT_MS);
        if (!rpcs.done) errors.push(`rpc: registrations or invokes still in flight after ${OUTPUT_WAIT_MS} ms`);
    } catch (e) {
        errors.push(`program: ${describeError(e)}`);
    }
    // Let rejections raised by the last registrations reach the handlers: Node reports an
    // unhandled rejection once the microtask queue drains, so one timers turn (for zero-delay
    // timers the program set) and one check turn after it are enough; no guessed delay.
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setImmediate(r));
    return {
        registrations,
        invokes,
        outputs,
        pending: pending.sort(),
        secretOutputs: secretOutputs.sort(),
        errors: [...new Set(errors)],
    };
}

type ProcessListener = (...args: unknown[]) => void;
const EVENTS = ["unhandledRejection", "uncaughtException"] as const;

/**
 * Runs each request in turn in this process; results come back in request order. Stops before
 * the next request once `signal` is aborted (the caller gave up, e.g. its hook timed out, and may
 * already have put its own mocks back). Leaves the naive mocks of the last run current.
 */
export async function runNaivePrograms(
    requests: readonly NaiveRunRequest[],
    signal?: AbortSignal,
): Promise<NaiveRunResult[]> {
    const errors: string[] = [];
    const record: Record<(typeof EVENTS)[number], ProcessListener> = {
        unhandledRejection: (e) => errors.push(`unhandledRejection: ${describeError(e)}`),
        uncaughtException: (e) => errors.push(`uncaughtException: ${describeError(e)}`),
    };
    const setAside = new Map<string, ProcessListener[]>();
    for (const event of EVENTS) {
        setAside.set(event, process.rawListeners(event) as ProcessListener[]);
        process.removeAllListeners(event);
        process.on(event, record[event]);
    }
    try {
        const results: NaiveRunResult[] = [];
        for (const request of requests) {
            signal?.throwIfAborted();
            results.push(await runOne(request, errors));
        }
        return results;
    } finally {
        for (const event of EVENTS) {
            process.removeListener(event, record[event]);
            for (const listener of setAside.get(event) ?? []) process.on(event, listener);
        }
    }
}
