/**
 * `npm run status`: the Environment Status table for every stack. Config readiness and local
 * records are always there (offline); with a CLI and network, each stack's outputs and its live
 * health endpoint are added. Whatever is unavailable is said in one line, never as a stack trace.
 */
import { ENVIRONMENTS, EnvironmentName } from "../components/config";
import { deployedApp, DeployedApp, PromotionEngine } from "./engine";
import { explain } from "./errors";
import { environmentViews } from "./orchestrator";
import { problemList, statusTable } from "./plan";
import { RecordStore } from "./records";
import { gapCell, outcomeCell, outcomeLines, rolloutCell } from "./report/status";
import { probeOnce } from "./verify/health";

export interface LiveStatus {
    readonly env: EnvironmentName;
    readonly app?: DeployedApp;
    readonly health?: string;
    /** Why there is no live view of this stack. */
    readonly note?: string;
}

async function liveStatus(engine: PromotionEngine, env: EnvironmentName, timeoutMs: number): Promise<LiveStatus> {
    try {
        if (!(await engine.stackExists(env))) return { env, note: `no stack yet (pulumi stack init ${env})` };
        const app = deployedApp(await engine.outputs(env));
        if (!app.healthUrl) return { env, app, note: "no healthUrl output (not deployed yet?)" };
        const started = performance.now();
        const r = await probeOnce(app.healthUrl, timeoutMs);
        const ms = Math.round(performance.now() - started);
        return {
            env,
            app,
            health:
                r.status !== undefined
                    ? `${r.status === 200 ? "✅" : "❌"} HTTP ${r.status} (${ms} ms)`
                    : `❌ ${r.error}`,
        };
    } catch (err) {
        return { env, note: explain(err).message.split("\n")[0] };
    }
}

export async function statusReport(args: {
    projectDir: string;
    records: RecordStore;
    /** A factory, so a missing or broken CLI costs one line, not the report. */
    engine: () => Promise<PromotionEngine>;
    healthTimeoutMs?: number;
}): Promise<string> {
    const views = await environmentViews(args.projectDir, args.records);
    let live: LiveStatus[] | undefined;
    let liveNote: string | undefined;
    try {
        const engine = await args.engine();
        await engine.cliVersion();
        live = await Promise.all(ENVIRONMENTS.map((env) => liveStatus(engine, env, args.healthTimeoutMs ?? 5000)));
    } catch (err) {
        liveNote = `Live status skipped: ${explain(err).message.split("\n")[0]}`;
    }
    const cell = (env: EnvironmentName, pick: (l: LiveStatus) => string | undefined) => {
        const l = live?.find((x) => x.env === env);
        return (l && pick(l)) ?? "—";
    };
    const histories = await Promise.all(ENVIRONMENTS.map((env) => args.records.history(env)));
    const promotion = [
        ["Last outcome", ...histories.map(outcomeCell)],
        ["Swarm rollout", ...histories.map(rolloutCell)],
        ["Longest gap", ...histories.map(gapCell)],
    ];
    const extra = live
        ? [
              ["Deployed image", ...ENVIRONMENTS.map((e) => cell(e, (l) => l.app?.imageTag))],
              ["Dokploy deployment", ...ENVIRONMENTS.map((e) => cell(e, (l) => l.app?.deploymentStatus))],
              ["Health", ...ENVIRONMENTS.map((e) => cell(e, (l) => l.health))],
          ]
        : [];
    const out = ["Environment status", "", statusTable(views, [...promotion, ...extra]), ""];
    ENVIRONMENTS.forEach((env, i) => out.push(...outcomeLines(env, histories[i])));
    if (liveNote) out.push(liveNote);
    for (const l of live ?? []) {
        if (l.app?.appUrl) out.push(`${l.env}: ${l.app.appUrl}`);
        if (l.note) out.push(`${l.env}: ${l.note}`);
    }
    out.push("", ...views.map((v) => problemList(v.readiness)));
    return out.join("\n");
}
