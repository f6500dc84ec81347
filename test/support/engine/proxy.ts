/**
 * Traefik's stand-in: a container attached to the app's overlay network (dokploy-network is
 * attachable) running proxy/proxy.js, its port published on 127.0.0.1 only. Requests reach whatever
 * tasks.<service> lists at that moment, so during a start-first update old and new tasks answer, as
 * behind Traefik. Not a swarm service with `--publish mode=host` (the recorded runs' shape): that
 * listens on every interface (0.0.0.0 and [::], seen here; dockerd's --ip does not apply to it),
 * and the routing mesh and service VIPs need IPVS, which this kernel lacks (ENGINE.md). The proxy
 * sees the same tasks.<service> answers from a container as from a task on the same network.
 */
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { docker } from "./docker";
import { NETWORK, REGISTRY, SCRIPTS_DIR } from "./env";
import { withEngineLock } from "./lock";
import { ensureImage, RootfsSpec } from "./rootfs";
import { settledEngine } from "./start";
import { waitFor } from "./wait";

export const PROXY_IMAGE = `${REGISTRY}/engine-proxy:node`;

export interface Proxy {
    /** http://127.0.0.1:<port>, forwarding to tasks.<service>:<targetPort>. */
    readonly url: string;
    /** The proxy's container: `<service>-proxy` (keeps the caller's name prefix). */
    readonly name: string;
    stop(): Promise<void>;
}

export interface ProxyOptions {
    readonly targetPort?: number;
    readonly network?: string;
}

/** The host's node binary and the libraries it links, at the same paths (ENGINE.md: proven). */
async function proxySpec(): Promise<RootfsSpec> {
    const node = realpathSync(process.execPath);
    const { execa } = await import("execa");
    const libs = (await execa("ldd", [node])).stdout
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
        await ensureImage(PROXY_IMAGE, await proxySpec());
        return PROXY_IMAGE;
    });
    return proxyImage;
}

/** Starts container `<serviceName>-proxy` and resolves once it answers on its loopback port. */
export async function startProxy(serviceName: string, options: ProxyOptions = {}): Promise<Proxy> {
    const image = await buildProxyImage();
    const name = `${serviceName}-proxy`;
    await removeProxy(serviceName);
    await docker([
        "run", "--detach", "--name", name, "--restart", "no",
        "--network", options.network ?? NETWORK,
        "--publish", "127.0.0.1::8080", // the engine picks a free port, on loopback only
        "--env", `PROXY_SERVICE=${serviceName}`,
        "--env", `PROXY_TARGET_PORT=${options.targetPort ?? 3000}`,
        image,
    ]); // prettier-ignore
    const published = (await docker(["port", name, "8080/tcp"])).stdout.trim().split("\n")[0] ?? "";
    if (!published.startsWith("127.0.0.1:")) throw new Error(`proxy ${name} published on "${published}", not loopback`);
    const url = `http://${published}`;
    await waitFor(async () => (await fetch(`${url}/__proxy/health`, { signal: AbortSignal.timeout(2_000) })).ok, {
        deadlineMs: 60_000,
        what: `proxy ${name} answering on ${url}`,
    });
    return { url, name, stop: () => removeProxy(serviceName) };
}

/** Removes the proxy of `serviceName` if there is one (cleanup after a test that failed midway). */
export async function removeProxy(serviceName: string): Promise<void> {
    if ((await settledEngine())?.ok !== true) return; // skipped suite: nothing was started
    await docker(["rm", "--force", `${serviceName}-proxy`], { allowFailure: true });
}
