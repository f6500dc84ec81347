// The OpenAPI document a real server serves at settings.getOpenApiDocument decides which
// procedures exist, their method, and their request schemas. The server reads the vendored
// extract ./openapi/<version>.json, which keeps only paths.*.{get,post}.{requestBody,parameters}
// of the documents in shared/dokploy/ (test/dokployOpenapi.spec.ts checks they still match), so
// every machine behaves the same. $DOKPLOY_OPENAPI_DIR points at full documents instead.
// Parsed once per version.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DokployVersion } from "./types";

export type Schema = Record<string, unknown>;

export interface Route {
    /** Canonical name, e.g. "application.saveDockerProvider". */
    name: string;
    method: "GET" | "POST";
    operation: Schema;
}

export interface RouteTable {
    /** Keyed by the lower-cased procedure name: trpc-openapi matches paths case-insensitively. */
    byLowerName: Map<string, Route>;
}

const tables = new Map<DokployVersion, RouteTable>();

export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function documentPath(version: DokployVersion): string {
    const dir = process.env.DOKPLOY_OPENAPI_DIR;
    const full = dir ? join(dir, `openapi-${version}.json`) : undefined;
    return full && existsSync(full) ? full : vendoredDocumentPath(version);
}

export function vendoredDocumentPath(version: DokployVersion): string {
    return join(__dirname, "openapi", `${version}.json`);
}

export function routeTable(version: DokployVersion): RouteTable {
    const cached = tables.get(version);
    if (cached) return cached;
    const doc: unknown = JSON.parse(readFileSync(documentPath(version), "utf8"));
    const paths = isRecord(doc) && isRecord(doc.paths) ? doc.paths : {};
    const byLowerName = new Map<string, Route>();
    for (const [path, ops] of Object.entries(paths)) {
        if (!isRecord(ops)) continue;
        const name = path.replace(/^\//, "");
        for (const method of ["get", "post"] as const) {
            const operation = ops[method];
            if (isRecord(operation)) {
                byLowerName.set(name.toLowerCase(), { name, method: method === "get" ? "GET" : "POST", operation });
            }
        }
    }
    const table = { byLowerName };
    tables.set(version, table);
    return table;
}

/** requestBody schema for POST, or an object schema built from the query parameters for GET. */
export function inputSchema(route: Route): Schema {
    if (route.method === "POST") {
        const body = route.operation.requestBody;
        const content = isRecord(body) && isRecord(body.content) ? body.content["application/json"] : undefined;
        if (isRecord(content) && isRecord(content.schema)) return content.schema;
        return { type: "object", properties: {} };
    }
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    const params = Array.isArray(route.operation.parameters) ? route.operation.parameters : [];
    for (const param of params) {
        if (!isRecord(param) || param.in !== "query" || typeof param.name !== "string") continue;
        properties[param.name] = isRecord(param.schema) ? param.schema : {};
        if (param.required === true) required.push(param.name);
    }
    return { type: "object", properties, required };
}
