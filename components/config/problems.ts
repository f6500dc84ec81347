/** What validation reports: one problem per key, each with the command that fixes it. */

export type ProblemKind = "missing" | "invalid" | "plaintext-secret" | "unknown-key";

export interface ConfigProblem {
    readonly stack: string;
    readonly key: string;
    readonly kind: ProblemKind;
    /** What is wrong, in one sentence. */
    readonly message: string;
    /** The command that fixes it. */
    readonly fix: string;
}

/** Thrown by the program when config is invalid, before any resource is registered. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(formatProblems(problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
    const stack = problems[0]?.stack ?? "?";
    const lines = problems.map((p) => `  - ${p.key}: ${p.message}\n    fix: ${p.fix}`);
    return `Stack "${stack}" has ${problems.length} config problem(s); nothing was created:\n${lines.join("\n")}`;
}
