// application.* for a Docker-image source (API.md §5, §6, §9).
import { ApiError } from "../errors";
import type { SourceType } from "../types";
import {
    assignPresent,
    EMPTY_BODY,
    findApplication,
    noValuesToSet,
    nullableStr,
    optStr,
    str,
    type Handler,
    type Input,
    type ProcedureContext,
    type ProcedureMap,
} from "./context";

const SAVE_DOCKER_KEYS = ["dockerImage", "username", "password", "registryUrl"];
const SAVE_ENV_KEYS = ["env", "buildArgs", "buildSecrets", "createEnvFile"];

function pick(input: Input, keys: string[]): Input {
    const out: Input = {};
    for (const key of keys) if (input[key] !== undefined) out[key] = input[key];
    return out;
}

function isSourceType(value: unknown): value is SourceType {
    return (
        typeof value === "string" && ["github", "docker", "git", "gitlab", "bitbucket", "gitea", "drop"].includes(value)
    );
}

/** deploy and redeploy only queue a job; the resolver returns nothing. */
function enqueue(defaultTitle: string): Handler {
    return (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        ctx.worker.enqueue({
            applicationId: app.applicationId,
            title: optStr(input, "title") || defaultTitle,
            description: optStr(input, "description") || "",
        });
        return EMPTY_BODY;
    };
}

/** application.one = relations + the git-provider access flags the router adds. */
function one(ctx: ProcedureContext, applicationId: string): Record<string, unknown> {
    const app = findApplication(ctx, applicationId);
    return { ...ctx.views.applicationWithRelations(app), hasGitProviderAccess: true, unauthorizedProvider: null };
}

export const applicationProcedures: ProcedureMap = {
    // Unknown environment: 404 "Environment not found" [real]. appName always gets a suffix.
    "application.create": (ctx, input) => {
        const environmentId = str(input, "environmentId");
        if (!ctx.store.environments.has(environmentId)) throw new ApiError("NOT_FOUND", "Environment not found");
        const sourceType = isSourceType(input.sourceType) ? input.sourceType : undefined;
        const app = ctx.store.createApplication({
            name: str(input, "name"),
            appName: optStr(input, "appName"),
            description: nullableStr(input, "description"),
            environmentId,
            serverId: nullableStr(input, "serverId"),
            sourceType,
        });
        return { ...app };
    },

    "application.one": (ctx, input) => one(ctx, str(input, "applicationId")),

    // Partial update: absent keys untouched, null clears, appName cannot change [real].
    "application.update": (ctx, input) => {
        const applicationId = str(input, "applicationId");
        const values = Object.keys(input).filter(
            (k) => k !== "applicationId" && k !== "appName" && input[k] !== undefined,
        );
        if (ctx.version === "v0.30.2") {
            // v0.30.2 no longer looks the row up first: nothing to set wins, an unknown id is a 400.
            if (values.length === 0) throw noValuesToSet();
            const app = ctx.store.applications.get(applicationId);
            if (!app) throw new ApiError("BAD_REQUEST", "Error updating application");
            assignPresent(app, input, ["applicationId", "appName"]);
            return true;
        }
        const app = findApplication(ctx, applicationId);
        if (values.length === 0) throw noValuesToSet();
        assignPresent(app, input, ["applicationId", "appName"]);
        return true;
    },

    // Omitted keys keep their values on v0.25.6 (v0.30.2 requires them all, via validation).
    "application.saveDockerProvider": (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        assignPresent(app, pick(input, SAVE_DOCKER_KEYS), []);
        app.sourceType = "docker";
        app.applicationStatus = "idle";
        return true;
    },

    "application.saveEnvironment": (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        assignPresent(app, pick(input, SAVE_ENV_KEYS), []);
        return true;
    },

    // Re-applies the stored spec without pulling, inside the call (ForceUpdate + 1 → every task is
    // replaced, replicas back to the stored value); writes no deployment row; returns true
    // (real-rollout-log.md §1.7, §6). Creates the service if missing.
    "application.reload": async (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        app.applicationStatus = "idle";
        const result = await ctx.deployService(app, { pull: false });
        if (!result.ok) {
            app.applicationStatus = "error";
            throw new ApiError("INTERNAL_SERVER_ERROR", result.log.join("\n"));
        }
        app.applicationStatus = "done";
        return true;
    },

    "application.deploy": enqueue("Manual deployment"),
    "application.redeploy": enqueue("Rebuild deployment"),

    // Returns the pre-delete object with relations (no access flags) [real]; the swarm service
    // is removed at once (real-rollout-log.md §6).
    "application.delete": async (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        const before = ctx.views.applicationWithRelations(app);
        ctx.worker.forget(app.applicationId);
        ctx.store.deleteApplication(app.applicationId);
        await ctx.swarm.remove(app.appName);
        return before;
    },

    // Scales to 0 (errors of `docker service scale` are swallowed) and sets status idle (§6).
    "application.stop": async (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        const before = ctx.views.applicationWithRelations(app);
        await ctx.swarm.scale(app.appName, 0).catch(() => undefined);
        app.applicationStatus = "idle";
        return before;
    },

    // `docker service scale <appName>=1` — 1 whatever `replicas` says (§6); fails with a 500
    // while no service exists (never deployed successfully). The message imitates Docker's; it
    // was not observed live.
    "application.start": async (ctx, input) => {
        const app = findApplication(ctx, str(input, "applicationId"));
        if (!(await ctx.swarm.hasService(app.appName))) {
            throw new ApiError(
                "INTERNAL_SERVER_ERROR",
                `Command failed: docker service scale ${app.appName}=1 \nError response from daemon: service ${app.appName} not found\n`,
            );
        }
        const before = ctx.views.applicationWithRelations(app);
        await ctx.swarm.scale(app.appName, 1);
        app.applicationStatus = "done";
        return before;
    },
};
