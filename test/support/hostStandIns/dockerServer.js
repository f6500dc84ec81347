// @ts-check
/**
 * The docker stand-in's server: a worker thread of the test process (started by index.ts) that
 * answers the login and logout calls dockerClient.bash sends with docker.js's `docker(call)`.
 *
 * Why a worker thread: StandInHost runs the scripts with spawnSync (its `bash` and `cronJob`
 * return their results synchronously to the host-script and engine specs), which blocks the test
 * thread's event loop until bash exits, so a server there could not answer a call the script
 * makes. This thread has its own loop; one serves every StandInHost of the process (a thread
 * costs about as much CPU to start as the `node` it replaces), each host on its own port.
 *
 * Messages from index.ts: `{ open: id, reply, cell }` listens on 127.0.0.1 and a free port, posts
 * `{ port }` (or `{ error }`: docker.js did not load, or listen failed) on the MessagePort `reply`,
 * then sets `cell` (an Int32Array over a SharedArrayBuffer) to 1 and wakes the thread waiting on it
 * with Atomics.notify; `{ close: id }` stops listening for that host.
 *
 * Protocol, one call per connection, every field ended by a NUL byte (argv and environment
 * values cannot hold one):
 *   client: cwd, argc, argv[0..argc-1], then KEY=VALUE fields, then an empty field
 *   server: "stdin" if docker.js's needsStdin(argv); the client then sends its stdin as one field
 *   server: exit code, stdout, stderr; then it closes the connection
 */
const net = require("node:net");
const { parentPort } = require("node:worker_threads");

if (!parentPort) throw new Error("dockerServer.js runs as a worker thread (see index.ts)");
const port = parentPort;

// Loaded here so that an error in docker.js or common.js reaches the test as an `open` answer.
/** @type {import("./docker")} */
let stand;
/** @type {unknown} */
let loadError;
try {
    stand = require("./docker");
} catch (err) {
    loadError = err;
}

/** @type {Map<number, net.Server>} */
const servers = new Map();

/** @typedef {{ open?: number, close?: number, reply?: import("node:worker_threads").MessagePort, cell?: Int32Array }} Message */
port.on("message", (/** @type {Message} */ message) => {
    if (message.open !== undefined && message.reply && message.cell) {
        const { reply, cell } = message;
        const answer = (/** @type {{ port: number } | { error: string }} */ value) => {
            reply.postMessage(value);
            reply.close();
            Atomics.store(cell, 0, 1);
            Atomics.notify(cell, 0);
        };
        const describe = (/** @type {unknown} */ err) => (err instanceof Error && err.stack) || String(err);
        if (loadError) return answer({ error: `docker.js did not load: ${describe(loadError)}` });
        const server = net.createServer(serve);
        server.once("error", (err) => answer({ error: `listen failed: ${describe(err)}` }));
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            answer(typeof address === "object" && address ? { port: address.port } : { error: "no port" });
        });
        servers.set(message.open, server);
    } else if (message.close !== undefined) {
        servers.get(message.close)?.close();
        servers.delete(message.close);
    }
});

/** Reads one call from `socket`, answers it and closes the connection. @param {net.Socket} socket */
function serve(socket) {
    /** @type {string[]} */
    const fields = [];
    let pending = Buffer.alloc(0);
    /** @type {((field: string) => void)[]} */
    const waiting = [];
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        for (let nul = pending.indexOf(0); nul >= 0; nul = pending.indexOf(0)) {
            fields.push(pending.subarray(0, nul).toString("utf8"));
            pending = pending.subarray(nul + 1);
        }
        while (fields.length > 0 && waiting.length > 0) waiting.shift()?.(fields.shift() ?? "");
    });
    /** The next field, as soon as it has arrived. @returns {Promise<string>} */
    const next = () =>
        new Promise((resolve) => (fields.length > 0 ? resolve(fields.shift() ?? "") : waiting.push(resolve)));
    // A NUL in an answer would end its field early; none of docker.js's texts holds one.
    const field = (/** @type {string | number} */ value) => `${String(value).replaceAll("\0", "\uFFFD")}\0`;

    (async () => {
        const cwd = await next();
        const argc = Number(await next());
        /** @type {string[]} */
        const argv = [];
        for (let i = 0; i < argc; i++) argv.push(await next());
        /** @type {Record<string, string>} */
        const env = {};
        for (let kv = await next(); kv !== ""; kv = await next()) {
            const eq = kv.indexOf("=");
            env[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        let stdin;
        if (stand.needsStdin(argv)) {
            socket.write(field("stdin"));
            stdin = await next();
        }
        const result = stand.docker({ argv, env, cwd, stdin });
        socket.end(field(result.code) + field(result.stdout) + field(result.stderr));
    })().catch((/** @type {unknown} */ err) => {
        socket.end(field(125) + field("") + field(`stand-in docker server: ${String(err)}\n`));
    });
}
