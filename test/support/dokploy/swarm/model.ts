// What the fake's swarm backends (simulated, or the real engine) expose: the Docker Engine API's
// own shapes (only the fields the docker.* endpoints and tests read), so one mapping (endpoints.ts)
// turns either backend's answers into the JSON real Dokploy returns. The service spec is built
// from the application row the way Dokploy's mechanizeDockerContainer does
// (packages/server/src/utils/builders/index.ts; generateConfigContainer in utils/docker/utils.ts).
import type { ApplicationRow, JsonValue } from "../types";

/** Docker's HealthConfig (durations in ns), as Dokploy stores healthCheckSwarm. */
export interface HealthConfig {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    StartPeriod?: number;
    Retries?: number;
}

/** Docker's UpdateConfig / RollbackConfig (durations in ns). */
export interface UpdateConfig {
    Parallelism?: number;
    Delay?: number;
    FailureAction?: string;
    Monitor?: number;
    MaxFailureRatio?: number;
    Order?: string;
}

export interface ServiceSpec {
    Name: string;
    TaskTemplate: {
        ContainerSpec: { Image: string; Env: string[]; HealthCheck?: HealthConfig };
        Networks: { Target: string }[];
        RestartPolicy?: JsonValue;
        ForceUpdate: number;
    };
    Mode: { Replicated: { Replicas: number } };
    UpdateConfig?: UpdateConfig;
    RollbackConfig?: UpdateConfig;
}

/** `docker ps -a` row (Engine API GET /containers/json). */
export interface ContainerSummary {
    Id: string;
    Names: string[];
    Image: string;
    State: string;
    /** Docker's human text: "Up 37 seconds (healthy)", "Exited (143) 32 seconds ago". */
    Status: string;
    Labels: Record<string, string>;
    /** Unix seconds. */
    Created: number;
}

/** `docker service ps` row (Engine API GET /tasks, plus the node's hostname). */
export interface TaskSummary {
    ID: string;
    Slot: number;
    ServiceName: string;
    NodeName: string;
    DesiredState: string;
    Status: { State: string; Timestamp: string; Err?: string; Message?: string };
    CreatedAt: string;
    Image: string;
}

/** `docker service ls` row as `--format '{{json .}}'` prints it (what swarm.getNodeApps returns). */
export interface ServiceLsRow {
    ID: string;
    Image: string;
    Mode: string;
    Name: string;
    Ports: string;
    Replicas: string;
}

/** Swarm's UpdateStatus of a service (Engine API GET /services/<id>). */
export interface UpdateStatus {
    State: "updating" | "paused" | "completed" | "rollback_started" | "rollback_paused" | "rollback_completed";
    StartedAt?: string;
    CompletedAt?: string;
    Message: string;
}

/** How a deploy ended, for the deployment row and its log. */
export type DeployResult = { ok: true; log: string[] } | { ok: false; log: string[] };

export interface SwarmBackend {
    readonly kind: "simulated" | "engine";
    /**
     * Pull (engine mode; `reload` skips it), then update the service with ForceUpdate = current + 1,
     * or create it when it does not exist (mechanizeDockerContainer).
     */
    deploy(spec: ServiceSpec, opts: { pull: boolean }): Promise<DeployResult>;
    remove(appName: string): Promise<void>;
    scale(appName: string, replicas: number): Promise<void>;
    hasService(appName: string): Promise<boolean>;
    containers(all: boolean): Promise<ContainerSummary[]>;
    /** Full `docker inspect` object, or undefined for an unknown container (id prefix or name). */
    inspect(containerId: string): Promise<Record<string, unknown> | undefined>;
    /** undefined when the service does not exist (`docker service ps` fails). */
    tasks(appName: string): Promise<TaskSummary[] | undefined>;
    services(): Promise<ServiceLsRow[]>;
    updateStatus(appName: string): Promise<UpdateStatus | undefined>;
    close(): Promise<void>;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function asUpdateConfig(v: JsonValue): UpdateConfig | undefined {
    if (!isObject(v)) return undefined;
    return {
        Parallelism: num(v.Parallelism),
        Delay: num(v.Delay),
        FailureAction: typeof v.FailureAction === "string" ? v.FailureAction : undefined,
        Monitor: num(v.Monitor),
        MaxFailureRatio: num(v.MaxFailureRatio),
        Order: typeof v.Order === "string" ? v.Order : undefined,
    };
}

function asHealth(v: JsonValue): HealthConfig | undefined {
    if (!isObject(v)) return undefined;
    return {
        Test: Array.isArray(v.Test) ? v.Test.map(String) : undefined,
        Interval: num(v.Interval),
        Timeout: num(v.Timeout),
        StartPeriod: num(v.StartPeriod),
        Retries: num(v.Retries),
    };
}

/**
 * prepareEnvironmentVariables: the app's env lines (dotenv), with ${{project.X}} and
 * ${{environment.X}} references resolved from the project's and environment's env. Comments and
 * blank lines are dropped. (Simplified: quoting is left as stored.)
 */
export function envList(appEnv: string | null, projectEnv: string, environmentEnv: string): string[] {
    const table = (text: string): Map<string, string> => {
        const m = new Map<string, string>();
        for (const line of text.split("\n")) {
            const i = line.indexOf("=");
            if (i > 0 && !line.trimStart().startsWith("#")) m.set(line.slice(0, i).trim(), line.slice(i + 1));
        }
        return m;
    };
    const project = table(projectEnv);
    const environment = table(environmentEnv);
    const out: string[] = [];
    for (const line of (appEnv ?? "").split("\n")) {
        if (line.trim() === "" || line.trimStart().startsWith("#") || !line.includes("=")) continue;
        out.push(
            line
                .replace(/\$\{\{project\.(\w+)\}\}/g, (_m, k: string) => project.get(k) ?? "")
                .replace(/\$\{\{environment\.(\w+)\}\}/g, (_m, k: string) => environment.get(k) ?? ""),
        );
    }
    return out;
}

/**
 * The service spec mechanizeDockerContainer sends: image = dockerImage for a docker source
 * (else `<appName>:latest`), Networks = networkSwarm or [{Target:"dokploy-network"}], Mode =
 * modeSwarm or Replicated with `replicas`, health/update/rollback/restart settings as stored
 * (null → not sent, so swarm defaults apply; UpdateConfig then defaults to start-first). ForceUpdate
 * is the previous value + 1 on update (the backend adds it).
 */
export function serviceSpec(app: ApplicationRow, env: string[], forceUpdate: number): ServiceSpec {
    const networks = Array.isArray(app.networkSwarm)
        ? app.networkSwarm.flatMap((n) => (isObject(n) ? [{ Target: String(n.Target) }] : []))
        : [{ Target: "dokploy-network" }];
    const image = app.sourceType === "docker" ? app.dockerImage || "ERROR-NO-IMAGE-PROVIDED" : `${app.appName}:latest`;
    return {
        Name: app.appName,
        TaskTemplate: {
            ContainerSpec: { Image: image, Env: env, HealthCheck: asHealth(app.healthCheckSwarm) },
            Networks: networks,
            RestartPolicy: app.restartPolicySwarm ?? undefined,
            ForceUpdate: forceUpdate,
        },
        Mode: { Replicated: { Replicas: app.replicas } },
        // Without stored settings Dokploy sends {Parallelism: 1, Order: "start-first"} (generateConfigContainer).
        UpdateConfig: asUpdateConfig(app.updateConfigSwarm) ?? { Parallelism: 1, Order: "start-first" },
        RollbackConfig: asUpdateConfig(app.rollbackConfigSwarm),
    };
}
