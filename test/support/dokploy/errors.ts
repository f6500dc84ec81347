// tRPC-style errors and how each version renders them (API.md §3, v0.30-differences.md §1).
import type { DokployVersion } from "./types";

export type TrpcCode =
    | "BAD_REQUEST"
    | "UNAUTHORIZED"
    | "FORBIDDEN"
    | "NOT_FOUND"
    | "CONFLICT"
    | "PAYLOAD_TOO_LARGE"
    | "UNSUPPORTED_MEDIA_TYPE"
    | "INTERNAL_SERVER_ERROR";

export const STATUS_OF: Record<TrpcCode, number> = {
    BAD_REQUEST: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    INTERNAL_SERVER_ERROR: 500,
};

export type Issue = Record<string, unknown> & { path: (string | number)[]; message: string };

/** Thrown by procedures and the validator; rendered by renderError. */
export class ApiError extends Error {
    constructor(
        readonly code: TrpcCode,
        message: string,
        readonly issues?: Issue[],
    ) {
        super(message);
    }
}

export interface HttpResponse {
    status: number;
    headers: Record<string, string>;
    body: string;
}

export const JSON_TYPE = "application/json";

export function jsonResponse(status: number, value: unknown): HttpResponse {
    return { status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(value) };
}

export function textResponse(status: number, text: string): HttpResponse {
    return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: text };
}

/** The key check's 401 has neither `code` nor `data`, on both versions. */
export function unauthorized(): HttpResponse {
    return jsonResponse(401, { message: "Unauthorized" });
}

/** zod's flatten(): nested paths collapse onto their top-level key. */
function flatten(issues: Issue[]): { formErrors: string[]; fieldErrors: Record<string, string[]> } {
    const formErrors: string[] = [];
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of issues) {
        const key = issue.path[0];
        if (key === undefined) formErrors.push(issue.message);
        else (fieldErrors[String(key)] ??= []).push(issue.message);
    }
    return { formErrors, fieldErrors };
}

/**
 * v0.25.6: {message, code, issues?}. v0.30.2 (trpc-openapi 0.0.18) adds
 * data:{code, httpStatus, path?, zodError}; a production server sends no stack.
 */
export function renderError(version: DokployVersion, error: ApiError, procedure: string | undefined): HttpResponse {
    const status = STATUS_OF[error.code];
    const body: Record<string, unknown> = { message: error.message, code: error.code };
    if (version === "v0.30.2") {
        const data: Record<string, unknown> = { code: error.code, httpStatus: status };
        if (procedure !== undefined) data.path = procedure;
        data.zodError = error.issues ? flatten(error.issues) : null;
        body.data = data;
    }
    if (error.issues) body.issues = error.issues;
    return jsonResponse(status, body);
}

export const notFoundRoute = (): ApiError => new ApiError("NOT_FOUND", "Not found");
