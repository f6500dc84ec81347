/**
 * Reads typed values from one stack's raw config, recording a problem for each key that is
 * missing or invalid instead of stopping at the first. Values are never repaired: a value with
 * surrounding whitespace is a problem, not trimmed. A derived default (the OIDC subjects from
 * appRepository, the CORS origin from domain) is not checked: if it is wrong, the key it comes
 * from has already been reported, and that is the only thing the user has to fix.
 */
import { closest } from "./suggest";
import { fixCommand, KEY_SPECS, keySpec } from "./keys";
import { ConfigProblem, ProblemKind } from "./problems";
import { RawStackConfig, RawValue } from "./rawConfig";
import { Secret } from "./schema";

export type Check = (value: string) => string | undefined;

/** Quotes a value for the fix command when the shell would otherwise split or expand it. */
export function shellWord(v: string): string {
    return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** Leading or trailing whitespace; a multi-line value (a PEM key) may end in one newline, as its format does. */
function hasStrayWhitespace(v: string, multiline: boolean): boolean {
    const body = multiline ? v.replace(/\r?\n$/, "") : v;
    return body !== body.trim();
}

export class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(private readonly raw: RawStackConfig) {}

    get stack(): string {
        return this.raw.stack;
    }

    problem(key: string, kind: ProblemKind, message: string, fix?: string): void {
        this.problems.push({ stack: this.raw.stack, key, kind, message, fix: fix ?? fixCommand(key, this.raw.stack) });
    }

    invalid(key: string, message: string, fix?: string): void {
        this.problem(key, "invalid", message, fix);
    }

    /** Whether a key already has a problem: checks that depend on it stay quiet. */
    failed(key: string): boolean {
        return this.problems.some((p) => p.key === key);
    }

    /** Whether the stack sets the key at all (a default is not the user's to fix). */
    has(key: string): boolean {
        return this.raw.values.has(key);
    }

    private entry(key: string): RawValue | undefined {
        const value = this.raw.values.get(key);
        const spec = keySpec(key);
        const s = this.raw.stack;
        if (value === undefined || value.value.trim() === "") {
            if (spec?.required) this.problem(key, "missing", `is not set: ${spec.description}`);
            else if (value !== undefined) this.invalid(key, "is empty", `pulumi config rm ${key} -s ${s}`);
            return undefined;
        }
        if (spec?.secret && !value.secret) {
            const rm = `pulumi config rm ${key} -s ${s} && ${fixCommand(key, s)}`;
            this.problem(key, "plaintext-secret", "is stored in plain text in the stack file; it must be a secret", rm);
            return undefined;
        }
        if (!value.encrypted && hasStrayWhitespace(value.value, spec?.multiline ?? false)) {
            // A secret's value is never echoed, not even trimmed; a plain one is shown as it should be.
            const shown = spec?.secret ? "" : ` (${JSON.stringify(value.value)})`;
            const fix = spec?.secret ? undefined : fixCommand(key, s, shellWord(value.value.trim()));
            this.invalid(key, `has leading or trailing whitespace${shown}; set it again without it`, fix);
            return undefined;
        }
        return value;
    }

    /** A text value, checked unless only its ciphertext is known. */
    text(key: string, fallback: string, check?: Check): string {
        const e = this.entry(key);
        if (!e) return fallback;
        const wrong = !e.encrypted && check ? check(e.value) : undefined;
        if (wrong) this.invalid(key, wrong);
        return e.value;
    }

    /** A secret value, wrapped so that it cannot be printed; checked like text. */
    secret(key: string, check?: Check): Secret {
        return new Secret(this.text(key, "", check));
    }

    /** An optional text value: undefined when the stack does not set it. */
    optional(key: string, check?: Check): string | undefined {
        return this.has(key) ? this.text(key, "", check) || undefined : undefined;
    }

    int(key: string, fallback: number, min: number, max: number): number {
        const text = this.text(key, String(fallback));
        const n = Number(text);
        if (!Number.isInteger(n) || n < min || n > max) {
            this.invalid(key, `must be a whole number from ${min} to ${max} (got "${text}")`);
            return fallback;
        }
        return n;
    }

    bool(key: string, fallback: boolean): boolean {
        const text = this.text(key, String(fallback));
        if (text !== "true" && text !== "false") {
            this.invalid(key, `must be true or false (got "${text}")`);
            return fallback;
        }
        return text === "true";
    }

    /** A set JSON value, parsed; undefined when unset or already reported. */
    private json(key: string): { value: unknown } | undefined {
        if (!this.has(key)) return undefined;
        const text = this.text(key, "");
        if (this.failed(key) || text === "") return undefined;
        try {
            return { value: JSON.parse(text) as unknown };
        } catch {
            return { value: undefined };
        }
    }

    /** A JSON list of strings; a user's list is checked item by item, a default is not. */
    list(key: string, fallback: readonly string[], check?: Check, emptyMessage?: string): string[] {
        const parsed = this.json(key);
        if (!parsed) return [...fallback];
        const list = parsed.value;
        if (!Array.isArray(list) || !list.every((x): x is string => typeof x === "string")) {
            this.invalid(key, 'must be a JSON list of strings, e.g. \'["a","b"]\'');
            return [...fallback];
        }
        if (list.length === 0 && emptyMessage) this.invalid(key, emptyMessage);
        for (const item of list) {
            const wrong = check?.(item);
            if (wrong) this.invalid(key, wrong);
        }
        return list;
    }

    /** A JSON object of strings. */
    record(key: string): Record<string, string> {
        const parsed = this.json(key);
        if (!parsed) return {};
        const v = parsed.value;
        if (
            typeof v !== "object" ||
            v === null ||
            Array.isArray(v) ||
            !Object.values(v).every((x) => typeof x === "string")
        ) {
            this.invalid(key, 'must be a JSON object of strings, e.g. \'{"LOG_LEVEL":"info"}\'');
            return {};
        }
        return v as Record<string, string>;
    }

    unknownKeys(): void {
        const known = KEY_SPECS.map((s) => s.key).filter((k) => !k.includes(":"));
        for (const key of this.raw.values.keys()) {
            if (key.includes(":") || known.includes(key)) continue;
            const near = closest(key, known);
            this.problem(
                key,
                "unknown-key",
                `is not a setting of this program${near ? ` (did you mean ${near}?)` : ""}`,
                `pulumi config rm ${key} -s ${this.raw.stack}${near ? ` && ${fixCommand(near, this.raw.stack)}` : ""}`,
            );
        }
    }
}
