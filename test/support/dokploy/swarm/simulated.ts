// The default backend: a simulated single-node swarm (node "vm", as in the recorded runs) that
// follows the real timelines of real-rollout-log.md, on the fake's SimClock. Tests steer it
// with setImageBehaviour() and the network list (a missing dokploy-network fails the deploy
// the way the real engine does, log §6).
import type { SimClock } from "./clock";
import type {
    ContainerSummary,
    DeployResult,
    ServiceLsRow,
    ServiceSpec,
    SwarmBackend,
    TaskSummary,
    UpdateStatus,
} from "./model";
import type { ImageBehaviour } from "./simContainer";
import { SimService } from "./simService";
import type { SimTask } from "./simTask";

export const NODE_NAME = "vm";

/** A task that answers through tasks.<app> DNS right now (what a proxy like Traefik reaches). */
export interface ServingTask {
    taskId: string;
    containerId: string;
    image: string;
    health: { status: string; version: string; marker: string; host: string };
}

export class SimulatedSwarm implements SwarmBackend {
    readonly kind = "simulated";
    private readonly byName = new Map<string, SimService>();
    /** Removed services whose containers are still stopping. */
    private graveyard: SimService[] = [];
    private readonly gone = new Set<string>();
    private readonly behaviours = new Map<string, ImageBehaviour>();
    readonly networks = new Set<string>(["dokploy-network", "ingress"]);

    constructor(readonly clock: SimClock) {}

    setImageBehaviour(image: string, behaviour: ImageBehaviour): void {
        this.behaviours.set(image, behaviour);
    }

    private behaviour(image: string): ImageBehaviour {
        return this.behaviours.get(image) ?? { health: "healthy" };
    }

    service(appName: string): SimService | undefined {
        return this.byName.get(appName);
    }

    /** Creates or updates the service like mechanizeDockerContainer (inspect → update with ForceUpdate + 1, else create). */
    async deploy(spec: ServiceSpec, _opts: { pull: boolean }): Promise<DeployResult> {
        for (const n of spec.TaskTemplate.Networks) {
            if (!this.networks.has(n.Target)) {
                // Engine's answer to a service create/update naming a missing network (log §6).
                return {
                    ok: false,
                    log: [`❌ Error: (HTTP code 500) server error - network ${n.Target} not found`],
                };
            }
        }
        const existing = this.byName.get(spec.Name);
        if (existing) {
            existing.update({
                ...spec,
                TaskTemplate: { ...spec.TaskTemplate, ForceUpdate: existing.spec.TaskTemplate.ForceUpdate + 1 },
            });
        } else {
            this.byName.set(
                spec.Name,
                new SimService(
                    this.clock,
                    spec,
                    (image) => this.behaviour(image),
                    (id) => this.gone.add(id),
                ),
            );
        }
        return { ok: true, log: [] };
    }

    async remove(appName: string): Promise<void> {
        const svc = this.byName.get(appName);
        if (!svc) return;
        this.byName.delete(appName);
        svc.remove();
        this.graveyard.push(svc);
    }

    async scale(appName: string, replicas: number): Promise<void> {
        this.byName.get(appName)?.scale(replicas);
    }

    async hasService(appName: string): Promise<boolean> {
        return this.byName.has(appName);
    }

    private allTasks(): SimTask[] {
        this.graveyard = this.graveyard.filter((s) =>
            s.tasks.some((t) => t.container && !this.gone.has(t.container.id)),
        );
        return [...this.byName.values(), ...this.graveyard].flatMap((s) => s.tasks);
    }

    /** `docker ps [-a]`, newest first. */
    async containers(all: boolean): Promise<ContainerSummary[]> {
        const now = this.clock.now();
        return this.allTasks()
            .flatMap((t) => (t.container && !this.gone.has(t.container.id) ? [t.container] : []))
            .filter((c) => all || c.state === "running")
            .sort((a, b) => b.createdAt - a.createdAt)
            .map((c) => c.summary(now));
    }

    /** `docker inspect <id>`: full id, unique id prefix, or name. */
    async inspect(containerId: string): Promise<Record<string, unknown> | undefined> {
        this.clock.now();
        const containers = this.allTasks().flatMap((t) =>
            t.container && !this.gone.has(t.container.id) ? [t.container] : [],
        );
        const byName = containers.find((c) => c.init.name === containerId);
        const byId = containers.filter((c) => c.id.startsWith(containerId));
        const found = byName ?? (byId.length === 1 ? byId[0] : undefined);
        return found?.inspect();
    }

    /** `docker service ps <app>`: by slot, newest first within a slot. */
    async tasks(appName: string): Promise<TaskSummary[] | undefined> {
        const svc = this.byName.get(appName);
        if (!svc) return undefined;
        this.clock.now();
        return [...svc.tasks]
            .sort((a, b) => a.slot - b.slot || b.createdAt - a.createdAt)
            .map((t) => ({
                ID: t.id,
                Slot: t.slot,
                ServiceName: appName,
                NodeName: NODE_NAME,
                DesiredState: t.desired,
                Status: { State: t.state, Timestamp: new Date(t.stateAt).toISOString(), Err: t.err },
                CreatedAt: new Date(t.createdAt).toISOString(),
                Image: t.image,
            }));
    }

    /** `docker service ls --format '{{json .}}'`: every service, Replicas = running/desired. */
    async services(): Promise<ServiceLsRow[]> {
        this.clock.now();
        return [...this.byName.values()]
            .sort((a, b) => a.spec.Name.localeCompare(b.spec.Name))
            .map((s) => ({
                ID: s.id.slice(0, 12),
                Image: s.spec.TaskTemplate.ContainerSpec.Image,
                Mode: "replicated",
                Name: s.spec.Name,
                Ports: "",
                Replicas: `${s.runningCount()}/${s.replicas}`,
            }));
    }

    async updateStatus(appName: string): Promise<UpdateStatus | undefined> {
        this.clock.now();
        const s = this.byName.get(appName)?.updateStatus;
        return s ? { ...s } : undefined;
    }

    /** What tasks.<appName> resolves to now, and what each answers on /api/health. */
    serving(appName: string): ServingTask[] {
        const now = this.clock.now();
        const svc = this.byName.get(appName);
        if (!svc) return [];
        return svc.tasks
            .filter((t) => t.inDns(now) && t.container)
            .map((t) => ({
                taskId: t.id,
                containerId: t.container!.id,
                image: t.image,
                health: t.container!.healthBody(),
            }));
    }

    async close(): Promise<void> {
        this.clock.close();
    }
}
