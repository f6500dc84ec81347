// Test-injected failures. A fault matches by procedure name (case-insensitive) or "*";
// each matching request consumes one of its `times`. "*" never matches /api/health so a
// readiness probe keeps working while faults are armed.
import { jsonResponse, textResponse, type HttpResponse } from "./errors";
import type { DokployVersion, Fault } from "./types";

export class FaultQueue {
    private faults: { fault: Fault; left: number }[] = [];

    inject(fault: Fault): void {
        this.faults.push({ fault: { ...fault }, left: fault.times ?? 1 });
    }

    clear(): void {
        this.faults = [];
    }

    pending(): Fault[] {
        return this.faults.map(({ fault, left }) => ({ ...fault, times: left }));
    }

    /** Consumes and returns the first fault that matches this procedure, if any. */
    take(procedure: string): Fault | undefined {
        const lower = procedure.toLowerCase();
        const index = this.faults.findIndex(({ fault }) =>
            fault.procedure === "*" ? lower !== "health" : fault.procedure.toLowerCase() === lower,
        );
        if (index === -1) return undefined;
        const entry = this.faults[index]!;
        entry.left--;
        if (entry.left <= 0) this.faults.splice(index, 1);
        return entry.fault;
    }
}

const PROXY_TEXT: Record<number, string> = { 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

const DEFAULT_BODIES: Record<number, { message: string; code?: string }> = {
    400: { message: "Bad request", code: "BAD_REQUEST" },
    401: { message: "Unauthorized" },
    403: { message: "Forbidden", code: "FORBIDDEN" },
    404: { message: "Not found", code: "NOT_FOUND" },
    409: { message: "Conflict", code: "CONFLICT" },
    413: { message: "Payload too large", code: "PAYLOAD_TOO_LARGE" },
    429: { message: "Too many requests", code: "TOO_MANY_REQUESTS" },
    500: { message: "Internal server error", code: "INTERNAL_SERVER_ERROR" },
};

/** The response a `status` fault produces: a given body, a proxy's plain text, or a tRPC-like body. */
export function statusFaultResponse(
    fault: Extract<Fault, { kind: "status" }>,
    version: DokployVersion,
    procedure: string,
): HttpResponse {
    if (fault.body !== undefined) {
        return typeof fault.body === "string"
            ? textResponse(fault.status, fault.body)
            : jsonResponse(fault.status, fault.body);
    }
    // Dokploy sits behind Traefik: gateway errors come from the proxy as plain text.
    const proxy = PROXY_TEXT[fault.status];
    if (proxy) return textResponse(fault.status, proxy);
    const base = DEFAULT_BODIES[fault.status] ?? { message: "Internal server error", code: "INTERNAL_SERVER_ERROR" };
    const body: Record<string, unknown> = { ...base };
    if (version === "v0.30.2" && base.code !== undefined) {
        body.data = { code: base.code, httpStatus: fault.status, path: procedure, zodError: null };
    }
    return jsonResponse(fault.status, body);
}

/** 200 with a truncated JSON document, as from a proxy that cut the upstream response. */
export function malformedResponse(): HttpResponse {
    return { status: 200, headers: { "content-type": "application/json" }, body: '{"message": "truncated' };
}
