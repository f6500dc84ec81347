// project.* (API.md §4): create adds the "production" environment; remove cascades rows.
import { ApiError } from "../errors";
import { assignPresent, nullableStr, optStr, str, type ProcedureContext, type ProcedureMap } from "./context";
import type { ProjectRow } from "../types";

function findProject(ctx: ProcedureContext, projectId: string): ProjectRow {
    const project = ctx.store.projects.get(projectId);
    if (!project) throw new ApiError("NOT_FOUND", "Project not found");
    return project;
}

export const projectProcedures: ProcedureMap = {
    "project.create": (ctx, input) =>
        ctx.store.createProject({
            name: str(input, "name"),
            description: nullableStr(input, "description"),
            env: optStr(input, "env"),
        }),

    "project.one": (ctx, input) => ctx.views.projectWithEnvironments(findProject(ctx, str(input, "projectId"))),

    // Newest first (desc(createdAt)).
    "project.all": (ctx) => [...ctx.store.projects.values()].reverse().map((p) => ctx.views.projectWithEnvironments(p)),

    "project.update": (ctx, input) => {
        const project = findProject(ctx, str(input, "projectId"));
        assignPresent(project, input, ["projectId"]);
        return { ...project };
    },

    // Database rows only, no emptiness check; queued deploys of its apps are dropped. The apps'
    // swarm services keep running as orphans (real-rollout-log.md §6).
    "project.remove": (ctx, input) => {
        const project = findProject(ctx, str(input, "projectId"));
        for (const env of ctx.store.environmentsOf(project.projectId)) {
            for (const app of ctx.store.applicationsIn(env.environmentId)) ctx.worker.forget(app.applicationId);
        }
        ctx.store.deleteProject(project.projectId);
        return { ...project };
    },
};
