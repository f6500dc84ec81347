/**
 * One Dokploy REST call: `x-api-key` auth, GET with a flat query string for queries, POST with a
 * JSON body for mutations, a timeout on every attempt, and bounded retries with exponential
 * backoff and jitter for transient failures only (network errors, timeouts, 502/503/504).
 *
 * Written as plain functions over plain data so the dynamic provider, which is serialized to
 * text by `pulumi.runtime.serializeFunction`, can capture them (only globals: fetch, URL,
 * AbortSignal, setTimeout).
 */
import { errorFromResponse } from "./envelope";
import { DokployError, DokployNetworkError, DokployProtocolError, DokployTimeoutError } from "./errors";

/** Connection settings and tunables of one client. */
export interface TransportOptions {
    /** Dokploy base URL, e.g. `https://dokploy.example.com` (no `/api`). */
    readonly baseUrl: string;
    /** The API key; sent only as the `x-api-key` header and scrubbed from every message. */
    readonly apiKey: string;
    /** Per-attempt timeout in ms (default 30 000). */
    readonly timeoutMs?: number;
    /**
     * The abort signal of one attempt (default `AbortSignal.timeout(timeoutMs)`). Tests end an
     * attempt the fake server holds when it holds it, instead of waiting timeoutMs of real time.
     */
    readonly timeoutSignal?: (timeoutMs: number) => AbortSignal;
    /** Attempts for a retryable call, including the first (default 4). */
    readonly maxAttempts?: number;
    /** First backoff delay in ms, doubled per retry (default 500). */
    readonly backoffBaseMs?: number;
    /** Cap of one backoff delay in ms (default 8 000). */
    readonly backoffMaxMs?: number;
    /** Receives one line per attempt (method, procedure, status, duration); never the key. */
    readonly log?: (line: string) => void;
}

/** How to send one procedure. */
export interface CallOptions {
    readonly method: "GET" | "POST";
    /** Retry transient failures. False for non-idempotent calls (creates, deploys). */
    readonly retry: boolean;
}

/** Removes every occurrence of the key from a text (servers or proxies may echo headers). */
export function redactKey(text: string, key: string): string {
    if (key.length < 4) return text;
    return text.split(key).join("[redacted]");
}

/** Delay before retry `attempt` (1-based): exponential with "equal jitter". */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
    const exp = Math.min(maxMs, baseMs * Math.pow(2, attempt - 1));
    return Math.round(exp / 2 + random() * (exp / 2));
}

function buildUrl(baseUrl: string, procedure: string, query?: Record<string, unknown>): string {
    const url = new URL(`${baseUrl.replace(/\/+$/, "")}/api/${procedure}`);
    if (query) {
        for (const [k, v] of Object.entries(query)) {
            if (v === undefined || v === null) continue;
            url.searchParams.set(k, String(v));
        }
    }
    return url.toString();
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

async function attemptOnce(
    t: TransportOptions,
    procedure: string,
    input: Record<string, unknown> | undefined,
    call: CallOptions,
): Promise<unknown> {
    const redact = (s: string): string => redactKey(s, t.apiKey);
    const timeoutMs = t.timeoutMs ?? 30000;
    const isPost = call.method === "POST";
    const url = buildUrl(t.baseUrl, procedure, isPost ? undefined : input);
    const headers: Record<string, string> = { "x-api-key": t.apiKey, accept: "application/json" };
    if (isPost) headers["content-type"] = "application/json";
    const started = Date.now();
    let status = 0;
    let text: string;
    try {
        const res = await fetch(url, {
            method: call.method,
            headers,
            body: isPost ? JSON.stringify(input ?? {}) : undefined,
            signal: t.timeoutSignal ? t.timeoutSignal(timeoutMs) : AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        text = await res.text();
    } catch (err) {
        const name = err instanceof Error ? err.name : "";
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
        t.log?.(`${call.method} ${procedure} -> ${name || "error"} (${Date.now() - started} ms)`);
        if (name === "TimeoutError" || name === "AbortError") {
            return Promise.reject(
                new DokployTimeoutError(`Dokploy ${procedure} got no complete response within ${timeoutMs} ms`, {
                    procedure,
                    transient: true,
                    uncertain: true,
                }),
            );
        }
        const what = err instanceof Error ? err.message : String(err);
        return Promise.reject(
            new DokployNetworkError(redact(`Dokploy ${procedure}: connection failed (${what}${cause})`), {
                procedure,
                status: status || undefined,
                transient: true,
                uncertain: true,
            }),
        );
    }
    t.log?.(`${call.method} ${procedure} -> ${status} (${Date.now() - started} ms)`);
    if (status < 200 || status > 299) return Promise.reject(errorFromResponse(procedure, status, text, redact));
    // deploy/redeploy answer 200 with 0 bytes.
    if (text.trim().length === 0) return null;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return Promise.reject(
            new DokployProtocolError(`Dokploy ${procedure} answered ${status} with a body that is not JSON`, {
                procedure,
                status,
                uncertain: isPost,
            }),
        );
    }
}

/**
 * Calls one procedure and returns the parsed JSON (null for an empty body). Retries only
 * transient failures and only when `call.retry`; every other error is thrown at once.
 */
export async function dokployCall(
    t: TransportOptions,
    procedure: string,
    input: Record<string, unknown> | undefined,
    call: CallOptions,
): Promise<unknown> {
    const maxAttempts = call.retry ? Math.max(1, t.maxAttempts ?? 4) : 1;
    for (let attempt = 1; ; attempt++) {
        try {
            return await attemptOnce(t, procedure, input, call);
        } catch (err) {
            const retryable = err instanceof DokployError && err.transient;
            if (!retryable || attempt >= maxAttempts) throw err;
            await sleep(backoffDelayMs(attempt, t.backoffBaseMs ?? 500, t.backoffMaxMs ?? 8000, Math.random));
        }
    }
}
