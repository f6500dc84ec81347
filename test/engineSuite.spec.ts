import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROGRAM_UNDER_MOCKS_SPECS } from "./support/specBundles";

// npm test needs no Docker: the real-engine scenarios live in test/engine/ and run with
// `npm run test:engine` (test/support/engine/ starts the engine). This spec keeps that split honest.
const root = join(__dirname, "..");
const json = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, file), "utf8"));

describe("real-engine suite", () => {
    it("is not part of npm test: run npm run test:engine", () => {
        const fast = json(".mocharc.json") as { ignore?: string[] };
        const engine = json(".mocharc.engine.json") as { spec?: string[] };
        const scripts = (json("package.json") as { scripts: Record<string, string> }).scripts;
        expect(fast.ignore).to.include("test/engine/**");
        expect(engine.spec).to.deep.equal(["test/engine/**/*.spec.ts"]);
        expect(scripts["test:engine"]).to.equal("mocha --config .mocharc.engine.json");
        expect(readdirSync(join(root, "test", "engine")).filter((f) => f.endsWith(".spec.ts"))).to.not.be.empty;
        console.log("      real-engine suite not part of npm test: run npm run test:engine");
    });
});

// npm test runs files in parallel workers (.mocharc.json): a hook at a file's top level would be a
// root hook in serial mode (running around every file's tests) but only that file's in a worker.
describe("fast suite in parallel workers", () => {
    it("has no spec with a root-level hook, which parallel mode would scope to its own file", () => {
        const specs = readdirSync(join(root, "test")).filter((f) => f.endsWith(".spec.ts"));
        const rooted = specs.filter((f) =>
            /^(before|after|beforeEach|afterEach)\s*\(/m.test(readFileSync(join(root, "test", f), "utf8")),
        );
        expect(rooted).to.deep.equal([]);
        expect(json(".mocharc.json")).to.include({ parallel: true });
    });

    // test/support/mochaSetup.mjs loads the TypeScript runtime wherever specs run; a config with its
    // own node-option or another require would run specs in a setup npm test does not have.
    it("npm run test:file and the engine suite run with the same runtime and setup as npm test", () => {
        const fast = json(".mocharc.json") as { require: string[] };
        const engine = json(".mocharc.engine.json") as { require: string[] };
        const script = (json("package.json") as { scripts: Record<string, string> }).scripts["test:file"];
        expect(fast.require).to.deep.equal(["test/support/mochaSetup.mjs"]);
        expect(engine.require).to.deep.equal(fast.require);
        expect(script.match(/--require \S+/g)).to.deep.equal(fast.require.map((r) => `--require ${r}`));
        expect(script).to.include("--no-config");
        for (const config of [fast, engine, script]) expect(JSON.stringify(config)).to.not.include("node-option");
    });

    // The slowest files are listed first so the two workers finish together; the last glob takes
    // the rest, and the program-under-mocks specs run through one bundle file (one warm-up). A
    // glob or bundle mistake must not drop or repeat a spec.
    it("runs every spec outside test/engine exactly once, the bundle and the slowest first", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const collect = require("mocha/lib/cli/collect-files.cjs") as (o: object) => { files: string[] };
        const fast = json(".mocharc.json") as { spec: string[]; ignore: string[]; extension: string[] };
        const files = collect({ ...fast, file: [], recursive: false, sort: false }).files.map((f) =>
            f.slice(root.length + 1),
        );
        const bundle = "test/programUnderMocks.bundle.ts";
        expect(files[0]).to.equal(bundle);
        const run = [...files.slice(1), ...PROGRAM_UNDER_MOCKS_SPECS.map((name) => `test/${name}.spec.ts`)];
        const all = readdirSync(join(root, "test"), { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".spec.ts") && !f.startsWith("engine/"))
            .map((f) => `test/${f}`);
        expect(new Set(run).size, "a spec runs twice").to.equal(run.length);
        expect([...run].sort()).to.deep.equal(all.sort());
        expect(files[1]).to.equal(fast.spec[1]);
    });
});
