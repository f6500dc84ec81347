// Validation issues in the two zod dialects: zod 3.25 (v0.25.6) and zod 4.3 (v0.30.2).
// Key order follows what each zod version builds, so JSON bodies look like the real ones.
import type { Issue } from "./errors";
import type { DokployVersion } from "./types";

type Path = (string | number)[];

/** zod 3 getParsedType / zod 4 parsedType, which differ only in NaN's spelling. */
export function receivedType(value: unknown, version: DokployVersion): string {
    if (value === undefined) return "undefined";
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number" && Number.isNaN(value)) return version === "v0.25.6" ? "nan" : "NaN";
    return typeof value;
}

function quoteList(values: unknown[], version: DokployVersion, sep: string): string {
    return values.map((v) => (version === "v0.25.6" && typeof v === "string" ? `'${v}'` : JSON.stringify(v))).join(sep);
}

export function invalidType(version: DokployVersion, path: Path, expected: string, value: unknown): Issue {
    const received = receivedType(value, version);
    if (version === "v0.25.6") {
        const message = received === "undefined" ? "Required" : `Expected ${expected}, received ${received}`;
        return { code: "invalid_type", expected, received, path, message };
    }
    const issue: Issue = {
        expected,
        code: "invalid_type",
        path,
        message: `Invalid input: expected ${expected}, received ${received}`,
    };
    // zod 4 only adds `received` for NaN/Infinity numbers.
    if (received === "NaN") return { expected, code: "invalid_type", received, path, message: issue.message };
    return issue;
}

export function nonOptional(path: Path): Issue {
    return {
        code: "invalid_type",
        expected: "nonoptional",
        path,
        message: "Invalid input: expected nonoptional, received undefined",
    };
}

export function unrecognizedKeys(version: DokployVersion, path: Path, keys: string[]): Issue {
    const message =
        version === "v0.25.6"
            ? `Unrecognized key(s) in object: ${keys.map((k) => `'${k}'`).join(", ")}`
            : `Unrecognized key${keys.length > 1 ? "s" : ""}: ${keys.map((k) => JSON.stringify(k)).join(", ")}`;
    return { code: "unrecognized_keys", keys, path, message };
}

export function invalidEnum(version: DokployVersion, path: Path, options: unknown[], value: unknown): Issue {
    const shown = options.filter((o) => o !== null);
    if (version === "v0.25.6") {
        return {
            received: value,
            code: "invalid_enum_value",
            options: shown,
            path,
            message: `Invalid enum value. Expected ${quoteList(shown, version, " | ")}, received '${String(value)}'`,
        };
    }
    return {
        code: "invalid_value",
        values: shown,
        path,
        message: `Invalid option: expected one of ${quoteList(shown, version, "|")}`,
    };
}

export function sizeIssue(
    version: DokployVersion,
    path: Path,
    kind: "too_small" | "too_big",
    origin: "string" | "number" | "array",
    limit: number,
    custom: string | undefined,
): Issue {
    const small = kind === "too_small";
    if (version === "v0.25.6") {
        const bound = small ? "minimum" : "maximum";
        const defaults: Record<string, string> = {
            string: `String must contain ${small ? "at least" : "at most"} ${limit} character(s)`,
            number: `Number must be ${small ? "greater" : "less"} than or equal to ${limit}`,
            array: `Array must contain ${small ? "at least" : "at most"} ${limit} element(s)`,
        };
        return {
            code: kind,
            [bound]: limit,
            type: origin,
            inclusive: true,
            exact: false,
            message: custom ?? defaults[origin]!,
            path,
        };
    }
    const bound = small ? "minimum" : "maximum";
    const cmp = small ? ">=" : "<=";
    const unit = origin === "string" ? " characters" : origin === "array" ? " items" : "";
    const verb = origin === "number" ? "be" : "have";
    const message = custom ?? `Too ${small ? "small" : "big"}: expected ${origin} to ${verb} ${cmp}${limit}${unit}`;
    return { origin, code: kind, [bound]: limit, inclusive: true, path, message };
}

export function patternIssue(version: DokployVersion, path: Path, pattern: string, custom: string | undefined): Issue {
    if (version === "v0.25.6")
        return { validation: "regex", code: "invalid_string", message: custom ?? "Invalid", path };
    return {
        origin: "string",
        code: "invalid_format",
        format: "regex",
        pattern: `/${pattern}/`,
        path,
        message: custom ?? `Invalid string: must match pattern /${pattern}/`,
    };
}

export function customIssue(path: Path, message: string): Issue {
    return { code: "custom", path, message };
}
