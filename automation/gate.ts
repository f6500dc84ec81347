/**
 * The gate between preview and update: prod refuses to replace or delete the resources whose
 * loss breaks the environment (images, assets, trust, runtime identity) unless --allow-replace;
 * otherwise a person confirms on a TTY, or --yes stands in for them. No TTY and no --yes: refuse,
 * because an unattended run must never update without an explicit decision.
 */
import { EnvironmentName } from "../components/config";
import { ChangeOp, describeSummary, PreviewResult, ResourceChange } from "./engine";
import { PromotionError } from "./errors";

/** Type modules (`aws:<module>:<Type>`) whose replacement or deletion loses data or access. */
export const PROTECTED_TYPES: readonly string[] = [
    "aws:ecr/repository",
    "aws:s3/bucket",
    "aws:iam/openIdConnectProvider",
    "aws:iam/role",
    "aws:iam/user",
];

const DESTRUCTIVE: ReadonlySet<ChangeOp> = new Set(["delete", "replace", "create-replacement", "delete-replaced"]);

export function isProtected(type: string): boolean {
    const [pkg, module] = type.split(":");
    return PROTECTED_TYPES.includes(`${pkg}:${module}`);
}

/** The destructive steps on protected resources (one entry per URN). */
export function protectedChanges(changes: readonly ResourceChange[]): ResourceChange[] {
    const seen = new Set<string>();
    return changes.filter((c) => DESTRUCTIVE.has(c.op) && isProtected(c.type) && !seen.has(c.urn) && seen.add(c.urn));
}

export function changeLines(preview: PreviewResult): string[] {
    return preview.changes.map((c) => `    ${c.op.padEnd(18)} ${c.type}  ${c.urn.split("::").at(-1) ?? c.urn}`);
}

export interface GateArgs {
    readonly env: EnvironmentName;
    readonly version: string;
    readonly preview: PreviewResult;
    readonly yes: boolean;
    readonly isTTY: boolean;
    readonly allowReplace: boolean;
    readonly confirm: (message: string) => Promise<boolean>;
    /** The command that repeats this run, for the refusal messages. */
    readonly rerun: string;
}

export async function passGate(a: GateArgs): Promise<void> {
    const risky = a.env === "prod" ? protectedChanges(a.preview.changes) : [];
    if (risky.length > 0 && !a.allowReplace) {
        const list = risky.map((c) => `  - ${c.op} ${c.type} ${c.urn}`).join("\n");
        throw new PromotionError(
            `Refusing to update prod: the preview would ${risky.length === 1 ? "replace or delete this resource" : "replace or delete these resources"}, losing images, assets or access:\n${list}\n` +
                "Check the diff (pulumi preview --diff -s prod); if it is intended, rerun with --allow-replace.",
            `${a.rerun} --allow-replace`,
        );
    }
    if (a.yes) return;
    if (!a.isTTY) {
        throw new PromotionError(
            `Refusing to update ${a.env} without confirmation: no terminal to ask on, and --yes was not given.`,
            `${a.rerun} --yes`,
        );
    }
    const summary = describeSummary(a.preview.changeSummary);
    const details = changeLines(a.preview);
    const ok = await a.confirm(
        `Update ${a.env} to ${a.version}? ${summary}${details.length ? `\n${details.join("\n")}\n` : ""}`,
    );
    if (!ok) throw new PromotionError(`Update of ${a.env} declined; nothing was changed.`, a.rerun);
}
