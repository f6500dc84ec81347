// docker.* and swarm.getNodeApps: what a remote client with an API key can see of a rollout.
// Each answer is built from the swarm backend (simulated, or the real engine) the way Dokploy's
// services/docker.ts parses the docker CLI's output (Dokploy source at v0.25.6 / v0.30.2, as
// read for real-rollout-log.md §4.4, and the responses recorded in §4.2):
// - getContainersByAppNameMatch = `docker ps -a --format 'CONTAINER ID : {{.ID}} | Name: {{.Names}} | State: {{.State}}[ | Status: {{.Status}}]' | grep '^.*Name: <appName>'`:
//   every container whose name merely CONTAINS "Name: <appName>" (prefix of the name), exited ones
//   of earlier tasks included, newest first; v0.25.6 {containerId, name, state}, v0.30.2 adds status.
// - getServiceContainersByAppName = `docker service ps <appName> [--no-trunc] --format ...`:
//   containerId is the TASK id (12 chars on v0.25.6, 25 on v0.30.2), name `<app>.<slot>`, state
//   the DESIRED state; v0.30.2 adds currentState and error ("\"task: …\"", "Error:" for a plain shutdown).
// - getContainersByAppLabel(type=swarm) = `docker ps --filter label=com.docker.swarm.service.name=<app>`: running only.
// - getConfig = `docker inspect <id> --format '{{json .}}'`: the full object; unknown → 200, 0-byte body.
// - swarm.getNodeApps = `docker service ls --format '{{json .}}'`: ALL services, spec image.
// A failing CLI call (no such service) makes them answer [] (the catch blocks of services/docker.ts).
import { EMPTY_BODY, optStr, str, type ProcedureContext, type ProcedureMap } from "./context";
import type { TaskSummary } from "../swarm/model";
import { taskCurrentStateText } from "../swarm/dockerText";

function shortId(id: string): string {
    return id.slice(0, 12);
}

function nameOf(names: string[]): string {
    return (names[0] ?? "").replace(/^\//, "");
}

/**
 * The ERROR column as Dokploy parses it: the CLI prints the task error in quotes; an empty one
 * leaves "Error: " at the end of the line, and `stdout.trim()` strips that space on the LAST line
 * only, so `replace("Error: ", "")` misses there and the last row reads "Error:" (log §4.2: only
 * the last row shows it, whatever its state).
 */
function errorColumn(t: TaskSummary, isLast: boolean): string {
    if (t.Status.Err) return `"${t.Status.Err}"`;
    return isLast ? "Error:" : "";
}

/** grep '^.*Name: <appName>' (a basic regex: "." in an appName matches any character). */
function grepsName(line: string, appName: string): boolean {
    return new RegExp(`Name: ${appName}`).test(line);
}

async function byAppNameMatch(ctx: ProcedureContext, appName: string): Promise<unknown[]> {
    const all = await ctx.swarm.containers(true);
    return all
        .filter((c) =>
            grepsName(`CONTAINER ID : ${shortId(c.Id)} | Name: ${nameOf(c.Names)} | State: ${c.State}`, appName),
        )
        .map((c) =>
            ctx.version === "v0.30.2"
                ? { containerId: shortId(c.Id), name: nameOf(c.Names), state: c.State, status: c.Status }
                : { containerId: shortId(c.Id), name: nameOf(c.Names), state: c.State },
        );
}

async function serviceContainers(ctx: ProcedureContext, appName: string): Promise<unknown[]> {
    const tasks = await ctx.swarm.tasks(appName);
    if (!tasks) return [];
    const now = ctx.clock.now();
    return tasks.map((t, i) => {
        const name = `${t.ServiceName}.${t.Slot}`;
        const state = t.DesiredState.toLowerCase();
        if (ctx.version === "v0.25.6") return { containerId: shortId(t.ID), name, state, node: t.NodeName };
        return {
            containerId: t.ID,
            name,
            state,
            currentState: taskCurrentStateText(t.Status.State, now, Date.parse(t.Status.Timestamp)),
            node: t.NodeName,
            error: errorColumn(t, i === tasks.length - 1),
        };
    });
}

export const dockerProcedures: ProcedureMap = {
    "docker.getContainersByAppNameMatch": (ctx, input) => {
        if (optStr(input, "appType") !== undefined) return []; // stacks/compose: none exist in this fake
        return byAppNameMatch(ctx, str(input, "appName"));
    },

    "docker.getServiceContainersByAppName": (ctx, input) => serviceContainers(ctx, str(input, "appName")),

    "docker.getContainersByAppLabel": async (ctx, input) => {
        const appName = str(input, "appName");
        const running = await ctx.swarm.containers(false);
        const matching =
            str(input, "type") === "swarm"
                ? running.filter((c) => c.Labels["com.docker.swarm.service.name"] === appName)
                : running.filter((c) => nameOf(c.Names).includes(appName)); // --filter name= is a substring match
        return matching.map((c) => ({ containerId: shortId(c.Id), name: nameOf(c.Names), state: c.State }));
    },

    "docker.getConfig": async (ctx, input) => (await ctx.swarm.inspect(str(input, "containerId"))) ?? EMPTY_BODY,

    "swarm.getNodeApps": (ctx) => ctx.swarm.services(),
};
