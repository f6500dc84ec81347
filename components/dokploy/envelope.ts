/**
 * Turns a non-2xx Dokploy response into a typed error.
 *
 * Handles both error envelopes (v0.25: `{message, code, issues?}`; v0.29+: the same plus a
 * `data` object with `zodError`), zod 3 and zod 4 issue shapes, the code-less 401 from the key
 * check, and plain-text bodies (`Invalid JSON`, proxies' HTML 502 pages).
 */
import {
    DokployConflictError,
    DokployError,
    DokployErrorDetails,
    DokployIssue,
    DokployNotFoundError,
    DokployServerError,
    DokployUnauthorizedError,
    DokployValidationError,
} from "./errors";
import { isRecord } from "./types";

/** The parts of an error body the client reads; everything else is ignored. */
export interface ErrorEnvelope {
    readonly message?: string;
    readonly code?: string;
    readonly issues: readonly DokployIssue[];
}

/** zod 3 and zod 4 issues both have `path` (array) and `message`; nothing else is relied on. */
function readIssues(raw: unknown): DokployIssue[] {
    if (!Array.isArray(raw)) return [];
    const out: DokployIssue[] = [];
    for (const item of raw) {
        if (!isRecord(item)) continue;
        const path = Array.isArray(item.path) ? item.path.map((p) => String(p)).join(".") : "";
        const message = typeof item.message === "string" ? item.message : String(item.code ?? "invalid");
        out.push({ path: path || "(input)", message });
    }
    return out;
}

/** v0.29+ `data.zodError.fieldErrors`: a fallback when `issues` is missing. */
function readFieldErrors(data: unknown): DokployIssue[] {
    if (!isRecord(data) || !isRecord(data.zodError)) return [];
    const fieldErrors = data.zodError.fieldErrors;
    if (!isRecord(fieldErrors)) return [];
    const out: DokployIssue[] = [];
    for (const [key, msgs] of Object.entries(fieldErrors)) {
        if (Array.isArray(msgs)) for (const m of msgs) out.push({ path: key, message: String(m) });
    }
    return out;
}

/** Parses an error body; plain text becomes the message (trimmed, HTML tags dropped). */
export function parseErrorBody(text: string): ErrorEnvelope {
    let parsed: unknown;
    try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
        parsed = undefined;
    }
    if (isRecord(parsed)) {
        const issues = readIssues(parsed.issues);
        return {
            message: typeof parsed.message === "string" ? parsed.message : undefined,
            code: typeof parsed.code === "string" ? parsed.code : undefined,
            issues: issues.length > 0 ? issues : readFieldErrors(parsed.data),
        };
    }
    const plain = text
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    return { message: plain.length > 0 ? plain.slice(0, 200) : undefined, issues: [] };
}

/** Hint shown with every 401: the rate-limit trap answers 401, not 429. */
export const UNAUTHORIZED_HINT =
    "Dokploy rejected the API key: it is wrong, expired or deleted, or it is rate-limited. " +
    "Keys created with rate limiting on (the API default: 10 verifications per day, i.e. 5 requests) " +
    "answer 401 once spent. Create the key with rate limiting off (Settings → Profile → API/CLI Keys, " +
    "or user.createApiKey with rateLimitEnabled:false) and store it with " +
    "`pulumi config set --secret dokployApiToken <key> -s <stack>`.";

/** Builds the typed error for a non-2xx status. `redact` scrubs the key from echoed text. */
export function errorFromResponse(
    procedure: string,
    status: number,
    bodyText: string,
    redact: (s: string) => string,
): DokployError {
    const env = parseErrorBody(redact(bodyText));
    const code = env.code;
    const what = `Dokploy ${procedure} failed with ${status}${code ? ` ${code}` : ""}`;
    const msg = env.message ? `${what}: ${env.message}` : what;
    const base: DokployErrorDetails = { procedure, status, code };
    if (status === 401 || status === 403) {
        // A code-less 401 comes from the key check; with a code it is a permission problem.
        const detail = code ? `${msg}. The key's user may lack permission on this object. ` : `${what}. `;
        return new DokployUnauthorizedError(detail + UNAUTHORIZED_HINT, base);
    }
    if (status === 404) return new DokployNotFoundError(msg, base);
    if (status === 409) return new DokployConflictError(msg, base);
    if (status === 400 || status === 415 || status === 422) {
        const list = env.issues.map((i) => `${i.path}: ${i.message}`);
        const full = list.length > 0 ? `${msg} (${list.join("; ")})` : msg;
        return new DokployValidationError(full, base, env.issues);
    }
    if (status === 502 || status === 503 || status === 504) {
        return new DokployServerError(msg, { ...base, transient: true, uncertain: true });
    }
    if (status >= 500) {
        // A 500 with a Dokploy code is a definite answer (never retried), but the action may
        // still have happened (the v0.25 BigInt serialization 500 comes after the write).
        return new DokployServerError(msg, { ...base, uncertain: true });
    }
    return new DokployError(msg, base);
}
