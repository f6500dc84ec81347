// What every procedure handler receives, plus small typed readers for validated input
// (validation already guaranteed the types; these only narrow `unknown` for the compiler).
import type { DeploymentWorker } from "../deployments";
import { ApiError } from "../errors";
import type { FakeStore } from "../store";
import type { SimClock } from "../swarm/clock";
import type { DeployResult, SwarmBackend } from "../swarm/model";
import type { ApplicationRow, DokployVersion } from "../types";
import type { Views } from "../views";

export interface ProcedureContext {
    store: FakeStore;
    views: Views;
    worker: DeploymentWorker;
    version: DokployVersion;
    /** The swarm the deploys drive: simulated by default, or the real engine. */
    swarm: SwarmBackend;
    /** Simulated time (the wall clock in engine mode); every swarm timestamp comes from it. */
    clock: SimClock;
    /** Pull (unless told not to) and create/update the app's service from its stored settings. */
    deployService(app: ApplicationRow, opts?: { pull: boolean }): Promise<DeployResult>;
}

/** Returned by procedures whose tRPC resolver returns nothing (or undefined): 200 with a 0-byte body. */
export const EMPTY_BODY: unique symbol = Symbol("empty body");

export type Input = Record<string, unknown>;
export type Handler = (ctx: ProcedureContext, input: Input) => unknown;
export type ProcedureMap = Record<string, Handler>;

export function str(input: Input, key: string): string {
    const value = input[key];
    return typeof value === "string" ? value : String(value ?? "");
}

export function optStr(input: Input, key: string): string | undefined {
    const value = input[key];
    return typeof value === "string" ? value : undefined;
}

/** undefined when absent, null when null, else the string. */
export function nullableStr(input: Input, key: string): string | null | undefined {
    const value = input[key];
    if (value === null) return null;
    return typeof value === "string" ? value : undefined;
}

/** Copies the present keys of `input` (except `skip`) onto `row`; returns how many were set. */
export function assignPresent(row: object, input: Input, skip: string[]): number {
    let count = 0;
    for (const [key, value] of Object.entries(input)) {
        if (skip.includes(key) || value === undefined) continue;
        Reflect.set(row, key, value);
        count++;
    }
    return count;
}

export function findApplication(ctx: ProcedureContext, applicationId: string): ApplicationRow {
    const app = ctx.store.applications.get(applicationId);
    if (!app) throw new ApiError("NOT_FOUND", "Application not found");
    return app;
}

/** drizzle's error when an update has no column left to write (API.md §5). */
export function noValuesToSet(): ApiError {
    return new ApiError("INTERNAL_SERVER_ERROR", "No values to set");
}
