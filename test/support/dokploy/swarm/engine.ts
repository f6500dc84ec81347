// Engine-backed mode: the fake's deploy/redeploy/reload drive a REAL Docker engine the way
// Dokploy v0.25.6 does, and its docker.* endpoints answer from that engine.
// - deploy: `docker pull <image>` with the CLI (pullImage, utils/docker/utils.ts; reload skips it),
//   then mechanizeDockerContainer (utils/builders/index.ts): inspect the service by name; if it
//   exists, update it with the full spec and TaskTemplate.ForceUpdate = current + 1 (so every
//   deploy replaces all tasks, real-rollout-log.md §8); if anything in that fails, create it. The
//   row turns done when this returns (§1.1). A missing network fails the create with the engine's
//   500 "network … not found" (§6).
// - Reads: `docker ps -a` = GET /containers/json?all=1, `docker inspect` = GET /containers/<id>/json,
//   `docker service ps` = GET /tasks (+ node hostnames), `docker service ls` = GET /services?status=true.
import { EngineApi, EngineError } from "./engineApi";
import type {
    ContainerSummary,
    DeployResult,
    ServiceLsRow,
    ServiceSpec,
    SwarmBackend,
    TaskSummary,
    UpdateStatus,
} from "./model";

interface EngineService {
    ID: string;
    Version: { Index: number };
    Spec: ServiceSpec & { Mode: { Replicated?: { Replicas: number }; Global?: object } };
    Endpoint?: { Ports?: { Protocol: string; TargetPort: number; PublishedPort: number }[] };
    UpdateStatus?: UpdateStatus;
    ServiceStatus?: { RunningTasks: number; DesiredTasks: number };
}

interface EngineTask {
    ID: string;
    Slot?: number;
    NodeID: string;
    ServiceID: string;
    CreatedAt: string;
    DesiredState: string;
    Spec: { ContainerSpec: { Image: string } };
    Status: { State: string; Timestamp: string; Err?: string; Message?: string };
}

/** What Dokploy sends besides the stored settings (mechanizeDockerContainer / generateConfigContainer). */
function engineSpec(spec: ServiceSpec, forceUpdate: number): Record<string, unknown> {
    return {
        ...spec,
        TaskTemplate: {
            ...spec.TaskTemplate,
            ContainerSpec: { ...spec.TaskTemplate.ContainerSpec, Mounts: [], Labels: {} },
            Placement: { Constraints: [] },
            Resources: { Limits: {}, Reservations: {} },
            ForceUpdate: forceUpdate,
        },
        EndpointSpec: { Ports: [] },
    };
}

/** `docker service ls` shows the image without its digest. */
function withoutDigest(image: string): string {
    const at = image.indexOf("@");
    return at === -1 ? image : image.slice(0, at);
}

export class EngineSwarm implements SwarmBackend {
    readonly kind = "engine";
    readonly api: EngineApi;
    private readonly nodeNames = new Map<string, string>();

    constructor(dockerHost: string) {
        this.api = new EngineApi(dockerHost);
    }

    private async service(name: string): Promise<EngineService | undefined> {
        const { status, json } = await this.api.call("GET", `/services/${encodeURIComponent(name)}`);
        if (status === 404) return undefined;
        if (status >= 400) throw new EngineError(status, JSON.stringify(json));
        return json as EngineService;
    }

    async deploy(spec: ServiceSpec, opts: { pull: boolean }): Promise<DeployResult> {
        const log: string[] = [];
        const image = spec.TaskTemplate.ContainerSpec.Image;
        try {
            if (opts.pull) log.push((await this.api.pull(image)).trim());
        } catch (error) {
            return { ok: false, log: [...log, `❌ Error: ${error instanceof Error ? error.message : String(error)}`] };
        }
        try {
            try {
                const current = await this.service(spec.Name);
                if (!current) throw new Error("no such service");
                const force = (current.Spec.TaskTemplate.ForceUpdate ?? 0) + 1;
                await this.api.ok(
                    "POST",
                    `/services/${current.ID}/update?version=${current.Version.Index}`,
                    engineSpec(spec, force),
                );
            } catch {
                await this.api.ok("POST", "/services/create", engineSpec(spec, 0));
            }
            return { ok: true, log };
        } catch (error) {
            return { ok: false, log: [...log, `❌ Error: ${error instanceof Error ? error.message : String(error)}`] };
        }
    }

    async remove(appName: string): Promise<void> {
        await this.api.call("DELETE", `/services/${encodeURIComponent(appName)}`);
    }

    /** `docker service scale <app>=<n>`: the same spec with another replica count. */
    async scale(appName: string, replicas: number): Promise<void> {
        const current = await this.service(appName);
        if (!current) throw new EngineError(404, `service ${appName} not found`);
        const spec = { ...current.Spec, Mode: { Replicated: { Replicas: replicas } } };
        await this.api.ok("POST", `/services/${current.ID}/update?version=${current.Version.Index}`, spec);
    }

    async hasService(appName: string): Promise<boolean> {
        return (await this.service(appName)) !== undefined;
    }

    async containers(all: boolean): Promise<ContainerSummary[]> {
        return this.api.ok<ContainerSummary[]>("GET", `/containers/json${all ? "?all=1" : ""}`);
    }

    async inspect(containerId: string): Promise<Record<string, unknown> | undefined> {
        const { status, json } = await this.api.call("GET", `/containers/${encodeURIComponent(containerId)}/json`);
        return status === 200 && typeof json === "object" && json !== null
            ? (json as Record<string, unknown>)
            : undefined;
    }

    private async nodeName(id: string): Promise<string> {
        if (!this.nodeNames.has(id)) {
            const nodes = await this.api.ok<{ ID: string; Description: { Hostname: string } }[]>("GET", "/nodes");
            for (const n of nodes) this.nodeNames.set(n.ID, n.Description.Hostname);
        }
        return this.nodeNames.get(id) ?? "";
    }

    async tasks(appName: string): Promise<TaskSummary[] | undefined> {
        const svc = await this.service(appName);
        if (!svc) return undefined;
        const filters = encodeURIComponent(JSON.stringify({ service: { [svc.ID]: true } }));
        const tasks = await this.api.ok<EngineTask[]>("GET", `/tasks?filters=${filters}`);
        const rows: TaskSummary[] = [];
        for (const t of tasks) {
            rows.push({
                ID: t.ID,
                Slot: t.Slot ?? 0,
                ServiceName: appName,
                NodeName: await this.nodeName(t.NodeID),
                DesiredState: t.DesiredState,
                Status: {
                    State: t.Status.State,
                    Timestamp: t.Status.Timestamp,
                    Err: t.Status.Err,
                    Message: t.Status.Message,
                },
                CreatedAt: t.CreatedAt,
                Image: t.Spec.ContainerSpec.Image,
            });
        }
        // docker service ps: by slot, newest first within a slot.
        return rows.sort((a, b) => a.Slot - b.Slot || Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
    }

    async services(): Promise<ServiceLsRow[]> {
        const services = await this.api.ok<EngineService[]>("GET", "/services?status=true");
        return services
            .sort((a, b) => a.Spec.Name.localeCompare(b.Spec.Name))
            .map((s) => ({
                ID: s.ID.slice(0, 12),
                Image: withoutDigest(s.Spec.TaskTemplate.ContainerSpec.Image),
                Mode: s.Spec.Mode.Global ? "global" : "replicated",
                Name: s.Spec.Name,
                Ports: (s.Endpoint?.Ports ?? [])
                    .map((p) => `*:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`)
                    .join(", "),
                Replicas: `${s.ServiceStatus?.RunningTasks ?? 0}/${s.ServiceStatus?.DesiredTasks ?? 0}`,
            }));
    }

    async updateStatus(appName: string): Promise<UpdateStatus | undefined> {
        return (await this.service(appName))?.UpdateStatus;
    }

    async close(): Promise<void> {}
}
