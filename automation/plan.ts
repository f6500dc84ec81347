/**
 * `--plan` and `npm run status`: the guide's Environment Status table (✅/⏳/❌ per component
 * area and environment) from the committed stack configs, the missing keys with their fix
 * commands, and the order of promotion. Pure text from data: no CLI, no cloud, no credentials.
 */
import { AREA_TITLES, AREAS, ENVIRONMENT_LABELS, EnvironmentName } from "../components/config";
import { AreaState, ConfigReadiness, previousEnvironment } from "./readiness";
import { PromotionRecord } from "./records";

const MARK: Record<AreaState, string> = { ready: "✅", waiting: "⏳", broken: "❌" };

/** Terminal columns: these emoji take two. */
function width(s: string): number {
    let w = 0;
    for (const ch of s) w += /[✅⏳❌]/u.test(ch) ? 2 : 1;
    return w;
}
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));

/** A Markdown table whose columns line up in a terminal too. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
    const line = (cells: readonly string[]) => `| ${cells.map((c, i) => pad(c, widths[i])).join(" | ")} |`;
    return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export interface EnvironmentView {
    readonly readiness: ConfigReadiness;
    readonly lastVerified?: PromotionRecord;
    readonly latest?: PromotionRecord;
}

export function statusTable(views: readonly EnvironmentView[], extraRows: readonly (readonly string[])[] = []): string {
    const header = ["Component", ...views.map((v) => ENVIRONMENT_LABELS[v.readiness.env].upper)];
    const rows = AREAS.map((area) => [AREA_TITLES[area], ...views.map((v) => MARK[v.readiness.areas[area]])]);
    rows.push([
        "Config",
        ...views.map((v) =>
            v.readiness.ok
                ? "✅ complete"
                : `${v.readiness.problems.some((p) => p.kind !== "missing") ? "❌" : "⏳"} ${v.readiness.problems.length} to fix`,
        ),
    ]);
    // How each stack reaches its account (from its committed config: nothing is contacted here).
    rows.push([
        "AWS profile",
        ...views.map((v) => {
            const aws = v.readiness.config?.aws;
            return aws ? `${aws.profile ?? "(ambient)"}${aws.assumeRoleArn ? " + role" : ""}` : "—";
        }),
    ]);
    rows.push(["Verified version", ...views.map((v) => (v.lastVerified ? v.lastVerified.version : "—"))]);
    rows.push(["Last promotion", ...views.map((v) => (v.latest ? `${v.latest.status} ${v.latest.version}` : "—"))]);
    return table(header, [...rows, ...extraRows]);
}

export function problemList(r: ConfigReadiness): string {
    if (r.ok) return `${r.env}: ✅ config complete`;
    const w = Math.max(...r.problems.map((p) => p.key.length));
    const lines = r.problems.map(
        (p) => `    ${p.key.padEnd(w)}  ${p.kind === "missing" ? "" : `(${p.kind}) `}${p.fix}`,
    );
    const waiting = r.problems.every((p) => p.kind === "missing");
    return `${r.env}: ${waiting ? "⏳ waiting for" : "❌ fix"} ${r.problems.length} config value(s) in Pulumi.${r.env}.yaml:\n${lines.join("\n")}`;
}

export interface PlanInput {
    readonly views: readonly EnvironmentView[];
    /** The environments this run would walk, in order. */
    readonly targets: readonly EnvironmentName[];
    readonly imageTag?: string;
}

/** The version each environment would get: --image-tag, dev's config, or what the previous one verified. */
export function plannedVersion(env: EnvironmentName, input: PlanInput): string | undefined {
    if (input.imageTag) return input.imageTag;
    const view = input.views.find((v) => v.readiness.env === env);
    const previous = previousEnvironment(env);
    if (!previous) return view?.readiness.config?.imageTag;
    return input.views.find((v) => v.readiness.env === previous)?.lastVerified?.version;
}

export function renderPlan(input: PlanInput): string {
    const out: string[] = [
        "Environment status (from the committed stack configs; CLI, stacks and cloud not checked):",
        "",
        statusTable(input.views),
        "",
    ];
    for (const v of input.views) out.push(problemList(v.readiness));
    out.push("", `Plan: ${input.targets.join(" → ")}`);
    let next: string | undefined;
    input.targets.forEach((env, i) => {
        const view = input.views.find((v) => v.readiness.env === env);
        const version = plannedVersion(env, input);
        const previous = previousEnvironment(env);
        const waits: string[] = [];
        if (view && !view.readiness.ok) waits.push(`its config (${view.readiness.problems.length} value(s))`);
        if (
            previous &&
            !(version && input.views.find((x) => x.readiness.env === previous)?.lastVerified?.version === version)
        ) {
            waits.push(`${previous} to verify ${version ?? "a version"}`);
        }
        const done = version !== undefined && view?.latest?.status === "verified" && view.latest.version === version;
        const state = done
            ? `✅ already verified at ${version}`
            : waits.length
              ? `⏳ waits for ${waits.join(" and ")}`
              : `ready: deploys ${version}`;
        out.push(`  ${i + 1}. ${env.padEnd(4)}  ${state}`);
        if (!done && !next) {
            next =
                waits.length && view && !view.readiness.ok
                    ? `${view.readiness.problems[0].fix}   (then the other values listed for ${env})`
                    : `npm run promote -- --to ${env}${input.imageTag ? ` --image-tag ${input.imageTag}` : ""}   (checks the Pulumi CLI and stack, previews, asks, deploys, verifies)`;
        }
    });
    out.push("", `Next: ${next ?? "nothing to do: every environment is verified at its version"}`);
    return out.join("\n");
}
