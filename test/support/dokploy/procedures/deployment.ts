// deployment.all: newest first; unknown app → 404 on v0.25.6, [] on v0.30.2.
import { ApiError } from "../errors";
import { str, type ProcedureMap } from "./context";

export const deploymentProcedures: ProcedureMap = {
    "deployment.all": (ctx, input) => {
        const applicationId = str(input, "applicationId");
        if (ctx.version === "v0.25.6" && !ctx.store.applications.has(applicationId)) {
            throw new ApiError("NOT_FOUND", "Application not found");
        }
        return ctx.store.deploymentsOf(applicationId).map((d) => ({ ...d }));
    },
};
