// HTTP front of the fake: Next.js body parsing, better-auth key check, trpc-openapi routing
// and input handling, in the order a real v0.25.6 / v0.30.2 server applies them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { KeyRing } from "./auth";
import {
    ApiError,
    jsonResponse,
    notFoundRoute,
    renderError,
    textResponse,
    unauthorized,
    type HttpResponse,
} from "./errors";
import { FaultQueue, malformedResponse, statusFaultResponse } from "./faults";
import { routeTable } from "./openapi";
import { EMPTY_BODY, procedures, type ProcedureContext } from "./procedures";
import type { DokployVersion, Fault, RecordedRequest } from "./types";
import { validateInput } from "./validation";

const BODY_LIMIT = 1024 * 1024; // Next's default API body limit (1 MB)

interface Incoming {
    method: string;
    lowerName: string | undefined; // router.procedure, lower-cased; undefined outside /api/
    query: Record<string, string>;
    contentType: string; // media type only, lower-cased; "" when absent
    body: { kind: "none" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string };
    apiKey: string | undefined;
}

type Outcome = HttpResponse | "drop";

function mediaType(header: string | undefined): string {
    return (header ?? "").split(";")[0]!.trim().toLowerCase();
}

export class FakeDokployHttp {
    readonly requests: RecordedRequest[] = [];
    private readonly server: Server;
    private readonly sockets = new Set<Socket>();
    private readonly timers = new Set<NodeJS.Timeout>();
    /** Requests received and not yet answered or dropped (a delay fault holds one past its client's timeout). */
    private inFlight = 0;
    private idleWaiters: (() => void)[] = [];

    constructor(
        private readonly version: DokployVersion,
        private readonly keys: KeyRing,
        private readonly faults: FaultQueue,
        private readonly ctx: ProcedureContext,
    ) {
        this.server = createServer((req, res) => void this.onRequest(req, res));
        this.server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
    }

    listen(): Promise<string> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(0, "127.0.0.1", () => {
                const address = this.server.address();
                if (address === null || typeof address === "string") return reject(new Error("no TCP address"));
                resolve(`http://127.0.0.1:${address.port}`);
            });
        });
    }

    /** Resolves once every request received so far has been answered or dropped (at once after close()). */
    idle(): Promise<void> {
        if (this.inFlight === 0) return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    private settle(): void {
        for (const waiter of this.idleWaiters.splice(0)) waiter();
    }

    close(): Promise<void> {
        // Held requests are never answered now.
        this.settle();
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
        for (const socket of this.sockets) socket.destroy();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }

    private sleep(ms: number): Promise<void> {
        return new Promise((resolve) => {
            const timer = setTimeout(() => {
                this.timers.delete(timer);
                resolve();
            }, ms);
            this.timers.add(timer);
        });
    }

    private async readBody(req: IncomingMessage): Promise<Buffer | "too large"> {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req) {
            const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
            size += buf.length;
            if (size <= BODY_LIMIT) chunks.push(buf);
        }
        return size > BODY_LIMIT ? "too large" : Buffer.concat(chunks);
    }

    private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
        this.inFlight++;
        try {
            await this.answer(req, res);
        } finally {
            if (--this.inFlight === 0) this.settle();
        }
    }

    private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const query: Record<string, string> = {};
        // trpc-openapi keeps the first value of a repeated query parameter.
        url.searchParams.forEach((value, key) => {
            if (!(key in query)) query[key] = value;
        });
        const match = /^\/api\/(.+?)\/?$/.exec(url.pathname);
        const lowerName = match ? decodeURIComponent(match[1]!).toLowerCase() : undefined;
        const record: RecordedRequest = {
            method: req.method ?? "GET",
            procedure:
                lowerName === undefined
                    ? url.pathname
                    : (routeTable(this.version).byLowerName.get(lowerName)?.name ?? decodeURIComponent(match![1]!)),
            query,
            body: undefined,
            status: 0,
            at: new Date().toISOString(),
        };
        this.requests.push(record);
        const raw = await this.readBody(req);
        const contentType = mediaType(req.headers["content-type"]);
        let outcome: Outcome;
        if (raw === "too large") {
            outcome = textResponse(413, "Body exceeded 1mb limit");
        } else {
            const text = raw.toString("utf8");
            let body: Incoming["body"] = { kind: "none" };
            let invalidJson = false;
            if (contentType === "application/json") {
                try {
                    // Next's parser turns an empty JSON body into {}.
                    body = { kind: "json", value: text.length === 0 ? {} : JSON.parse(text) };
                } catch {
                    invalidJson = true;
                }
            }
            if (text.length > 0 && body.kind !== "json") body = { kind: "raw", text };
            record.body = body.kind === "json" ? body.value : body.kind === "raw" ? body.text : undefined;
            // Next parses the body before the API handler runs, so bad JSON beats the key check.
            outcome = invalidJson
                ? textResponse(400, "Invalid JSON")
                : await this.process(
                      {
                          method: record.method,
                          lowerName,
                          query,
                          contentType,
                          body,
                          apiKey: KeyRing.keyOf(req.headers),
                      },
                      record.procedure,
                  );
        }
        this.send(res, outcome, record);
    }

    private send(res: ServerResponse, outcome: Outcome, record: RecordedRequest): void {
        if (outcome === "drop") {
            res.socket?.destroy();
            return;
        }
        record.status = outcome.status;
        res.writeHead(outcome.status, { ...outcome.headers, "content-length": Buffer.byteLength(outcome.body) });
        res.end(outcome.body);
    }

    private async process(incoming: Incoming, procedure: string): Promise<Outcome> {
        if (incoming.lowerName === undefined) {
            return {
                status: 404,
                headers: { "content-type": "text/html; charset=utf-8" },
                body: "<!DOCTYPE html><title>404: This page could not be found.</title>",
            };
        }
        if (incoming.lowerName === "health") return jsonResponse(200, { ok: true });
        // better-auth verification #1: the route wrapper, before any routing.
        if (!this.keys.verify(incoming.apiKey)) return unauthorized();
        const fault = this.faults.take(procedure);
        if (fault && (fault.phase ?? "before") === "before") {
            const early = await this.applyFault(fault, procedure, undefined);
            if (early !== undefined) return early;
        }
        const response = await this.route(incoming);
        if (fault && fault.phase === "after") return (await this.applyFault(fault, procedure, response)) ?? response;
        return response;
    }

    /** Returns the replacement response, or undefined to carry on normally (delay "before"). */
    private async applyFault(
        fault: Fault,
        procedure: string,
        computed: HttpResponse | undefined,
    ): Promise<Outcome | undefined> {
        switch (fault.kind) {
            case "status":
                return statusFaultResponse(fault, this.version, procedure);
            case "drop":
                return "drop";
            case "malformed":
                return malformedResponse();
            case "delay":
                await this.sleep(fault.ms);
                return computed;
        }
    }

    private async route(incoming: Incoming): Promise<HttpResponse> {
        const route = routeTable(this.version).byLowerName.get(incoming.lowerName ?? "");
        if (!route || route.method !== incoming.method) {
            if (this.version === "v0.30.2" && incoming.method === "HEAD") return { status: 204, headers: {}, body: "" };
            return renderError(this.version, notFoundRoute(), undefined);
        }
        // better-auth verification #2: tRPC's createContext.
        if (!this.keys.verify(incoming.apiKey)) return unauthorized();
        let input: unknown = incoming.query;
        if (route.method === "POST") {
            if (incoming.contentType !== "application/json") {
                if (this.version === "v0.30.2") {
                    const message =
                        incoming.contentType === ""
                            ? "Missing content-type header"
                            : `Unsupported content-type "${incoming.contentType}`;
                    return renderError(this.version, new ApiError("UNSUPPORTED_MEDIA_TYPE", message), route.name);
                }
                input = {}; // v0.25.6 does not parse the body: every required field is "Required".
            } else {
                input = incoming.body.kind === "json" ? incoming.body.value : {};
            }
        }
        try {
            // Validation coerces and strips in place: work on a copy so recorded bodies stay as sent.
            const valid = validateInput(this.version, route, structuredClone(input));
            const handler = procedures[route.name];
            if (!handler)
                throw new ApiError("INTERNAL_SERVER_ERROR", `The fake Dokploy server does not implement ${route.name}`);
            // Handlers backed by the swarm (docker.*, deploys in engine mode) answer asynchronously.
            const result: unknown = await handler(this.ctx, valid);
            if (result === EMPTY_BODY)
                return { status: 200, headers: { "content-type": "application/json" }, body: "" };
            return this.serialize(result, route.name);
        } catch (error) {
            if (error instanceof ApiError) return renderError(this.version, error, route.name);
            const message = error instanceof Error ? error.message : String(error);
            return renderError(this.version, new ApiError("INTERNAL_SERVER_ERROR", message), route.name);
        }
    }

    /** A BigInt in the result (stopGracePeriodSwarm on v0.25.6) makes the REST layer answer 500. */
    private serialize(result: unknown, procedure: string): HttpResponse {
        try {
            return jsonResponse(200, result);
        } catch {
            return renderError(this.version, new ApiError("INTERNAL_SERVER_ERROR", "Internal server error"), procedure);
        }
    }
}
