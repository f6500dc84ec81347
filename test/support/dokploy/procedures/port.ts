// port.* (API.md §8, read from source, not exercised live): create returns true; zod
// defaults make an omitted publishMode/protocol "ingress"/"tcp" on create AND update.
import { ApiError } from "../errors";
import type { PortRow } from "../types";
import { str, type Input, type ProcedureContext, type ProcedureMap } from "./context";

function findPort(ctx: ProcedureContext, portId: string, code: "NOT_FOUND" | "BAD_REQUEST" = "NOT_FOUND"): PortRow {
    const port = ctx.store.ports.get(portId);
    if (!port) throw new ApiError(code, "Port not found");
    return port;
}

function spec(input: Input): Pick<PortRow, "publishedPort" | "publishMode" | "targetPort" | "protocol"> {
    return {
        publishedPort: Number(input.publishedPort),
        publishMode: input.publishMode === "host" ? "host" : "ingress",
        targetPort: Number(input.targetPort),
        protocol: input.protocol === "udp" ? "udp" : "tcp",
    };
}

export const portProcedures: ProcedureMap = {
    "port.create": (ctx, input) => {
        const applicationId = str(input, "applicationId");
        // The insert fails on the foreign key and the router wraps it in a 400.
        if (!ctx.store.applications.has(applicationId)) throw new ApiError("BAD_REQUEST", "Error creating the port");
        ctx.store.createPort({ ...spec(input), applicationId });
        return true;
    },

    // port.one re-throws every error as 400 (API.md §3).
    "port.one": (ctx, input) => ({ ...findPort(ctx, str(input, "portId"), "BAD_REQUEST") }),

    "port.update": (ctx, input) => {
        const port = findPort(ctx, str(input, "portId"));
        Object.assign(port, spec(input));
        return { ...port };
    },

    "port.delete": (ctx, input) => {
        const port = findPort(ctx, str(input, "portId"));
        ctx.store.ports.delete(port.portId);
        return { ...port };
    },
};
