/**
 * Command-line options of `npm run promote` and `npm run status`, parsed with commander into a
 * plain typed object (the orchestrator never sees commander).
 */
import * as path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { ENVIRONMENTS, EnvironmentName, isEnvironmentName } from "../components/config";
import { imageTag as checkImageTag } from "../components/config/rules";
import { defaultStateDir } from "./records";

export interface PromoteOptions {
    readonly plan: boolean;
    readonly dryRun: boolean;
    readonly to?: EnvironmentName;
    readonly only?: EnvironmentName;
    readonly yes: boolean;
    readonly imageTag?: string;
    readonly rollback?: EnvironmentName;
    readonly verbose: boolean;
    readonly allowReplace: boolean;
    readonly projectDir: string;
    readonly stateDir: string;
    /** Folder holding bin/pulumi, when the CLI is not on PATH. */
    readonly pulumiRoot?: string;
    readonly healthDeadlineMs: number;
    readonly allowedDowntimeMs: number;
    readonly probeIntervalMs: number;
    /** Probing after Swarm completed the rollout, so the cut-over's tail is covered. */
    readonly settleMs: number;
}

/** The project this file belongs to: automation/.. holds Pulumi.yaml. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

const env = (v: string): EnvironmentName => {
    if (!isEnvironmentName(v))
        throw new InvalidArgumentError(`"${v}" is not an environment (${ENVIRONMENTS.join(", ")}).`);
    return v;
};
const tag = (v: string): string => {
    const wrong = checkImageTag(v);
    if (wrong) throw new InvalidArgumentError(`image tag "${v}" ${wrong}.`);
    return v;
};
const positive = (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
        throw new InvalidArgumentError(`"${v}" is not a number of seconds/milliseconds ≥ 0.`);
    return n;
};

export function promoteCommand(): Command {
    return new Command("npm run promote --")
        .description(
            "Promote the same image dev → qa → prod: readiness, preview, gate, update, verification, durable record.",
        )
        .option(
            "--plan",
            "offline: print the plan and each environment's readiness from the committed stack configs",
            false,
        )
        .option("--dry-run", "preview only: no update, no record", false)
        .addOption(new Option("--to <env>", "stop after this environment").argParser(env).conflicts("only"))
        .addOption(new Option("--only <env>", "promote this environment only").argParser(env))
        .option("-y, --yes", "update without asking (required without a terminal)", false)
        .addOption(
            new Option(
                "--image-tag <tag>",
                "the version to deploy (default: dev's imageTag, then what the previous environment verified)",
            ).argParser(tag),
        )
        .addOption(
            new Option("--rollback <env>", "redeploy the last verified version there, then verify")
                .argParser(env)
                .conflicts(["only", "to"]),
        )
        .option("--verbose", "stream the engine's output", false)
        .option(
            "--allow-replace",
            "let prod replace or delete the ECR repository, bucket, OIDC provider, roles or runtime user",
            false,
        )
        .option("--state-dir <dir>", `where promotion records live (default .promotion/, or $PROMOTION_STATE_DIR)`)
        .option("--pulumi-root <dir>", "use the Pulumi CLI in <dir>/bin/pulumi (default: PATH, or $PULUMI_ROOT)")
        .addOption(
            new Option("--health-timeout <seconds>", "deadline for the health endpoint after an update")
                .argParser(positive)
                .default(180),
        )
        .addOption(
            new Option("--allowed-downtime <ms>", "outage the probe may see and still pass (0 = zero downtime)")
                .argParser(positive)
                .default(0),
        )
        .addOption(new Option("--probe-interval <ms>", "time between probe requests").argParser(positive).default(200))
        .addOption(
            new Option(
                "--probe-settle <ms>",
                "keep probing this long after Swarm completed the rollout (default: 3 probe intervals)",
            ).argParser(positive),
        )
        .exitOverride()
        .showHelpAfterError();
}

interface RawOptions {
    plan: boolean;
    dryRun: boolean;
    to?: EnvironmentName;
    only?: EnvironmentName;
    yes: boolean;
    imageTag?: string;
    rollback?: EnvironmentName;
    verbose: boolean;
    allowReplace: boolean;
    stateDir?: string;
    pulumiRoot?: string;
    healthTimeout: number;
    allowedDowntime: number;
    probeInterval: number;
    probeSettle?: number;
}

/** Parses user arguments (without node and script). Throws commander's error on bad input. */
export function parsePromoteArgs(
    args: readonly string[],
    processEnv: NodeJS.ProcessEnv = process.env,
    projectDir = PROJECT_DIR,
): PromoteOptions {
    const o = promoteCommand()
        .parse([...args], { from: "user" })
        .opts<RawOptions>();
    return {
        plan: o.plan,
        dryRun: o.dryRun,
        to: o.to,
        only: o.only,
        yes: o.yes,
        imageTag: o.imageTag,
        rollback: o.rollback,
        verbose: o.verbose,
        allowReplace: o.allowReplace,
        projectDir,
        stateDir: o.stateDir ? path.resolve(o.stateDir) : defaultStateDir(projectDir, processEnv),
        pulumiRoot: o.pulumiRoot ?? processEnv.PULUMI_ROOT,
        healthDeadlineMs: o.healthTimeout * 1000,
        allowedDowntimeMs: o.allowedDowntime,
        probeIntervalMs: Math.max(10, o.probeInterval),
        // Three intervals: the tail of the cut-over is seen, and verification still ends within ~1 s of completed.
        settleMs: o.probeSettle ?? 3 * Math.max(10, o.probeInterval),
    };
}

/** The environments a run walks, in order. */
export function targets(o: Pick<PromoteOptions, "only" | "to" | "rollback">): EnvironmentName[] {
    if (o.rollback) return [o.rollback];
    if (o.only) return [o.only];
    return o.to ? ENVIRONMENTS.slice(0, ENVIRONMENTS.indexOf(o.to) + 1) : [...ENVIRONMENTS];
}

/** The command that repeats this run (for "run this next" messages). */
export function rerunCommand(o: PromoteOptions): string {
    const flags = [
        o.dryRun && "--dry-run",
        o.only && `--only ${o.only}`,
        o.to && `--to ${o.to}`,
        o.rollback && `--rollback ${o.rollback}`,
        o.imageTag && `--image-tag ${o.imageTag}`,
        o.allowReplace && "--allow-replace",
    ].filter((f): f is string => typeof f === "string");
    // Always end with "--" so a flag appended by the caller reaches us, not npm.
    return `npm run promote --${flags.length ? ` ${flags.join(" ")}` : ""}`;
}
