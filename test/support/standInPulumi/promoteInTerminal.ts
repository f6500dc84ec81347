/**
 * Runs `--only dev --yes` in a world as automation/cli.ts does (its Ctrl-C handling: the first
 * SIGINT aborts, a second exits 130), so a test can run it inside a pseudo-terminal and type ^C.
 * argv: <projectDir> <stateDir> [forward]; "forward" makes the engine forward the abort as SIGINT
 * even in a terminal, as it did before (the control case).
 */
import { LocalEngine } from "../../../automation/localEngine";
import { parsePromoteArgs } from "../../../automation/options";
import { promote } from "../../../automation/orchestrator";
import { PlainProgress } from "../../../automation/progress";
import { swarmCompletes } from "./swarmCompletes";

const [projectDir, stateDir, mode] = process.argv.slice(2);
const controller = new AbortController();
process.on("SIGINT", () => {
    if (controller.signal.aborted) process.exit(130);
    process.stdout.write("\nCtrl-C: cancelling the running operation\n");
    controller.abort();
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
