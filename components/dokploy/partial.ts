/**
 * Partial-state errors. @pulumi/pulumi's dynamic provider host (cmd/dynamic-provider/index.js,
 * `grpcResponseFromError`) turns an error that carries `id` into ErrorResourceInitFailed with
 * `properties` and `reasons`: the engine records the resource (id and those outputs) although
 * the step failed, the next `pulumi up` updates it and `pulumi destroy` deletes it.
 *
 * The host does not add `__provider` to these properties (it does for normal results), and
 * `read`/`delete` load the provider from the stored properties, so the properties must carry
 * `__provider` themselves, copied from the inputs.
 */

/** An error the engine turns into "created/updated but failed to initialize". */
export interface PartialStateError extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];
}

export function partialStateError(
    cause: unknown,
    id: string,
    properties: object,
    providerText: unknown,
    note: string,
): PartialStateError {
    const base = cause instanceof Error ? cause.message : String(cause);
    const message = `${base} (${note})`;
    const err = new Error(message) as Error & {
        id: string;
        properties: Record<string, unknown>;
        reasons: string[];
        cause?: unknown;
    };
    err.name = cause instanceof Error ? cause.name : "Error";
    err.id = id;
    err.properties = { ...(properties as Record<string, unknown>), __provider: providerText };
    err.reasons = [message];
    err.cause = cause;
    return err;
}

/** True for an error produced by partialStateError. */
export function isPartialStateError(e: unknown): e is PartialStateError {
    return (
        e instanceof Error &&
        typeof (e as { id?: unknown }).id === "string" &&
        typeof (e as { properties?: unknown }).properties === "object"
    );
}
