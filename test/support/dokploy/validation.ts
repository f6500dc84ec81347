// Input validation with ajv against the request schemas of the chosen version's OpenAPI
// document (normalized by schema.ts), reported as zod issues. Schemas are compiled lazily,
// once per version and procedure (and kept between processes, validatorCache.ts), so starting a
// server stays cheap.
import type { ErrorObject, ValidateFunction } from "ajv";
import { ApiError, type Issue } from "./errors";
import { inputSchema, isRecord, type Route, type Schema } from "./openapi";
import { normalizeInputSchema } from "./schema";
import * as zi from "./issues";
import type { DokployVersion } from "./types";
import { cachedValidator } from "./validatorCache";

interface Compiled {
    schema: Schema;
    validate: ValidateFunction;
}

const compiled = new Map<string, Compiled>();

function compile(version: DokployVersion, route: Route): Compiled {
    const key = `${version} ${route.name}`;
    let entry = compiled.get(key);
    if (!entry) {
        const schema = normalizeInputSchema(inputSchema(route), version, route.name);
        entry = { schema, validate: cachedValidator(version, schema) };
        compiled.set(key, entry);
    }
    return entry;
}

type Path = (string | number)[];

function props(schema: Schema): Record<string, unknown> {
    return isRecord(schema.properties) ? schema.properties : {};
}

function requiredOf(schema: Schema): string[] {
    return Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : [];
}

function isNumberType(s: Schema): boolean {
    return s.type === "number" || s.type === "integer";
}

/**
 * trpc-openapi's coercion. v0.25.6 (0.0.4): top-level number/boolean keys go through
 * Number()/Boolean() inside the optional/nullable wrappers, so null stays null only when
 * nullable and a missing required number becomes NaN. v0.30.2 (0.0.18): numbers at any
 * depth; booleans are not coerced there (createEnvFile:null is a 400, v0.30-differences §4).
 */
function coerce(data: Record<string, unknown>, schema: Schema, version: DokployVersion, depth: number): void {
    const required = requiredOf(schema);
    for (const [key, raw] of Object.entries(props(schema))) {
        if (!isRecord(raw)) continue;
        const value = data[key];
        const isRequired = required.includes(key);
        if (value === undefined && (!isRequired || raw["x-nonoptional"] === true)) continue;
        if (value === null && raw.nullable === true) continue;
        const topLevelOnly = version === "v0.25.6" && depth > 0;
        if (isNumberType(raw) && !topLevelOnly && typeof value !== "number") data[key] = Number(value);
        else if (raw.type === "boolean" && version === "v0.25.6" && depth === 0 && typeof value !== "boolean")
            data[key] = Boolean(value);
        else if (version === "v0.30.2" && isRecord(value) && raw.type === "object")
            coerce(value, raw, version, depth + 1);
        else if (version === "v0.30.2" && Array.isArray(value) && isRecord(raw.items)) {
            for (const item of value) if (isRecord(item)) coerce(item, raw.items, version, depth + 1);
        }
    }
}

/** NaN passes ajv's "number"; zod rejects it (the visible effect of coercing a missing number). */
function nanIssues(data: unknown, schema: Schema, version: DokployVersion, path: Path, out: Issue[]): void {
    if (!isRecord(data)) return;
    for (const [key, raw] of Object.entries(props(schema))) {
        if (!isRecord(raw)) continue;
        const value = data[key];
        if (typeof value === "number" && Number.isNaN(value))
            out.push(zi.invalidType(version, [...path, key], "number", value));
        else if (isRecord(value)) nanIssues(value, raw, version, [...path, key], out);
    }
}

function toPath(instancePath: string): Path {
    if (instancePath === "") return [];
    return instancePath
        .slice(1)
        .split("/")
        .map((seg) => {
            const unescaped = seg.replace(/~1/g, "/").replace(/~0/g, "~");
            return /^\d+$/.test(unescaped) ? Number(unescaped) : unescaped;
        });
}

function expectedName(s: Schema, version: DokployVersion): string {
    if (Array.isArray(s.enum)) {
        const options = s.enum.filter((o) => o !== null);
        return version === "v0.25.6"
            ? options.map((o) => `'${String(o)}'`).join(" | ")
            : options.map((o) => JSON.stringify(o)).join("|");
    }
    if (s.type === "integer") return version === "v0.25.6" ? "number" : "int";
    return typeof s.type === "string" ? s.type : "object";
}

function customMessage(parent: unknown, keyword: string): string | undefined {
    const messages = isRecord(parent) ? parent["x-messages"] : undefined;
    const value = isRecord(messages) ? messages[keyword] : undefined;
    return typeof value === "string" ? value : undefined;
}

function mapErrors(errors: ErrorObject[], version: DokployVersion): Issue[] {
    const issues: Issue[] = [];
    const typeFailed = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
    const unknownKeys = new Map<string, string[]>();
    for (const e of errors) {
        const path = toPath(e.instancePath);
        const parent: Schema = isRecord(e.parentSchema) ? e.parentSchema : {};
        if (e.keyword !== "type" && typeFailed.has(e.instancePath)) continue;
        switch (e.keyword) {
            case "required": {
                const missing = String(e.params.missingProperty);
                const sub = props(parent)[missing];
                const subSchema: Schema = isRecord(sub) ? sub : {};
                issues.push(
                    version === "v0.30.2" && subSchema["x-nonoptional"] === true
                        ? zi.nonOptional([...path, missing])
                        : zi.invalidType(version, [...path, missing], expectedName(subSchema, version), undefined),
                );
                break;
            }
            case "type":
                issues.push(zi.invalidType(version, path, expectedName(parent, version), e.data));
                break;
            case "enum":
                issues.push(zi.invalidEnum(version, path, Array.isArray(parent.enum) ? parent.enum : [], e.data));
                break;
            case "additionalProperties": {
                const list = unknownKeys.get(e.instancePath) ?? [];
                list.push(String(e.params.additionalProperty));
                unknownKeys.set(e.instancePath, list);
                break;
            }
            case "minLength":
            case "maxLength":
            case "minimum":
            case "maximum":
            case "minItems":
            case "maxItems": {
                const kind = e.keyword.startsWith("min") ? "too_small" : "too_big";
                const origin = e.keyword.endsWith("Length")
                    ? "string"
                    : e.keyword.endsWith("Items")
                      ? "array"
                      : "number";
                issues.push(
                    zi.sizeIssue(version, path, kind, origin, Number(e.params.limit), customMessage(parent, e.keyword)),
                );
                break;
            }
            case "pattern":
                issues.push(zi.patternIssue(version, path, String(e.params.pattern), customMessage(parent, "pattern")));
                break;
            default:
                issues.push(zi.customIssue(path, e.message ?? "Invalid input"));
        }
    }
    // zod checks the shape first, then reports all unknown keys of an object in one issue.
    for (const [instancePath, keys] of unknownKeys)
        issues.push(zi.unrecognizedKeys(version, toPath(instancePath), keys));
    return issues;
}

/** Rank of an issue in zod's order: object keys in shape order, unknown-key issues last. */
function rank(issue: Issue, schema: Schema): number[] {
    const out: number[] = [];
    let node: unknown = schema;
    for (const seg of issue.path) {
        if (typeof seg === "number") {
            out.push(seg);
            node = isRecord(node) ? node.items : undefined;
        } else {
            const names = isRecord(node) ? Object.keys(props(node)) : [];
            const index = names.indexOf(seg);
            out.push(index === -1 ? names.length : index);
            node = isRecord(node) ? props(node)[seg] : undefined;
        }
    }
    if (issue.code === "unrecognized_keys") out.push(Number.MAX_SAFE_INTEGER);
    return out;
}

function compareRanks(a: number[], b: number[]): number {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
}

/** zod "strip": drop keys an object schema does not declare, unless it is strict or a map. */
function strip(data: unknown, schema: Schema): void {
    if (Array.isArray(data) && isRecord(schema.items)) {
        for (const item of data) strip(item, schema.items);
        return;
    }
    if (!isRecord(data) || !isRecord(schema.properties)) return;
    const declared = props(schema);
    for (const key of Object.keys(data)) {
        const sub = declared[key];
        if (isRecord(sub)) strip(data[key], sub);
        else if (schema.additionalProperties === undefined || schema.additionalProperties === true) delete data[key];
    }
}

/** Validates, coerces and strips `input` in place; throws ApiError(BAD_REQUEST) with zod issues. */
export function validateInput(version: DokployVersion, route: Route, input: unknown): Record<string, unknown> {
    const { schema, validate } = compile(version, route);
    const issues: Issue[] = [];
    if (isRecord(input)) {
        coerce(input, schema, version, 0);
        nanIssues(input, schema, version, [], issues);
        for (const [key, raw] of Object.entries(props(schema))) {
            const value = input[key];
            if (isRecord(raw) && raw["x-bigint"] === true && value !== undefined && value !== null) {
                issues.push(zi.invalidType(version, [key], "bigint", value));
            }
        }
    }
    if (!validate(input)) issues.push(...mapErrors(validate.errors ?? [], version));
    if (issues.length > 0) {
        issues.sort((a, b) => compareRanks(rank(a, schema), rank(b, schema)));
        throw new ApiError("BAD_REQUEST", "Input validation failed", issues);
    }
    if (!isRecord(input))
        throw new ApiError("BAD_REQUEST", "Input validation failed", [zi.invalidType(version, [], "object", input)]);
    strip(input, schema);
    return input;
}
