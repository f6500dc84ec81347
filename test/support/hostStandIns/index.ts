/**
 * A stand-in Dokploy host in a temp folder: a bin folder with `aws`, `docker` and `sleep`
 * stand-ins (see the .sh, .bash and .js files beside this one), their state, the host layout the
 * scripts write to, and a HOME for root. Scripts run with real bash and a bare environment, as
 * sshd or cron would start them. With the docker stand-in, the host also has a port on the docker
 * server (dockerServer.js, a worker thread of this process) from its constructor to `remove()`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { CRON_PATH, type HostLayout } from "../../../components/dokployHost/scripts";

export interface Call {
    readonly tool: "aws" | "docker" | "sleep";
    readonly argv: string[];
    readonly stdin?: string;
    readonly env: Record<string, string>;
}

export interface RunResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

export interface AwsBehaviour {
    readonly password: string;
    /** Error codes for the first calls, one per call; later calls succeed. */
    readonly refusals?: string[];
    /** An error code every call gets. */
    readonly refuseAlways?: string | null;
}

export interface DockerBehaviour {
    readonly volumes: Record<string, string>;
    readonly registries: Record<string, { username: string; password: string }>;
}

/** How long a StandInHost waits for the docker server to listen (the thread's start included). */
const DOCKER_SERVER_START_MS = 15_000;

/**
 * The one docker server thread of this process, started by the first StandInHost with the docker
 * stand-in. It is unref'd, so it never keeps the process alive, and stays for later hosts
 * (starting a thread costs about a `node` start's CPU; a test makes a new host each time).
 */
let dockerServer: { worker: Worker; failure?: Error } | undefined;
let dockerServerIds = 0;

/** Opens a port for one host on the docker server; returns its address and how to close it. */
function openDockerServer(): { address: string; close(): void } {
    if (!dockerServer) {
        // No execArgv: the thread runs plain CommonJS and needs none of the TypeScript runtime.
        const worker = new Worker(path.join(__dirname, "dockerServer.js"), { execArgv: [] });
        const server: { worker: Worker; failure?: Error } = { worker };
        worker.unref();
        worker.on("error", (err) => (server.failure = err));
        worker.on("exit", () => {
            if (dockerServer === server) dockerServer = undefined;
        });
        dockerServer = server;
    }
    const server = dockerServer;
    const id = ++dockerServerIds;
    // This constructor is synchronous, so the answer is waited for with Atomics.wait on a shared
    // cell the thread sets, then taken off a MessagePort with receiveMessageOnPort; neither needs
    // this thread's event loop.
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    server.worker.postMessage({ open: id, reply: port2, cell }, [port2]);
    const waited = Atomics.wait(cell, 0, 0, DOCKER_SERVER_START_MS);
    const answer = receiveMessageOnPort(port1)?.message as { port: number } | { error: string } | undefined;
    port1.close();
    if (waited === "timed-out" || !answer || "error" in answer) {
        const cause =
            answer && "error" in answer
                ? answer.error
                : `no answer within ${DOCKER_SERVER_START_MS} ms${server.failure ? `: ${server.failure.stack}` : " (does dockerServer.js load?)"}`;
        throw new Error(`docker stand-in server: ${cause}`);
    }
    return { address: `127.0.0.1:${answer.port}`, close: () => server.worker.postMessage({ close: id }) };
}

export class StandInHost {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-standin-"));
    readonly bin = path.join(this.dir, "bin");
    readonly state = path.join(this.dir, "state");
    readonly home = path.join(this.dir, "root");
    readonly layout: HostLayout = {
        configDir: path.join(this.dir, "etc/nextstack"),
        sbinDir: path.join(this.dir, "usr/local/sbin"),
        cronDir: path.join(this.dir, "etc/cron.d"),
        logDir: path.join(this.dir, "var/log"),
    };
    private readonly dockerServer?: { address: string; close(): void };

    /** @param tools the stand-ins to put on PATH; others resolve to the machine's real ones. */
    constructor(tools: readonly ("aws" | "docker" | "sleep")[] = ["aws", "docker", "sleep"]) {
        for (const d of [
            this.bin,
            this.state,
            this.home,
            this.layout.sbinDir,
            this.layout.cronDir,
            this.layout.logDir,
        ]) {
            fs.mkdirSync(d, { recursive: true });
        }
        if (tools.includes("docker")) this.dockerServer = openDockerServer();
        for (const tool of tools) {
            // sh scripts (each says why); docker.sh hands login and logout to dockerClient.bash,
            // which takes them to docker.js on the server at $STANDIN_DOCKER.
            const script = path.join(__dirname, `${tool}.sh`);
            const server = tool === "docker" ? ` STANDIN_DOCKER='${this.dockerServer?.address}'` : "";
            const wrapper = `#!/bin/sh\nSTANDIN_STATE='${this.state}'${server} exec /bin/sh '${script}' "$@"\n`;
            fs.writeFileSync(path.join(this.bin, tool), wrapper, { mode: 0o755 });
        }
    }

    aws(behaviour: AwsBehaviour): void {
        // Plain-text files, which aws.sh reads without a JSON parser.
        const file = (name: string) => path.join(this.state, name);
        fs.writeFileSync(file("aws.password"), behaviour.password);
        fs.writeFileSync(file("aws.refusals"), (behaviour.refusals ?? []).map((r) => `${r}\n`).join(""));
        fs.writeFileSync(file("aws.refuse-always"), behaviour.refuseAlways ?? "");
        fs.rmSync(file("aws.count"), { force: true });
    }

    docker(behaviour: DockerBehaviour): void {
        fs.writeFileSync(path.join(this.state, "docker.json"), JSON.stringify(behaviour));
        const volumes = Object.entries(behaviour.volumes).map(([name, mountpoint]) => `${name}\t${mountpoint}\n`);
        fs.writeFileSync(path.join(this.state, "docker.volumes"), volumes.join(""));
    }

    /** The calls the stand-ins got, oldest first; `clearCalls` starts a new record. */
    calls(tool?: Call["tool"]): Call[] {
        const file = path.join(this.state, "calls.jsonl");
        if (!fs.existsSync(file)) return [];
        const all = fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Call);
        return tool ? all.filter((c) => c.tool === tool) : all;
    }

    clearCalls(): void {
        fs.rmSync(path.join(this.state, "calls.jsonl"), { force: true });
    }

    /** The environment sshd or cron gives a root session, with the stand-ins first on PATH. */
    env(extra: Record<string, string> = {}): Record<string, string> {
        return { PATH: `${this.bin}:${CRON_PATH}`, HOME: this.home, LANG: "C.UTF-8", ...extra };
    }

    /** Runs `script` as `bash -c`, like sshd runs a command with root's login shell. */
    bash(script: string, options: { stdin?: string; env?: Record<string, string> } = {}): RunResult {
        return run("bash", ["-c", script], options.stdin ?? "", this.env(options.env));
    }

    /**
     * Runs the command of the cron file's one job line the way cron does: with the file's SHELL
     * and the variables it sets, HOME from root's account (here the stand-in HOME), and the
     * stand-ins first on PATH.
     */
    cronJob(cronFile: string, env: Record<string, string> = {}): RunResult {
        const job = parseCronFile(fs.readFileSync(cronFile, "utf8"));
        const vars = { ...this.env(env), ...job.variables, ...env };
        vars.PATH = `${this.bin}:${job.variables.PATH ?? CRON_PATH}`;
        return run(job.variables.SHELL ?? "/bin/sh", ["-c", job.command], "", vars);
    }

    readConfig(dir: string): { auths?: Record<string, { auth: string }> } | undefined {
        const file = path.join(dir, "config.json");
        return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
    }

    /** Closes the host's docker server port (a later docker login or logout exits 125) and deletes its folder. */
    remove(): void {
        this.dockerServer?.close();
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

export interface CronJob {
    readonly variables: Record<string, string>;
    readonly schedule: string;
    readonly user: string;
    readonly command: string;
}

/**
 * Parses an /etc/cron.d file as cron(8) reads one (Debian cron, crontab(5)): comment and blank
 * lines, `NAME=value` lines, and job lines with five time fields, a user name and the command.
 * Throws where cron would skip the file or a line: no trailing newline, a job without a user.
 */
export function parseCronFile(text: string): CronJob {
    if (!text.endsWith("\n")) throw new Error("cron file: the last line has no newline (cron ignores it)");
    const variables: Record<string, string> = {};
    const jobs: CronJob[] = [];
    for (const line of text.split("\n")) {
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#")) continue;
        const assignment = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(trimmed);
        if (assignment) {
            variables[assignment[1]] = assignment[2];
            continue;
        }
        const fields = /^(\S+\s+\S+\s+\S+\s+\S+\s+\S+)\s+([a-z_][a-z0-9_-]*)\s+(.+)$/.exec(trimmed);
        if (!fields) throw new Error(`cron file: not a job line with a user field: ${line}`);
        jobs.push({ variables, schedule: fields[1], user: fields[2], command: fields[3] });
    }
    if (jobs.length !== 1) throw new Error(`cron file: expected one job, found ${jobs.length}`);
    return jobs[0];
}

function run(file: string, args: string[], stdin: string, env: Record<string, string>): RunResult {
    const r = spawnSync(file, args, { input: stdin, env, encoding: "utf8", timeout: 60_000 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
