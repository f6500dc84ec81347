/**
 * Traefik's stand-in: a swarm service on dokploy-network running proxy/proxy.js, published in host
 * mode on a free loopback-reachable port (the routing mesh and service VIPs need IPVS, which this
 * kernel lacks; ENGINE.md). Requests reach whatever tasks.<service> lists at that moment, so during
 * a start-first update old and new tasks answer, as behind Traefik.
 */
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { docker } from "./docker";
import { NETWORK, REGISTRY, SCRIPTS_DIR } from "./env";
import { withEngineLock } from "./lock";
import { ensureImage, RootfsSpec } from "./rootfs";
import { waitFor } from "./wait";

export const PROXY_IMAGE = `${REGISTRY}/engine-proxy:node`;

export interface Proxy {
    /** http://127.0.0.1:<port>, forwarding to tasks.<service>:<targetPort>. */
    readonly url: string;
    /** The proxy's own swarm service: `<service>-proxy` (keeps the caller's name prefix). */
    readonly serviceName: string;
    stop(): Promise<void>;
}

export interface ProxyOptions {
    readonly targetPort?: number;
    readonly network?: string;
}

/** The host's node binary and the libraries it links, at the same paths (ENGINE.md: proven). */
function proxySpec(): RootfsSpec {
    const node = realpathSync(process.execPath);
    const libs = execFileSync("ldd", [node], { encoding: "utf8" })
        .split("\n")
        .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
        .filter((p): p is string => p !== undefined);
    return {
        dirs: [{ path: "tmp", mode: 0o1777 }],
        files: [
            { path: "usr/bin/node", from: node, mode: 0o755 },
            { path: "usr/bin/docker-init", from: "/usr/bin/docker-init", mode: 0o755 },
            { path: "bin/busybox", from: "/bin/busybox", mode: 0o755 },
            { path: "proxy.js", from: join(SCRIPTS_DIR, "proxy", "proxy.js") },
            ...libs.map((lib) => ({ path: lib.slice(1), from: realpathSync(lib), mode: 0o755 })),
        ],
        symlinks: ["sh", "wget", "nslookup", "cat", "ls", "ps"].map((a) => ({ path: `bin/${a}`, target: "busybox" })),
        changes: ['ENTRYPOINT ["/usr/bin/docker-init", "--"]', 'CMD ["/usr/bin/node", "/proxy.js"]', "EXPOSE 8080"],
    };
}

let proxyImage: Promise<string> | undefined;

/** Builds and pushes the proxy image when missing or when node/proxy.js changed. */
export function buildProxyImage(): Promise<string> {
    proxyImage ??= withEngineLock("proxy-image", 300_000, async () => {
        await ensureImage(PROXY_IMAGE, proxySpec());
        return PROXY_IMAGE;
    });
    return proxyImage;
}

/** Starts `<serviceName>-proxy` and resolves once it answers on its published port. */
export async function startProxy(serviceName: string, options: ProxyOptions = {}): Promise<Proxy> {
    const image = await buildProxyImage();
    const name = `${serviceName}-proxy`;
    await docker(["service", "rm", name], { allowFailure: true });
    await waitForNoContainers(name);
    const port = await freePort();
    await docker([
        "service", "create", "--detach", "--name", name,
        "--network", options.network ?? NETWORK,
        "--publish", `mode=host,target=8080,published=${port}`,
        "--env", `PROXY_SERVICE=${serviceName}`,
        "--env", `PROXY_TARGET_PORT=${options.targetPort ?? 3000}`,
        image,
    ]); // prettier-ignore
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${url}/__proxy/health`, { signal: AbortSignal.timeout(2_000) })).ok, {
        deadlineMs: 60_000,
        what: `proxy ${name} answering on ${url}`,
    });
    return {
        url,
        serviceName: name,
        stop: async () => {
            await docker(["service", "rm", name], { allowFailure: true });
            await waitForNoContainers(name);
        },
    };
}

/** Swarm removes a service's containers asynchronously; wait until they are gone (port released). */
export async function waitForNoContainers(serviceName: string, deadlineMs = 60_000): Promise<void> {
    await waitFor(
        async () =>
            (await docker(["ps", "-aq", "--filter", `label=com.docker.swarm.service.name=${serviceName}`])).stdout ===
            "",
        { deadlineMs, what: `containers of ${serviceName} to be removed` },
    );
}

/** A port nothing listens on right now (the kernel's pick), for the proxy's host-mode publish. */
async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (address === null || typeof address === "string") throw new Error("no free port");
    return address.port;
}
