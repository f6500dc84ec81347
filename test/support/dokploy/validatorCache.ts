// Compiled ajv validators, kept between processes. Compiling the request schemas costs ~275 ms
// of CPU per process (application.update alone ~100 ms per version, plus ~65 ms to load ajv),
// and every mocha worker or test process that starts a fake compiles the same ones. A validator
// is ajv's own standalone code for its schema (`ajv/dist/standalone`: the function `compile`
// returns, as module text), stored under a hash of the ajv version, the options and the schema,
// so a changed schema, option or ajv is a new entry and an entry never goes stale. Every process
// runs that code, the one that compiled it too, so the fake's validation tests check the code
// every run uses. Files are written under another name and renamed into place: a reader sees a
// whole file or none. The folder is the repository's node_modules/.cache (where tools keep such
// caches; `npm ci` starts it empty); a failure to read or write it falls back to compiling.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type AjvClass from "ajv";
import type { Options, ValidateFunction } from "ajv";
import type { Schema } from "./openapi";
import type { DokployVersion } from "./types";

// strict:false tolerates x-* keywords and OpenAPI-isms; verbose gives parentSchema/data.
// code.optimize:false skips ajv's pass that only shrinks the generated code (same checks, ~40%
// less compile time); code.source keeps the code for the cache.
const OPTIONS: Options = {
    allErrors: true,
    strict: false,
    verbose: true,
    validateFormats: false,
    code: { optimize: false, source: true },
};

const CACHE_DIR = join(__dirname, "..", "..", "..", "node_modules", ".cache", "fake-dokploy-ajv");

// ajv itself is loaded only when a schema has to be compiled.
const ajvByVersion = new Map<DokployVersion, AjvClass>();

function ajvFor(version: DokployVersion): AjvClass {
    let ajv = ajvByVersion.get(version);
    if (!ajv) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { default: Ajv } = require("ajv") as typeof import("ajv");
        ajv = new Ajv(OPTIONS);
        ajvByVersion.set(version, ajv);
    }
    return ajv;
}

/** Evaluates standalone module text; its `require`s (ajv/dist/runtime/*) resolve from here. */
function loadValidator(code: string): ValidateFunction {
    const module = { exports: {} as { default?: ValidateFunction } };
    new Function("require", "module", "exports", code)(require, module, module.exports);
    const validate = module.exports.default;
    if (typeof validate !== "function") throw new Error("not a validator module");
    return validate;
}

/** ajv's standalone module text of the validator of `schema`. */
function compileToCode(version: DokployVersion, schema: Schema): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
    const ajv = ajvFor(version);
    return standaloneCode(ajv, ajv.compile(schema));
}

function entryName(schema: Schema): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ajvVersion = (require("ajv/package.json") as { version: string }).version;
    const hash = createHash("sha256")
        .update(JSON.stringify([ajvVersion, OPTIONS, schema]))
        .digest("hex");
    return `${hash}.js`;
}

/** The validator of `schema`: the code an earlier process stored, else compiled now and stored. */
export function cachedValidator(version: DokployVersion, schema: Schema): ValidateFunction {
    const file = join(CACHE_DIR, entryName(schema));
    try {
        return loadValidator(readFileSync(file, "utf8"));
    } catch {
        // Not stored yet (or unreadable): compile.
    }
    const code = compileToCode(version, schema);
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
        mkdirSync(CACHE_DIR, { recursive: true });
        writeFileSync(temporary, code);
        renameSync(temporary, file);
    } catch {
        rmSync(temporary, { force: true });
    }
    return loadValidator(code);
}
