// Turns an OpenAPI request schema into what the real zod validator actually enforces.
// Where the document and the observed server disagree we follow API.md and the log:
//  - Top-level unknown keys are stripped, not rejected, although v0.25.6 writes
//    additionalProperties:false everywhere (zod 3 default "strip", [real]).
//  - Only the swarm objects are strict; the inner Spread, Global, GlobalJob and DriverOpts
//    objects strip their unknown keys (API.md §5.2), despite additionalProperties:false.
//  - v0.25.6 stopGracePeriodSwarm is a zod bigint: the document's "integer" misleads; any
//    JSON value other than null fails with "Expected bigint" (API.md §5.1).
//  - `.required()` does not force nullable keys on zod 3 (API.md §5), so the v0.25.6
//    "required" lists are taken as they are. On zod 4 it does: such keys get "nonoptional".
//  - Custom zod messages the document cannot carry ("Add a hostname", ...) are overlaid.
// OpenAPI 3.1 `anyOf:[X,{type:"null"}]` is folded into X + `nullable:true` so one
// error mapper serves both documents.
import { isRecord, type Schema } from "./openapi";
import type { DokployVersion } from "./types";

const NON_STRICT_V025 = new Set(["Spread", "Global", "GlobalJob", "DriverOpts"]);

const DOMAIN_MESSAGES = {
    host: { minLength: "Add a hostname" },
    port: { minimum: "Port must be at least 1", maximum: "Port must be 65535 or below" },
};

/** Custom messages per procedure and top-level key (db/validations/domain.ts, schema/application.ts). */
const MESSAGES: Record<string, Record<string, Record<string, string>>> = {
    "domain.create": DOMAIN_MESSAGES,
    "domain.update": DOMAIN_MESSAGES,
    "application.create": {
        appName: { pattern: "App name can only contain letters, numbers, dots, underscores and hyphens" },
    },
};

/** Keys zod 4 reports as "nonoptional" when absent although their type is not nullable. */
const NONOPTIONAL_V030: Record<string, string[]> = {
    "application.saveEnvironment": ["createEnvFile"],
};

function fold(schema: Schema): Schema {
    if (!Array.isArray(schema.anyOf)) return schema;
    const branches = schema.anyOf.filter(isRecord);
    const nonNull = branches.filter((b) => b.type !== "null");
    if (nonNull.length !== 1 || nonNull.length === branches.length) return schema;
    const { anyOf: _dropped, ...rest } = schema;
    return { ...rest, ...fold(nonNull[0]!), nullable: true };
}

function normalizeNode(input: Schema, version: DokployVersion, key: string | undefined): Schema {
    const out: Schema = fold({ ...input });
    if (version === "v0.25.6" && key === "stopGracePeriodSwarm") return { "x-bigint": true };
    if (isRecord(out.properties)) {
        const props: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(out.properties)) {
            props[name] = isRecord(sub) ? normalizeNode(sub, version, name) : sub;
        }
        out.properties = props;
    }
    if (isRecord(out.additionalProperties))
        out.additionalProperties = normalizeNode(out.additionalProperties, version, undefined);
    if (isRecord(out.items)) out.items = normalizeNode(out.items, version, undefined);
    if (version === "v0.25.6" && key !== undefined && NON_STRICT_V025.has(key) && out.additionalProperties === false) {
        delete out.additionalProperties;
    }
    if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
}

export function normalizeInputSchema(raw: Schema, version: DokployVersion, procedure: string): Schema {
    const top = normalizeNode(raw, version, undefined);
    delete top.additionalProperties;
    const props = isRecord(top.properties) ? top.properties : {};
    const required = Array.isArray(top.required) ? top.required.filter((r): r is string => typeof r === "string") : [];
    for (const [name, messages] of Object.entries(MESSAGES[procedure] ?? {})) {
        const prop = props[name];
        if (isRecord(prop)) props[name] = { ...prop, "x-messages": messages };
    }
    if (version === "v0.30.2") {
        const forced = NONOPTIONAL_V030[procedure] ?? [];
        for (const name of required) {
            const prop = props[name];
            if (isRecord(prop) && (prop.nullable === true || "default" in prop || forced.includes(name))) {
                props[name] = { ...prop, "x-nonoptional": true };
            }
        }
    }
    return { ...top, properties: props, required };
}
