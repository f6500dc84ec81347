/**
 * A private registry standing in for ECR on the real engine: Debian's docker-registry
 * (distribution 2.8) with basic auth from an htpasswd file, on 127.0.0.1 and a free port. Like
 * ECR it refuses an anonymous pull or push (401 with a Basic challenge) and accepts the user
 * `AWS` with the password `aws ecr get-login-password` prints. Loopback registries need no TLS:
 * dockerd treats 127.0.0.0/8 as insecure-allowed (/work/shared/docker/ENGINE.md).
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import * as path from "node:path";
import { hashSync } from "bcryptjs";
import { waitFor } from "../engine";

export interface AuthRegistry {
    /** `127.0.0.1:<port>`, the registry host in image names and logins. */
    readonly host: string;
    readonly username: string;
    readonly password: string;
    stop(): Promise<void>;
}

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** Starts the registry with its storage, config and log under `dir`; resolves once it challenges for auth. */
export async function startAuthRegistry(dir: string, password: string): Promise<AuthRegistry> {
    const port = await freePort();
    const username = "AWS";
    // distribution's htpasswd accepts bcrypt hashes only.
    fs.writeFileSync(path.join(dir, "htpasswd"), `${username}:${hashSync(password, 10)}\n`);
    const config = [
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        `    rootdirectory: ${path.join(dir, "data")}`,
        "http:",
        `  addr: 127.0.0.1:${port}`,
        "auth:",
        "  htpasswd:",
        "    realm: host-ecr-stand-in",
        `    path: ${path.join(dir, "htpasswd")}`,
        "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "registry.yml"), config);
    const log = fs.openSync(path.join(dir, "registry.log"), "a");
    const child: ChildProcess = spawn(REGISTRY_BINARY, ["serve", path.join(dir, "registry.yml")], {
        stdio: ["ignore", log, log],
    });
    fs.closeSync(log);
    let exited = false;
    const exit = new Promise<void>((resolve) =>
        child.once("exit", () => {
            exited = true;
            resolve();
        }),
    );
    const stop = async (): Promise<void> => {
        if (!exited) child.kill("SIGTERM");
        await exit;
    };
    const url = `http://127.0.0.1:${port}/v2/`;
    try {
        await waitFor(
            async () => {
                if (exited)
                    throw new Error(`registry exited: ${fs.readFileSync(path.join(dir, "registry.log"), "utf8")}`);
                const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
                return res.status === 401 && (res.headers.get("www-authenticate") ?? "").startsWith("Basic");
            },
            { deadlineMs: 15_000, what: `the auth registry on ${url} to challenge for basic auth` },
        );
    } catch (err) {
        await stop();
        throw err;
    }
    return { host: `127.0.0.1:${port}`, username, password, stop };
}
