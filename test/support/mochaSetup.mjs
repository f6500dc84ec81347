/**
 * The one `require` of every mocha run here (.mocharc.json, .mocharc.engine.json, `npm run
 * test:file`, bench/testFilesRun.ts). Mocha loads it in each process before any spec.
 *
 * 1. Test children start without NODE_EXTRA_CA_CERTS. The sandbox this project is developed and
 *    tested in sets it to the system bundle; Node 20 then parses every certificate in it at each
 *    start (~90 ms of CPU per `node` on these 2 cores, against ~45 ms without). The tests start
 *    well over a hundred node processes (the stand-in `pulumi`, the docker stand-in, the
 *    promote/status entry points, mocha's own workers), and every one of them talks to 127.0.0.1
 *    only. Product code never reads or sets it; a real run keeps whatever the user's shell has.
 * 2. TypeScript (typescriptRuntime.mjs) and the SDK trace settings (quietPromiseTraces.ts) are
 *    loaded where specs run: a mocha worker, or mocha's own process when it runs serially. The
 *    main process of a parallel run only collects file names and reports, so it skips them: a
 *    tsx load (~0.5 s of CPU) and, without a `node-option`, mocha's re-spawn of itself.
 */
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, sep } from "node:path";

delete process.env.NODE_EXTRA_CA_CERTS;

const require = createRequire(import.meta.url);

/** Mocha's CLI (bin/mocha.js, lib/cli/cli.js), not one of its workers (lib/nodejs/worker.cjs). */
function isMochaCli(script) {
    if (!script) return false;
    const mochaRoot = dirname(require.resolve("mocha/package.json")) + sep;
    const real = realpathSync(script);
    return real.startsWith(mochaRoot) && !real.endsWith(`${sep}worker.cjs`);
}

/** Mocha's own reading of its command line and config files decides whether it runs in parallel. */
function isParallelMain() {
    if (!isMochaCli(process.argv[1])) return false;
    const { loadOptions } = require("mocha/lib/cli/options.cjs");
    return loadOptions(process.argv.slice(2)).parallel === true;
}

if (!isParallelMain()) {
    await import("./typescriptRuntime.mjs");
    require("./quietPromiseTraces.ts");
}
