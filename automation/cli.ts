/**
 * Process plumbing for the entry points: arguments, TTY detection, Ctrl-C → AbortSignal,
 * the confirmation prompt, and exit codes. Known failures print as one explained message;
 * only --verbose shows a stack trace for an unexpected one.
 */
import * as path from "node:path";
import { CommanderError } from "commander";
import { EnvironmentName } from "../components/config";
import type { IdentityOf } from "./aws/callerIdentity";
import { findPulumiCli, missingCliEngine } from "./cliPresence";
import { everyCallFails, PromotionEngine } from "./engine";
import { explain, InterruptedError, PromotionError } from "./errors";
import { parsePromoteArgs, PROJECT_DIR } from "./options";
import { promote } from "./orchestrator";
import { LiveProgress, PlainProgress, Progress } from "./progress";
import { RecordStore, defaultStateDir } from "./records";
import { statusReport } from "./statusReport";
import { ecrImageSource } from "./version/source";

/**
 * Loaded only when needed: --plan must not even load the Pulumi SDK, and without a CLI every
 * call fails at once with the install hint, as the SDK's spawn would.
 */
async function localEngine(projectDir: string, pulumiRoot?: string): Promise<PromotionEngine> {
    if (!findPulumiCli(pulumiRoot)) {
        const command = pulumiRoot ? path.resolve(path.join(pulumiRoot, "bin/pulumi")) : "pulumi";
        return missingCliEngine(`spawn ${command} ENOENT`);
    }
    const { LocalEngine } = await import("./localEngine.js");
    return new LocalEngine({ projectDir, pulumiRoot });
}

/** Stands in for the engine where none may be used (--plan). */
const offline = (): never => {
    throw new PromotionError("--plan is offline: no engine call is allowed");
};
export const OFFLINE_ENGINE: PromotionEngine = everyCallFails(offline);

/** First Ctrl-C aborts the running operation cleanly; a second one quits at once. */
function interrupts(progress: Progress): { signal: AbortSignal; dispose: () => void } {
    const controller = new AbortController();
    const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        progress.info(
            "\nCtrl-C: cancelling the running operation and keeping its record (press Ctrl-C again to quit at once)…",
        );
        controller.abort();
    };
    process.on("SIGINT", onSigint);
    return { signal: controller.signal, dispose: () => process.off("SIGINT", onSigint) };
}

export async function runPromote(argv: readonly string[]): Promise<number> {
    let o;
    try {
        o = parsePromoteArgs(argv);
    } catch (err) {
        if (err instanceof CommanderError) return err.exitCode;
        throw err;
    }
    const progress: Progress = process.stdout.isTTY ? new LiveProgress() : new PlainProgress();
    const { signal, dispose } = interrupts(progress);
    try {
        const engine = o.plan ? OFFLINE_ENGINE : await localEngine(o.projectDir, o.pulumiRoot);
        const confirm = async (message: string): Promise<boolean> => {
            const prompts = await import("@inquirer/prompts");
            try {
                return await prompts.confirm({ message, default: false }, { signal });
            } catch (err) {
                if (signal.aborted || (err as Error).name === "ExitPromptError") throw new InterruptedError();
                throw err;
            }
        };
        const isTTY = Boolean(process.stdin.isTTY && process.stdout.isTTY);
        const stepSummaryFile = process.env.GITHUB_STEP_SUMMARY || undefined;
        // Loaded on use: --plan must not load the AWS SDK either.
        const identityOf: IdentityOf = async (aws) => (await import("./aws/callerIdentity.js")).stsCallerIdentity(aws);
        const images = ecrImageSource();
        return (await promote(o, { engine, progress, isTTY, confirm, signal, stepSummaryFile, identityOf, images }))
            .exitCode;
    } catch (err) {
        const { message, next } = explain(err);
        progress.info(`✖ ${message}${next ? `\nNext: ${next}` : ""}`);
        if (o.verbose && err instanceof Error && !(err instanceof PromotionError)) progress.info(err.stack ?? "");
        return 1;
    } finally {
        dispose();
    }
}

export async function runStatus(argv: readonly string[]): Promise<number> {
    const stateDirFlag = argv.indexOf("--state-dir");
    const stateDir =
        stateDirFlag >= 0 && argv[stateDirFlag + 1] ? argv[stateDirFlag + 1] : defaultStateDir(PROJECT_DIR);
    const rootFlag = argv.indexOf("--pulumi-root");
    const pulumiRoot = rootFlag >= 0 ? argv[rootFlag + 1] : process.env.PULUMI_ROOT;
    const text = await statusReport({
        projectDir: PROJECT_DIR,
        records: new RecordStore(stateDir),
        engine: () => localEngine(PROJECT_DIR, pulumiRoot),
    });
    process.stdout.write(`${text}\n`);
    return 0;
}

export type { EnvironmentName };
