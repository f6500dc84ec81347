/**
 * The answers of Dokploy's container endpoints, as real Dokploy v0.25.6 and v0.30.2 give them
 * (shared/dokploy/real-rollout-log.md §4.2, §4.4), and defensive parsers. These endpoints shell
 * out to the docker CLI on the Dokploy host; their traps are handled by the watcher (watch.ts):
 * prefix matches of the appName, exited containers of earlier tasks, task ids instead of
 * container ids, and stopped containers that report "unhealthy".
 */
import { asArray, isRecord, Json } from "../types";
import { DokployProtocolError } from "../errors";

/** A row of `docker.getContainersByAppNameMatch` (`docker ps -a` grepped by name). */
export interface DokployContainerRow {
    /** 12-character container id. */
    readonly containerId: string;
    /** `<appName>.<slot>.<taskId>` for a swarm task's container. */
    readonly name: string;
    /** Docker's State: `created`, `running`, `exited`, … */
    readonly state: string;
    /** v0.30.2 only: Docker's Status text, e.g. "Up 37 seconds (healthy)". */
    readonly status?: string;
}

/** A row of `docker.getServiceContainersByAppName` (`docker service ps <appName>`). */
export interface DokployServiceTaskRow {
    /** The swarm TASK id (12 characters on v0.25.6, 25 on v0.30.2), not a container id. */
    readonly taskId: string;
    /** `<appName>.<slot>`. */
    readonly name: string;
    /** The task's DESIRED state (`running` for a task that is still starting). */
    readonly desiredState: string;
    /** v0.30.2 only: e.g. "Failed 33 seconds ago". */
    readonly currentState?: string;
    /** v0.30.2 only: Swarm's error without the CLI's quotes; undefined when none ("Error:" / ""). */
    readonly error?: string;
}

export interface HealthProbe {
    readonly start: string;
    readonly end: string;
    readonly exitCode: number;
    readonly output: string;
}

/** The parts of `docker.getConfig` (`docker inspect`) the watcher reads. */
export interface DokployContainerConfig {
    readonly id: string;
    readonly name: string;
    /** The image reference as deployed (`Config.Image`), e.g. `127.0.0.1:5000/app:v2`. */
    readonly image: string;
    /** `State.Status`: `created`, `running`, `exited`, … */
    readonly status: string;
    readonly exitCode: number | null;
    /** `State.Health`; undefined when the container has no health check. */
    readonly health?: {
        readonly status: string;
        readonly failingStreak: number;
        readonly log: readonly HealthProbe[];
    };
    /** `com.docker.swarm.task.id` label. */
    readonly taskId?: string;
}

/** A row of `swarm.getNodeApps` (`docker service ls`): the service SPEC image. */
export interface DokploySwarmService {
    readonly id: string;
    readonly name: string;
    readonly image: string;
    readonly mode: string;
    /** e.g. "1/1". */
    readonly replicas: string;
}

function str(o: Json, key: string): string {
    const v = o[key];
    return typeof v === "string" ? v : "";
}

function need(o: Json, key: string, procedure: string): string {
    const v = str(o, key);
    if (!v) throw new DokployProtocolError(`Dokploy ${procedure} answered without ${key}`, { procedure });
    return v;
}

/** The lists are JSON arrays; a string of JSON lines (the CLI's raw output) is accepted too. */
function rows(raw: unknown, procedure: string): Json[] {
    if (typeof raw === "string") {
        return raw
            .split("\n")
            .filter((l) => l.trim().startsWith("{"))
            .map((l) => {
                try {
                    return JSON.parse(l) as unknown;
                } catch {
                    return undefined;
                }
            })
            .filter(isRecord);
    }
    if (raw === null) return [];
    return asArray(raw, procedure).filter(isRecord);
}

export function parseContainerRows(raw: unknown): DokployContainerRow[] {
    const p = "docker.getContainersByAppNameMatch";
    return rows(raw, p).map((o) => ({
        containerId: need(o, "containerId", p),
        name: str(o, "name").replace(/^\//, ""),
        state: str(o, "state"),
        status: typeof o.status === "string" ? o.status : undefined,
    }));
}

/** The CLI prints the error quoted; an empty one reads "Error:" (a Dokploy parsing leftover) or "". */
function taskError(v: unknown): string | undefined {
    if (typeof v !== "string") return undefined;
    const t = v
        .trim()
        .replace(/^"(.*)"$/s, "$1")
        .trim();
    return t === "" || t === "Error:" ? undefined : t;
}

export function parseServiceTaskRows(raw: unknown): DokployServiceTaskRow[] {
    const p = "docker.getServiceContainersByAppName";
    return rows(raw, p).map((o) => ({
        taskId: need(o, "containerId", p),
        name: str(o, "name"),
        desiredState: str(o, "state"),
        currentState: typeof o.currentState === "string" ? o.currentState : undefined,
        error: taskError(o.error),
    }));
}

function parseProbe(v: unknown): HealthProbe | undefined {
    if (!isRecord(v)) return undefined;
    return {
        start: str(v, "Start"),
        end: str(v, "End"),
        exitCode: typeof v.ExitCode === "number" ? v.ExitCode : -1,
        output: str(v, "Output"),
    };
}

/** undefined for Dokploy's 200 with a 0-byte body (container removed or unknown). */
export function parseContainerConfig(raw: unknown): DokployContainerConfig | undefined {
    if (raw === null || raw === undefined || raw === "") return undefined;
    const p = "docker.getConfig";
    if (!isRecord(raw)) throw new DokployProtocolError(`Dokploy ${p} answered without an object`, { procedure: p });
    const config = isRecord(raw.Config) ? raw.Config : {};
    const state = isRecord(raw.State) ? raw.State : {};
    const labels = isRecord(config.Labels) ? config.Labels : {};
    const h = isRecord(state.Health) ? state.Health : undefined;
    return {
        id: str(raw, "Id"),
        name: str(raw, "Name").replace(/^\//, ""),
        image: str(config, "Image"),
        status: str(state, "Status"),
        exitCode: typeof state.ExitCode === "number" ? state.ExitCode : null,
        health: h
            ? {
                  status: str(h, "Status"),
                  failingStreak: typeof h.FailingStreak === "number" ? h.FailingStreak : 0,
                  log: (Array.isArray(h.Log) ? h.Log : [])
                      .map(parseProbe)
                      .filter((x): x is HealthProbe => x !== undefined),
              }
            : undefined,
        taskId: typeof labels["com.docker.swarm.task.id"] === "string" ? labels["com.docker.swarm.task.id"] : undefined,
    };
}

export function parseSwarmServices(raw: unknown): DokploySwarmService[] {
    const p = "swarm.getNodeApps";
    return rows(raw, p).map((o) => ({
        id: str(o, "ID"),
        name: str(o, "Name"),
        image: str(o, "Image"),
        mode: str(o, "Mode"),
        replicas: str(o, "Replicas"),
    }));
}
