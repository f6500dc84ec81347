/**
 * Failures the user can act on, each with the command to run next. The engine adapter turns
 * Automation API errors into these, so the orchestrator and the CLI never print a stack trace
 * for a known condition.
 */

/**
 * 3.139.0 is the first release whose engine gives a Node.js dynamic provider the stack's config
 * in `configure` (pulumi/pulumi CHANGELOG "3.139.0 (2024-11-14)": #17697, #17673); it also has
 * AbortSignal cancellation (3.134.0, #16783) and structured preview events.
 */
export const MIN_CLI_VERSION = "3.139.0";

export const INSTALL_HINT =
    "Install it with `curl -fsSL https://get.pulumi.com | sh` (then open a new shell), " +
    "or point at an existing one with `--pulumi-root <dir>` / PULUMI_ROOT (the folder holding bin/pulumi).";

/** A known, explained failure: `message` says what and where, `next` is the command to run. */
export class PromotionError extends Error {
    constructor(
        message: string,
        readonly next?: string,
    ) {
        super(message);
        this.name = "PromotionError";
    }
}

export class CliMissingError extends PromotionError {
    constructor(detail?: string) {
        super(
            `Pulumi CLI not found${detail ? ` (${detail})` : ""}. ${INSTALL_HINT}`,
            "curl -fsSL https://get.pulumi.com | sh",
        );
        this.name = "CliMissingError";
    }
}

export class CliTooOldError extends PromotionError {
    constructor(readonly version: string) {
        super(
            `Pulumi CLI ${version} is older than ${MIN_CLI_VERSION}, which promotion needs (stack config in the Dokploy provider's configure, clean cancellation, structured preview events).`,
            "curl -fsSL https://get.pulumi.com | sh   (installs the latest CLI)",
        );
        this.name = "CliTooOldError";
    }
}

export class StackLockedError extends PromotionError {
    constructor(readonly env: string) {
        super(
            `Stack "${env}" is locked: another update is running, or an interrupted one left its lock behind.`,
            `pulumi cancel -s ${env}   (only if no other update is running; check with: pulumi stack history -s ${env})`,
        );
        this.name = "StackLockedError";
    }
}

export class StackMissingError extends PromotionError {
    constructor(readonly env: string) {
        super(
            `Stack "${env}" does not exist in the selected backend.`,
            `pulumi stack init ${env}   (after: pulumi login <backend>)`,
        );
        this.name = "StackMissingError";
    }
}

export class InterruptedError extends PromotionError {
    constructor(readonly env?: string) {
        super(
            `Interrupted${env ? ` during ${env}` : ""} (Ctrl-C): the running operation was cancelled and its record kept.`,
            env
                ? `npm run promote   (resumes; if ${env} stays locked: pulumi cancel -s ${env})`
                : "npm run promote   (resumes)",
        );
        this.name = "InterruptedError";
    }
}

/** Compares dotted versions ("3.134.0" < "3.276.0"); pre-release suffixes are ignored. */
export function versionAtLeast(version: string, minimum: string): boolean {
    const parse = (v: string) =>
        v
            .replace(/^v/, "")
            .split(/[-+]/)[0]
            .split(".")
            .map((n) => Number.parseInt(n, 10) || 0);
    const a = parse(version);
    const b = parse(minimum);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const d = (a[i] ?? 0) - (b[i] ?? 0);
        if (d !== 0) return d > 0;
    }
    return true;
}

/** One line for any error: known ones as they are, unknown ones with their first line only. */
export function explain(err: unknown): { message: string; next?: string } {
    if (err instanceof PromotionError) return { message: err.message, next: err.next };
    const message = err instanceof Error ? err.message : String(err);
    return {
        message:
            message
                .split("\n")
                .find((l) => l.trim() !== "")
                ?.trim() ?? "unknown error",
    };
}
