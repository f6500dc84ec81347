// environment.* (API.md §4, v0.30-differences.md §3/§5).
import { ApiError } from "../errors";
import { assignPresent, nullableStr, str, type ProcedureContext, type ProcedureMap } from "./context";
import type { EnvironmentRow } from "../types";

function findEnvironment(ctx: ProcedureContext, environmentId: string): EnvironmentRow {
    const env = ctx.store.environments.get(environmentId);
    if (!env) throw new ApiError("NOT_FOUND", "Environment not found");
    return env;
}

function isProtected(ctx: ProcedureContext, env: EnvironmentRow): boolean {
    return ctx.version === "v0.30.2" ? env.isDefault === true : env.name === "production";
}

export const environmentProcedures: ProcedureMap = {
    "environment.create": (ctx, input) => {
        const name = str(input, "name");
        if (name === "production") {
            throw new ApiError(
                "BAD_REQUEST",
                ctx.version === "v0.30.2"
                    ? "You cannot create a environment with the name 'production'"
                    : "Environment name cannot be production",
            );
        }
        const projectId = str(input, "projectId");
        if (!ctx.store.projects.has(projectId)) {
            // The insert fails on the foreign key; the router wraps it in a 400 (observed on v0.30.2).
            throw new ApiError(
                "BAD_REQUEST",
                `Error creating the environment: Failed query: insert into "environment" ("environmentId", "name", "description", "createdAt", "env", "projectId") values ($1, $2, $3, $4, $5, $6) returning *\nparams: ${projectId}`,
            );
        }
        return { ...ctx.store.createEnvironment({ name, description: nullableStr(input, "description"), projectId }) };
    },

    // Every error of environment.one is reported as 404 "Environment not found" [real].
    "environment.one": (ctx, input) => {
        const env = findEnvironment(ctx, str(input, "environmentId"));
        return ctx.views.environmentOne(env, ctx.store.projects.get(env.projectId));
    },

    // Oldest first; an unknown project gives [].
    "environment.byProjectId": (ctx, input) => {
        const project = ctx.store.projects.get(str(input, "projectId"));
        return ctx.store.environmentsOf(str(input, "projectId")).map((e) => ctx.views.environmentListItem(e, project));
    },

    // The router re-throws every error as 400 (API.md §3).
    "environment.update": (ctx, input) => {
        const env = ctx.store.environments.get(str(input, "environmentId"));
        if (!env) throw new ApiError("BAD_REQUEST", "Error updating the environment: Environment not found");
        assignPresent(env, input, ["environmentId"]);
        return { ...env };
    },

    "environment.remove": (ctx, input) => {
        const env = findEnvironment(ctx, str(input, "environmentId"));
        if (isProtected(ctx, env)) {
            throw new ApiError(
                "BAD_REQUEST",
                ctx.version === "v0.30.2"
                    ? "You cannot delete the default environment"
                    : "You cannot delete the production environment",
            );
        }
        for (const app of ctx.store.applicationsIn(env.environmentId)) ctx.worker.forget(app.applicationId);
        ctx.store.deleteEnvironment(env.environmentId);
        return { ...env };
    },
};
