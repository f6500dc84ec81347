/**
 * The test processes' TypeScript runtime: tsx, exactly as `--import tsx` loads it, except that
 * files under node_modules go to Node's own CommonJS loader, untouched.
 *
 * Why: tsx's CommonJS hook reads every .js file it loads and lexes it for ESM syntax, and with
 * tsx's source maps on, Node also maps each file's own source map. For the SDKs the tests load
 * (@pulumi/*, the AWS SDK v3) that is ~1.3 s of CPU per process on these 2 cores, of a ~1.5 s load
 * (measured: requiring them all took 2.7-3.1 s of CPU under `--import tsx`, 1.3-1.7 s with this).
 * Packages are plain CommonJS or ES modules that Node loads itself; only our .ts needs tsx.
 *
 * Use: `node --import ./test/support/typescriptRuntime.mjs …`; mocha runs load it through mochaSetup.mjs.
 */
import Module from "node:module";
import { sep } from "node:path";

const nodeLoader = Module._extensions[".js"];
await import("tsx");
const tsxLoader = Module._extensions[".js"];
const NODE_MODULES = `${sep}node_modules${sep}`;

Module._extensions[".js"] = function loadJs(module, filename) {
    if (!filename.includes(NODE_MODULES)) return tsxLoader.call(this, module, filename);
    // Source maps stay on for our files (stack traces name .ts lines); a package's own maps are not read.
    const mapped = process.sourceMapsEnabled;
    if (mapped) process.setSourceMapsEnabled(false);
    try {
        return nodeLoader.call(this, module, filename);
    } finally {
        if (mapped) process.setSourceMapsEnabled(true);
    }
};
