// Stand-in for Traefik in front of a swarm service, run in a container on the app's overlay
// network (plain Node, no dependencies: it runs on the host's node binary copied into the image).
// Per request it resolves tasks.<service> again (c-ares, no cache, 1 s timeout, one try) and goes
// round-robin over the A records, forwarding to :<port>; no A record -> 502. Copied from the
// proxy of the recorded real rollouts (/work/shared/dokploy/real-rollout-log.md §0 "Ingress
// stand-in"). Real Traefik goes through the service VIP, which needs IPVS (absent here).
"use strict";
const http = require("node:http");
const { Resolver } = require("node:dns").promises;

const service = process.env.PROXY_SERVICE;
const port = Number(process.env.PROXY_TARGET_PORT || 3000);
const host = `tasks.${service}`;
let next = 0;

function fail(res, text) {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { "content-type": "text/plain", connection: "close" });
    res.end(`proxy: ${text}\n`);
}

const server = http.createServer(async (req, res) => {
    if (req.url === "/__proxy/health") {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("proxy ok\n");
    }
    let ips = [];
    let why = "no A record";
    try {
        ips = await new Resolver({ timeout: 1000, tries: 1 }).resolve4(host);
    } catch (err) {
        why = err.code || String(err);
    }
    if (ips.length === 0) return fail(res, `no tasks for ${host} (${why})`);
    const ip = ips[next++ % ips.length];
    const upstream = http.request(
        { host: ip, port, method: req.method, path: req.url, headers: req.headers, agent: false, timeout: 10000 },
        (up) => {
            res.writeHead(up.statusCode || 502, { ...up.headers, "x-proxy-upstream": ip });
            up.pipe(res);
        },
    );
    upstream.on("timeout", () => upstream.destroy(new Error("ETIMEDOUT")));
    upstream.on("error", (err) => fail(res, `${ip}:${port}: ${err.code || err.message}`));
    req.pipe(upstream);
});
server.listen(8080, "0.0.0.0", () => console.log(`proxy for ${host}:${port} on :8080`));
process.on("SIGTERM", () => process.exit(0));
