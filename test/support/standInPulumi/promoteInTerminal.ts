/**
 * Runs `--only dev --yes` in a world as automation/cli.ts does (its Ctrl-C handling: the first
 * SIGINT aborts, a second exits 130), so a test can run it inside a pseudo-terminal and type ^C.
 * argv: <projectDir> <stateDir> [forward]; "forward" makes the engine forward the abort as SIGINT
 * even in a terminal, as it did before (the control case).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { LocalEngine } from "../../../automation/localEngine";
import { parsePromoteArgs } from "../../../automation/options";
import { promote } from "../../../automation/orchestrator";
import { PlainProgress } from "../../../automation/progress";
import { swarmCompletes } from "./swarmCompletes";

const [projectDir, stateDir, mode] = process.argv.slice(2);
const controller = new AbortController();

/**
 * In "forward" mode the abort waits until the CLI has handled the terminal's SIGINT, so the
 * forwarded one lands as its second. Sent together, two SIGINTs can merge in the kernel (a
 * signal pending is not queued twice), so the old behaviour was a race between a clean cancel
 * and termination; this makes the control case show the termination every time.
 */
async function cliSawSigint(): Promise<void> {
    const log = path.join(process.env.STANDIN_PULUMI_STATE ?? "", "log.jsonl");
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
        if (existsSync(log) && readFileSync(log, "utf8").includes('"kind":"signal"')) return;
        await new Promise((r) => setTimeout(r, 5));
    }
}

process.on("SIGINT", () => {
    if (controller.signal.aborted) process.exit(130);
    void (mode === "forward" ? cliSawSigint() : Promise.resolve()).then(() => {
        // abort() runs its listeners synchronously (the SDK's forward, if any), so this line comes after it.
        controller.abort();
        process.stdout.write("\nCtrl-C: cancelling the running operation\n");
    });
});
const engine = new LocalEngine({ projectDir, ...(mode === "forward" ? { terminalDeliversSigint: false } : {}) });
promote(parsePromoteArgs(["--only", "dev", "--yes", "--state-dir", stateDir], {}, projectDir), {
    engine,
    progress: new PlainProgress(),
    isTTY: false,
    confirm: async () => true,
    signal: controller.signal,
    rollout: swarmCompletes,
}).then(
    (r) => process.exit(r.exitCode),
    (err: unknown) => {
        process.stdout.write(`unexpected: ${String(err)}\n`);
        process.exit(3);
    },
);
