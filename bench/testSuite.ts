/**
 * Test-suite wall time (issue 9 §2: `npm test` ≤ 20 s on this 2-core machine): runs `npm test`
 * once in a child process, as a user would, and prints its wall time with mocha's closing counts
 * and the machine it ran on. The load average is printed too: on a shared machine it explains
 * a slow run, and so is the run's CPU over all its processes. Run alone with
 * `npx tsx bench/testSuite.ts`.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { childCpuMs } from "./testFilesRun";

export interface SuiteCounts {
    readonly passing?: number;
    readonly failing?: number;
    readonly pending?: number;
    /** Mocha's own duration, as it prints it ("48s", "950ms"). */
    readonly mochaTime?: string;
}

/** Mocha's closing lines: "  464 passing (48s)", "  3 pending", "  1 failing". */
export function parseMochaSummary(output: string): SuiteCounts {
    const text = output.replace(/\u001b\[[0-9;]*m/g, "");
    const count = (word: string): number | undefined => {
        const all = [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, "gm"))];
        return all.length > 0 ? Number(all.at(-1)![1]) : undefined;
    };
    return {
        passing: count("passing"),
        failing: count("failing"),
        pending: count("pending"),
        mochaTime: [...text.matchAll(/^\s*\d+ passing \(([^)]+)\)/gm)].at(-1)?.[1],
    };
}

/** Each failure's title and first error line, from mocha's list after the summary. */
export function failureTitles(output: string, max = 5): string[] {
    const lines = output.replace(/\u001b\[[0-9;]*m/g, "").split("\n");
    const start = lines.findIndex((l) => /^\s*\d+ failing\b/.test(l));
    const titles: string[] = [];
    for (let i = start + 1; start >= 0 && i < lines.length && titles.length < max; i++) {
        if (!/^\s+\d+\) /.test(lines[i]!)) continue;
        const title: string[] = [];
        // Mocha prints the title over several lines, the last ending in ":", then the error message.
        while (i < lines.length && !title.at(-1)?.endsWith(":")) title.push(lines[i++]!.trim());
        while (i < lines.length && lines[i]!.trim() === "") i++;
        titles.push(`${title.join(" ")} — ${(lines[i] ?? "").trim().slice(0, 200)}`);
    }
    return titles;
}

/**
 * Seconds a fixed CPU-bound loop takes in a fresh node: a hint of what else the machine was doing
 * around the run. On this shared 2-core machine the same loop measured 1.6 s to 3.4 s at different
 * hours with nothing else of ours running. It is one core's speed for a moment, so it does not
 * predict the suite's time closely (measured: a 13.7 s run at 1.71 s, a 16.4 s run at 3.15 s).
 */
export async function cpuYardstickSeconds(): Promise<number> {
    const { execa } = await import("execa");
    const t0 = performance.now();
    await execa(process.execPath, ["-e", "let s = 0; for (let i = 0; i < 2e8; i++) s += i ^ 1;"]);
    return (performance.now() - t0) / 1000;
}

export async function runTestSuiteBench(): Promise<void> {
    const { execa } = await import("execa");
    const load = loadavg().map((l) => l.toFixed(2));
    console.log(
        `machine: ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), node ${process.version}, ` +
            `load average ${load.join(" ")} when the run started`,
    );
    const before = await cpuYardstickSeconds();
    const t0 = performance.now();
    const cpu0 = childCpuMs();
    const run = await execa("npm", ["test"], {
        cwd: resolve(__dirname, ".."),
        reject: false,
        all: true,
        env: { FORCE_COLOR: "0", NO_COLOR: "1" },
        timeout: 600_000,
    });
    const wallS = (performance.now() - t0) / 1000;
    const cpuS = (childCpuMs() - cpu0) / 1000;
    const c = parseMochaSummary(String(run.all ?? ""));
    const n = (v: number | undefined): string => (v === undefined ? "0" : String(v));
    const outcome = run.timedOut ? "timed out" : `exit ${run.exitCode}`;
    console.log(
        `npm test: ${wallS.toFixed(1)} s wall (goal ≤ 20 s), ${outcome}; ${n(c.passing)} passing, ${n(c.failing)} failing, ` +
            `${n(c.pending)} pending${c.mochaTime ? ` (mocha's own time ${c.mochaTime})` : ""}`,
    );
    // Every process of the run (npm, mocha, its workers and what they started) is reaped by its parent.
    console.log(
        `  CPU: ${cpuS.toFixed(1)} s user+sys over the whole process tree (${(cpuS / wallS).toFixed(2)} cores busy on average)`,
    );
    const after = await cpuYardstickSeconds();
    console.log(
        `  machine speed: a fixed 2e8-step loop took ${before.toFixed(2)} s before the run and ${after.toFixed(2)} s after ` +
            "(about 1.6 s on this machine when quiet; a hint of other load, not a correction)",
    );
    for (const t of failureTitles(String(run.all ?? ""))) console.log(`  failing: ${t}`);
    if (c.passing === undefined) {
        const tail = String(run.all ?? "")
            .trim()
            .split("\n")
            .slice(-5)
            .join("\n  ");
        console.log(`  no mocha summary found; last lines:\n  ${tail}`);
    }
}

if (require.main === module) {
    runTestSuiteBench().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
