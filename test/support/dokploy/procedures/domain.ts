// domain.* (API.md §7): defaults on create, 400 for an unknown app, duplicates allowed.
import { ApiError } from "../errors";
import type { DomainRow } from "../types";
import { assignPresent, str, type ProcedureContext, type ProcedureMap } from "./context";

function findDomain(ctx: ProcedureContext, domainId: string): DomainRow {
    const domain = ctx.store.domains.get(domainId);
    if (!domain) throw new ApiError("NOT_FOUND", "Domain not found");
    return domain;
}

function domainInput(input: Record<string, unknown>): Partial<DomainRow> & { host: string } {
    const out: Partial<DomainRow> & { host: string } = { host: str(input, "host") };
    assignPresent(out, input, ["host"]);
    return out;
}

export const domainProcedures: ProcedureMap = {
    "domain.create": (ctx, input) => {
        const applicationId = input.applicationId;
        if (typeof applicationId === "string" && !ctx.store.applications.has(applicationId)) {
            // v0.25.6 re-throws the lookup's error as BAD_REQUEST [real]; v0.30.2 inserts and
            // surfaces the raw foreign-key failure (v0.30-differences.md §3).
            throw new ApiError(
                "BAD_REQUEST",
                ctx.version === "v0.30.2"
                    ? `Failed query: insert into "domain" ("domainId", "host", "https", "port", "path", "serviceName", "domainType", "uniqueConfigKey", "customEntrypoint", "createdAt", "composeId", "customCertResolver", "applicationId", "previewDeploymentId", "certificateType", "internalPath", "stripPath", "middlewares", "forwardAuthEnabled", "enabled") values ($1, $2, $3, $4, $5, $6, $7, default, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, default) returning *\nparams: ${applicationId}`
                    : "Application not found",
            );
        }
        // https:true without certificateType is stored as "none" [real]: the column default.
        return { ...ctx.store.createDomain(domainInput(input)) };
    },

    "domain.one": (ctx, input) => ctx.views.domainWithApplication(findDomain(ctx, str(input, "domainId"))),

    // v0.25.6 checks the app first (404); v0.30.2 answers [] (v0.30-differences.md §3).
    "domain.byApplicationId": (ctx, input) => {
        const applicationId = str(input, "applicationId");
        if (ctx.version === "v0.25.6" && !ctx.store.applications.has(applicationId)) {
            throw new ApiError("NOT_FOUND", "Application not found");
        }
        return ctx.store.domainsOf(applicationId).map((d) => ctx.views.domainWithApplication(d));
    },

    "domain.update": (ctx, input) => {
        const domain = findDomain(ctx, str(input, "domainId"));
        assignPresent(domain, input, ["domainId"]);
        return { ...domain };
    },

    "domain.delete": (ctx, input) => {
        const domain = findDomain(ctx, str(input, "domainId"));
        ctx.store.domains.delete(domain.domainId);
        return { ...domain };
    },
};
