/**
 * The one seam between promotion and Pulumi: everything the orchestrator needs from the
 * engine, as plain data. automation/localEngine.ts implements it with the Automation API;
 * test/support/memoryEngine.ts implements it in memory so orchestration is testable offline.
 */
import { EnvironmentName } from "../components/config";

/** The engine's step operations (a superset-compatible copy of the Automation API's OpType). */
export type ChangeOp =
    | "same"
    | "create"
    | "update"
    | "delete"
    | "replace"
    | "create-replacement"
    | "delete-replaced"
    | "read"
    | "read-replacement"
    | "refresh"
    | "discard"
    | "discard-replaced"
    | "remove-pending-replace"
    | "import"
    | "import-replacement";

export interface ResourceChange {
    readonly urn: string;
    /** Resource type token, e.g. `aws:ecr/repository:Repository`. */
    readonly type: string;
    readonly op: ChangeOp;
}

export interface PreviewResult {
    /** Operation → count, as the engine summarises a preview. */
    readonly changeSummary: Readonly<Partial<Record<ChangeOp, number>>>;
    /** Every step that is not `same`. */
    readonly changes: readonly ResourceChange[];
}

/** Raw stack outputs: name → value (secrets already unwrapped by the engine, never printed). */
export type StackOutputs = Readonly<Record<string, unknown>>;

export interface UpResult {
    readonly outputs: StackOutputs;
}

export interface RunOptions {
    /** Aborting cancels the running operation (the CLI receives SIGINT and stops cleanly). */
    readonly signal?: AbortSignal;
    /** Engine output, streamed as it arrives (--verbose). */
    readonly onOutput?: (text: string) => void;
}

export interface PromotionEngine {
    /** The Pulumi CLI's version, e.g. "3.276.0". Throws CliMissingError when there is none. */
    cliVersion(): Promise<string>;
    stackExists(env: EnvironmentName): Promise<boolean>;
    preview(env: EnvironmentName, opts: RunOptions): Promise<PreviewResult>;
    up(env: EnvironmentName, opts: RunOptions): Promise<UpResult>;
    outputs(env: EnvironmentName): Promise<StackOutputs>;
    /** Config of this project (`imageTag` means `nextstack:imageTag`). */
    getConfig(env: EnvironmentName, key: string): Promise<string | undefined>;
    setConfig(env: EnvironmentName, key: string, value: string): Promise<void>;
    /** Clears the lock an interrupted update left behind (`pulumi cancel`). */
    cancel(env: EnvironmentName): Promise<void>;
}

/** An engine whose every call fails with `fail` (no engine may be used, or none exists). */
export function everyCallFails(fail: () => Promise<never>): PromotionEngine {
    return {
        cliVersion: fail,
        stackExists: fail,
        preview: fail,
        up: fail,
        outputs: fail,
        getConfig: fail,
        setConfig: fail,
        cancel: fail,
    };
}

export const DEPLOYMENT_STATUSES = ["done", "error", "cancelled", "running"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** The outputs verification reads, typed; anything absent or malformed is undefined. */
export interface DeployedApp {
    readonly appUrl?: string;
    readonly healthUrl?: string;
    readonly imageTag?: string;
    readonly deploymentStatus?: DeploymentStatus;
    readonly deploymentId?: string;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function deployedApp(outputs: StackOutputs): DeployedApp {
    const status = text(outputs.deploymentStatus);
    return {
        appUrl: text(outputs.appUrl),
        healthUrl: text(outputs.healthUrl),
        imageTag: text(outputs.imageTag),
        deploymentStatus: (DEPLOYMENT_STATUSES as readonly string[]).includes(status ?? "")
            ? (status as DeploymentStatus)
            : undefined,
        deploymentId: text(outputs.deploymentId),
    };
}

/** "2 to create, 1 to update" from a change summary; `same` is left out. */
export function describeSummary(summary: PreviewResult["changeSummary"]): string {
    const parts = Object.entries(summary)
        .filter(([op, n]) => op !== "same" && typeof n === "number" && n > 0)
        .map(([op, n]) => `${n} to ${op}`);
    const same = summary.same ?? 0;
    return parts.length === 0
        ? `no changes${same ? ` (${same} unchanged)` : ""}`
        : `${parts.join(", ")}${same ? `, ${same} unchanged` : ""}`;
}
