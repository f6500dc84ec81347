/**
 * Reading one container's signals from Dokploy's answers: which task a container belongs to
 * (exact name, §4.4), when its healthy stretch began (State.Health.Log), and why it failed, in
 * Swarm's words (task error, v0.30.2) and the health check's (probe output).
 */
import { DokployContainerConfig, DokployServiceTaskRow } from "./wire";

/** A docker.getConfig answer and when it was read (epoch ms, the watcher's clock). */
export interface ConfigSample {
    readonly at: number;
    /** undefined: Dokploy answered with an empty body (container gone). */
    readonly config?: DokployContainerConfig;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `<appName>.<slot>.<taskId>` exactly: the grep behind the list also matches longer names (§4.4). */
export function taskIdOf(appName: string, containerName: string): string | undefined {
    const m = new RegExp(`^${escape(appName)}\\.\\d+\\.([a-z0-9]+)$`).exec(containerName.replace(/^\//, ""));
    return m ? m[1] : undefined;
}

function ms(ts: string): number {
    return Date.parse(ts.replace(/(\.\d{3})\d+/, "$1"));
}

/**
 * When the current healthy stretch began, in the watcher's clock: the read time minus how long
 * before the newest probe the stretch's first passing probe ended (both in the server's clock).
 * Never earlier than the truth, so completion is never claimed early.
 */
export function healthySince(sample: ConfigSample, c: DokployContainerConfig): number {
    const log = c.health?.log ?? [];
    let first = log.length - 1;
    while (first > 0 && log[first - 1].exitCode === 0) first--;
    if (log.length === 0 || log[first].exitCode !== 0) return sample.at;
    const span = ms(log[log.length - 1].end) - ms(log[first].end);
    return Number.isFinite(span) && span > 0 ? sample.at - span : sample.at;
}

export function lastFailedOutput(c: DokployContainerConfig): string | undefined {
    const failed = [...(c.health?.log ?? [])].reverse().find((p) => p.exitCode !== 0);
    return failed?.output.trim() || undefined;
}

/** Why a new container failed, in Swarm's and the health check's words. */
export function failureText(
    t: { readonly taskId: string; readonly image?: string; readonly unhealthy?: boolean },
    c: DokployContainerConfig | undefined,
    tasks?: readonly DokployServiceTaskRow[],
): string {
    const task = tasks?.find((r) => t.taskId.startsWith(r.taskId) || r.taskId.startsWith(t.taskId));
    const healthFailed = c?.health && (c.health.failingStreak > 0 || t.unhealthy);
    const out = c ? lastFailedOutput(c) : undefined;
    const parts = [
        task?.error ??
            (healthFailed
                ? "unhealthy container"
                : `container exited${c?.exitCode !== null && c?.exitCode !== undefined ? ` (${c.exitCode})` : ""}`),
    ];
    if (healthFailed && out) parts.push(`health check output: ${out}`);
    return `task ${t.taskId.slice(0, 12)} (${c?.image ?? t.image ?? "?"}): ${parts.join("; ")}`;
}
