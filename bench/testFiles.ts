/**
 * Where the test suite's time goes: every spec file of `npm test`, run one after another in one
 * process (bench/testFilesRun.ts), with its wall time, the test process's CPU and the CPU of the
 * child processes it started. The first file also pays for loading the SDK and serializing the
 * dynamic provider, as the first file of each mocha worker does. With 2 cores, `npm test` cannot
 * take less wall time than about half the total CPU printed here.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FileCpu } from "./testFilesRun";

const ROOT = resolve(__dirname, "..");
const MARKER = "TEST_FILE_CPU ";

/** The spec files `npm test` runs: test/**\/*.spec.ts without test/engine (.mocharc.json). */
export function fastSpecFiles(dir = join(ROOT, "test"), rel = "test"): string[] {
    return readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory()
                ? rel === "test" && e.name === "engine"
                    ? []
                    : fastSpecFiles(join(dir, e.name), `${rel}/${e.name}`)
                : e.name.endsWith(".spec.ts")
                  ? [`${rel}/${e.name}`]
                  : [],
        )
        .sort();
}

export function parseFileCpu(output: string): FileCpu[] {
    return output
        .split("\n")
        .filter((l) => l.startsWith(MARKER))
        .map((l) => JSON.parse(l.slice(MARKER.length)) as FileCpu);
}

const s = (ms: number): string => (ms / 1000).toFixed(1).padStart(5);

export async function runTestFilesBench(top = 12): Promise<void> {
    const { execa } = await import("execa");
    const files = fastSpecFiles();
    const run = await execa(
        process.execPath,
        [
            "--import",
            join(ROOT, "test", "support", "typescriptRuntime.mjs"),
            join(ROOT, "bench", "testFilesRun.ts"),
            ...files,
        ],
        {
            cwd: ROOT,
            reject: false,
            all: true,
            env: { FORCE_COLOR: "0", NO_COLOR: "1" },
            timeout: 600_000,
        },
    );
    const rows = parseFileCpu(String(run.stdout ?? ""));
    if (rows.length !== files.length) {
        const tail = String(run.all ?? "")
            .trim()
            .split("\n")
            .slice(-5)
            .join("\n  ");
        console.log(
            `per-file run ended early (${rows.length} of ${files.length} files, exit ${run.exitCode}):\n  ${tail}`,
        );
    }
    const sum = (f: (r: FileCpu) => number) => rows.reduce((a, r) => a + f(r), 0);
    const self = sum((r) => r.selfMs);
    const child = sum((r) => r.childMs);
    const failures = sum((r) => r.failures);
    console.log(
        `${rows.length} spec files one after another in one process: ${s(sum((r) => r.wallMs)).trim()} s wall, ` +
            `CPU ${s(self + child).trim()} s (${s(self).trim()} s in the test process, ${s(child).trim()} s in child processes)` +
            `${failures ? `, ${failures} failing` : ""}`,
    );
    console.log(`  the ${top} files with the most CPU (s):   wall   self  child  tests`);
    for (const r of [...rows].sort((a, b) => b.selfMs + b.childMs - (a.selfMs + a.childMs)).slice(0, top)) {
        console.log(
            `  ${r.file.padEnd(38)} ${s(r.wallMs)}  ${s(r.selfMs)}  ${s(r.childMs)}  ${String(r.tests).padStart(5)}`,
        );
    }
}

if (require.main === module) {
    runTestFilesBench().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
