/**
 * Loads index.ts the way Pulumi's Node.js runtime loads a CommonJS program
 * (@pulumi/pulumi 3.276.0 cmd/run/run.js: `programExport = require(program)` unless package.json
 * says "type": "module"), with its module cache entry dropped first so that every call evaluates
 * it afresh and registers its resources again. The modules it imports stay cached, as they would
 * across the resources of one real run.
 */
import * as path from "node:path";

export const PROGRAM = path.resolve(__dirname, "..", "..", "index.ts");

/** index.ts's exports (the stack outputs), from a fresh evaluation of it. */
export function loadProgram(): Record<string, unknown> {
    delete require.cache[PROGRAM];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(PROGRAM) as Record<string, unknown>;
}
