/**
 * Typed errors for the Dokploy REST client.
 *
 * Classification uses the HTTP status plus Dokploy's tRPC `code`, never the message wording
 * (messages changed between v0.25 and v0.30; see shared/dokploy/v0.30-differences.md).
 *
 * Why every constructor assigns `this.message` itself: the dynamic provider is shipped as text
 * made by `pulumi.runtime.serializeFunction`, which rewrites classes into plain functions that
 * call `Error.call(this, message)`. That call does not set `message` on `this`, so without the
 * explicit assignment a serialized provider would throw errors with empty messages. The
 * serializer also links a class's prototype chain only when the class has its own members, so
 * every class defines a `kind` getter (that keeps `instanceof` and `name` working in the text),
 * and no class uses field initializers (the serializer drops them).
 */

/** Machine-readable error classes, stable across the serialized form. */
export type DokployErrorKind =
    | "dokploy"
    | "unauthorized"
    | "not_found"
    | "validation"
    | "conflict"
    | "server"
    | "network"
    | "timeout"
    | "protocol"
    | "deployment";

/** What every Dokploy error carries besides its message. */
export interface DokployErrorDetails {
    /** The procedure, e.g. `application.create`. */
    readonly procedure: string;
    /** HTTP status, or undefined for transport failures. */
    readonly status?: number;
    /** Dokploy's tRPC error code (`NOT_FOUND`, `BAD_REQUEST`…), when the body had one. */
    readonly code?: string;
    /** True when retrying the same request may succeed (network, 502/503/504, timeout). */
    readonly transient?: boolean;
    /** True when the request may have been carried out although it failed (for creates). */
    readonly uncertain?: boolean;
}

export class DokployError extends Error {
    readonly procedure: string;
    readonly status?: number;
    readonly code?: string;
    readonly transient: boolean;
    readonly uncertain: boolean;
    constructor(message: string, details: DokployErrorDetails) {
        super(message);
        this.message = message;
        this.name = "DokployError";
        this.procedure = details.procedure;
        this.status = details.status;
        this.code = details.code;
        this.transient = details.transient ?? false;
        this.uncertain = details.uncertain ?? false;
        if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(this, this.constructor);
    }
    get kind(): DokployErrorKind {
        return "dokploy";
    }
}

/** 401/403: wrong, expired, deleted or rate-limited key, or missing permission. */
export class DokployUnauthorizedError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployUnauthorizedError";
    }
    get kind(): DokployErrorKind {
        return "unauthorized";
    }
}

/** 404: the object (or the procedure) does not exist. */
export class DokployNotFoundError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployNotFoundError";
    }
    get kind(): DokployErrorKind {
        return "not_found";
    }
}

/** One input problem reported by Dokploy's zod validation. */
export interface DokployIssue {
    readonly path: string;
    readonly message: string;
}

/** 400/415: input rejected (zod issues or the procedure's own BAD_REQUEST). */
export class DokployValidationError extends DokployError {
    readonly issues: readonly DokployIssue[];
    constructor(message: string, details: DokployErrorDetails, issues: readonly DokployIssue[]) {
        super(message, details);
        this.message = message;
        this.name = "DokployValidationError";
        this.issues = issues;
    }
    get kind(): DokployErrorKind {
        return "validation";
    }
}

/** 409: e.g. an appName collision. */
export class DokployConflictError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployConflictError";
    }
    get kind(): DokployErrorKind {
        return "conflict";
    }
}

/** 5xx: 500 from Dokploy itself (not retried), or 502/503/504 from it or a proxy (retried). */
export class DokployServerError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployServerError";
    }
    get kind(): DokployErrorKind {
        return "server";
    }
}

/** The connection failed or was dropped before a complete response arrived. */
export class DokployNetworkError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployNetworkError";
    }
    get kind(): DokployErrorKind {
        return "network";
    }
}

/** No response within the per-call timeout. */
export class DokployTimeoutError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployTimeoutError";
    }
    get kind(): DokployErrorKind {
        return "timeout";
    }
}

/** A 2xx response whose body could not be understood (not JSON, wrong shape). */
export class DokployProtocolError extends DokployError {
    constructor(message: string, details: DokployErrorDetails) {
        super(message, details);
        this.message = message;
        this.name = "DokployProtocolError";
    }
    get kind(): DokployErrorKind {
        return "protocol";
    }
}

/** A deployment ended in `error`/`cancelled`, or did not finish before the deadline. */
export class DokployDeploymentError extends DokployError {
    readonly deploymentId?: string;
    readonly deploymentStatus?: string;
    constructor(message: string, details: DokployErrorDetails, deploymentId?: string, deploymentStatus?: string) {
        super(message, details);
        this.message = message;
        this.name = "DokployDeploymentError";
        this.deploymentId = deploymentId;
        this.deploymentStatus = deploymentStatus;
    }
    get kind(): DokployErrorKind {
        return "deployment";
    }
}

/** True for a 404 from Dokploy (the object is gone). */
export function isNotFound(err: unknown): err is DokployNotFoundError {
    return err instanceof DokployNotFoundError;
}
