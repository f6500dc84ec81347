/**
 * Child of bench/testFiles.ts: runs the given spec files one after another in this one process,
 * as a mocha worker does (same `require` files, a fresh Mocha per file), and prints per file the
 * wall time, this process's CPU and the CPU of the child processes the file started and reaped
 * (/proc/self/stat cutime + cstime), one JSON line each after RESULT_MARKER.
 *
 * Usage: node --import ./test/support/typescriptRuntime.mjs bench/testFilesRun.ts <spec file>…
 * (the runtime the workers get; .mocharc.json's require, test/support/mochaSetup.mjs, adds the rest).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

// Mocha 12's CommonJS entry is its ES module namespace: the class is the `Mocha` export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Mocha } = require("mocha") as { Mocha: typeof import("mocha") };

export const RESULT_MARKER = "TEST_FILE_CPU ";

export interface FileCpu {
    readonly file: string;
    readonly wallMs: number;
    readonly selfMs: number;
    readonly childMs: number;
    readonly tests: number;
    readonly failures: number;
}

/** CPU of this process's reaped children and theirs, in ms (Linux only; 0 where /proc is missing). */
export function childCpuMs(): number {
    try {
        const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
        // Fields 16 and 17 of proc(5) (cutime, cstime), in clock ticks of 10 ms.
        return (Number(fields[13]) + Number(fields[14])) * 10;
    } catch {
        return 0;
    }
}

async function runFile(file: string): Promise<FileCpu> {
    const cpu0 = process.cpuUsage();
    const child0 = childCpuMs();
    const t0 = performance.now();
    const mocha = new Mocha({ timeout: 20_000, reporter: "dot" });
    mocha.addFile(resolve(file));
    await mocha.loadFilesAsync();
    let tests = 0;
    const failures = await new Promise<number>((done) => {
        const runner = mocha.run(done);
        runner.on("test end", () => (tests += 1));
    });
    mocha.dispose();
    const cpu = process.cpuUsage(cpu0);
    return {
        file,
        wallMs: Math.round(performance.now() - t0),
        selfMs: Math.round((cpu.user + cpu.system) / 1000),
        childMs: childCpuMs() - child0,
        tests,
        failures,
    };
}

async function main(): Promise<void> {
    const config = JSON.parse(readFileSync(resolve(__dirname, "..", ".mocharc.json"), "utf8")) as {
        require?: string[];
    };
    for (const r of config.require ?? []) await import(resolve(__dirname, "..", r));
    for (const file of process.argv.slice(2)) {
        process.stdout.write(`${RESULT_MARKER}${JSON.stringify(await runFile(file))}\n`);
    }
}

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (err: unknown) => {
            console.error(err);
            process.exit(2);
        },
    );
}
