/** Printing the rollout bench's figures (bench/rollout.ts): one line per run, then median and max. */
import { ProbeReport } from "../automation/verify/probe";

export interface GoodRun {
    readonly label: string;
    readonly probe: ProbeReport;
    readonly state?: string;
    readonly swarmS: number;
    readonly watchAfterS: number;
    /** The watch's last poll (its deciding one), relative to CompletedAt; before it, the poll that just missed it. */
    readonly pollsAroundS: readonly number[];
    readonly verifiedAfterS: number;
    readonly watchCalls: number;
    readonly watchS: number;
    readonly totalS: number;
}

export const s1 = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const signed = (ms: number): string => `${ms >= 0 ? "+" : "−"}${s1(Math.abs(ms))}`;

export function printGood(r: GoodRun): void {
    const p = r.probe;
    const rate = p.sent / (p.durationMs / 1000);
    const versions = p.versions.map((v) => `${v.version} ${v.count}`).join(", ");
    const state = r.state === "completed" ? "" : ` (Swarm state ${r.state}!)`;
    console.log(
        `${r.label}: probe ${p.sent} requests (${rate.toFixed(1)}/s; ${versions}), ${p.failures} failed, longest gap ${p.longestGapMs} ms; ` +
            `Swarm update ${r.swarmS.toFixed(1)} s${state}; watch ended ${r.watchAfterS.toFixed(2)} s after CompletedAt ` +
            `(its last two polls at ${r.pollsAroundS.map((v) => signed(v * 1000)).join(", ")}), ` +
            `verification ${r.verifiedAfterS.toFixed(2)} s after; watch ${r.watchCalls} API calls in ${r.watchS.toFixed(1)} s ` +
            `= ${(r.watchCalls / r.watchS).toFixed(2)}/s; update call → provider returned ${r.totalS.toFixed(1)} s`,
    );
}

export function printSummary(runs: readonly GoodRun[]): void {
    const stat = (name: string, values: number[], unit: string, digits: number, goal: string): void => {
        const sorted = [...values].sort((a, b) => a - b);
        const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
        const f = (v: number): string => `${v.toFixed(digits)}${unit}`;
        console.log(
            `  ${name.padEnd(46)} median ${f(median).padStart(9)}  max ${f(sorted.at(-1)!).padStart(9)}  ${goal}`,
        );
    };
    console.log(`good start-first updates, ${runs.length} run(s):`);
    stat(
        "failed probe requests",
        runs.map((r) => r.probe.failures),
        "",
        0,
        "(goal 0)",
    );
    stat(
        "probe rate",
        runs.map((r) => r.probe.sent / (r.probe.durationMs / 1000)),
        "/s",
        1,
        "",
    );
    stat(
        "watch end after Swarm's CompletedAt",
        runs.map((r) => r.watchAfterS),
        " s",
        2,
        "",
    );
    stat(
        "verification end after CompletedAt (+settle)",
        runs.map((r) => r.verifiedAfterS),
        " s",
        2,
        "(goal ≤ 1 s)",
    );
    stat(
        "watch API calls per second",
        runs.map((r) => r.watchCalls / r.watchS),
        "/s",
        2,
        "(goal ≤ 1/s average)",
    );
    stat(
        "Swarm update StartedAt → CompletedAt",
        runs.map((r) => r.swarmS),
        " s",
        1,
        "",
    );
    stat(
        "total rollout (update call → provider returned)",
        runs.map((r) => r.totalS),
        " s",
        1,
        "",
    );
}
