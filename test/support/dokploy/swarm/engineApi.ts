// A minimal Docker Engine API client over the unix socket (plain node:http, API v1.41 = dockerd
// 20.10), and the docker CLI for pulls, the way Dokploy does: pullImage spawns `docker pull <image>`
// (packages/server/src/utils/docker/utils.ts), the service calls go through dockerode (same
// HTTP API). Errors read like dockerode's: "(HTTP code 500) server error - <engine message>".
import { execFile } from "node:child_process";
import { request } from "node:http";

const API = "/v1.41";

/** dockerode's statusCodes texts for the calls used here. */
const REASON: Record<number, string> = {
    400: "bad parameter",
    404: "no such object",
    409: "name conflicts with an existing object",
    500: "server error",
    503: "node is not part of a swarm",
};

export class EngineError extends Error {
    constructor(
        readonly statusCode: number,
        readonly engineMessage: string,
    ) {
        super(`(HTTP code ${statusCode}) ${REASON[statusCode] ?? "unexpected"} - ${engineMessage}`);
    }
}

export class EngineApi {
    readonly socketPath: string;

    constructor(readonly dockerHost: string) {
        if (!dockerHost.startsWith("unix://"))
            throw new Error(`only unix:// docker hosts are supported: ${dockerHost}`);
        this.socketPath = dockerHost.slice("unix://".length);
    }

    /** One request; resolves with status and parsed JSON (undefined for an empty body). */
    call(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; json: unknown }> {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const req = request(
                {
                    socketPath: this.socketPath,
                    method,
                    path: `${API}${path}`,
                    headers: payload
                        ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
                        : {},
                    timeout: timeoutMs,
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        let json: unknown;
                        try {
                            json = text ? JSON.parse(text) : undefined;
                        } catch {
                            json = text;
                        }
                        resolve({ status: res.statusCode ?? 0, json });
                    });
                    res.on("error", reject);
                },
            );
            req.on("timeout", () => req.destroy(new Error(`engine ${method} ${path} timed out`)));
            req.on("error", reject);
            req.end(payload);
        });
    }

    /** Like call(), but a status ≥ 400 throws an EngineError with the engine's message. */
    async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
        const { status, json } = await this.call(method, path, body);
        if (status >= 400) {
            const message =
                typeof json === "object" && json !== null && "message" in json
                    ? String((json as { message: unknown }).message)
                    : String(json);
            throw new EngineError(status, message);
        }
        return json as T;
    }

    /** `docker pull <image>` with the CLI on this engine; rejects with the CLI's stderr. */
    pull(image: string, timeoutMs = 120_000): Promise<string> {
        return new Promise((resolve, reject) => {
            execFile(
                "docker",
                ["pull", image],
                { env: { ...process.env, DOCKER_HOST: this.dockerHost }, timeout: timeoutMs },
                (error, stdout, stderr) => {
                    if (error) reject(new Error(String(stderr).trim() || error.message));
                    else resolve(String(stdout));
                },
            );
        });
    }
}
