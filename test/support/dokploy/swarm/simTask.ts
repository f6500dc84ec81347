// One simulated swarm task and its container, with the timings of real-rollout-log.md:
// - assigned → preparing (+0.2 s) → starting with the container started (+0.45 s)
//   (§3: service update +0.64, task starting +1.11, container start +1.15).
// - "running" only when the container is healthy, or at once without a health check; only then
//   is it in tasks.<app> DNS (§8).
// - Unhealthy: SIGTERM 2 s later, exit 143, task "failed" with
//   "task: non-zero exit (143): dockerexec: unhealthy container" (§1.4, §2 durations).
// - Shut down (desired=shutdown): leaves DNS ≈ 1.1 s later, SIGTERM ≈ 3 s after the decision,
//   exit 143 at once (tini), task "shutdown" 0.2 s after the exit (§1.3, §3 +31.50 → +34.45 → +34.70).
import type { SimClock } from "./clock";
import { swarmId } from "./dockerText";
import type { ServiceSpec } from "./model";
import { SimContainer, type ImageBehaviour } from "./simContainer";

export type TaskState =
    "new" | "pending" | "assigned" | "preparing" | "ready" | "starting" | "running" | "shutdown" | "failed";

export const UNHEALTHY_ERROR = "task: non-zero exit (143): dockerexec: unhealthy container";
const PREPARING_MS = 200;
const STARTING_MS = 450;
const UNHEALTHY_KILL_MS = 2000;
const DNS_LEAVE_MS = 1100;
const SHUTDOWN_KILL_MS = 3000;
const EXIT_REPORTED_MS = 200;

export interface TaskHooks {
    onRunning(task: SimTask): void;
    onFailed(task: SimTask): void;
}

export class SimTask {
    readonly id = swarmId();
    readonly createdAt: number;
    desired: "running" | "shutdown" | "ready" = "running";
    state: TaskState = "new";
    stateAt: number;
    err: string | undefined;
    container: SimContainer | undefined;
    /** Until when a task told to shut down still answers in tasks.<app> DNS. */
    dnsUntil: number | undefined;
    private cancels: (() => void)[] = [];

    constructor(
        private readonly clock: SimClock,
        readonly serviceName: string,
        readonly serviceId: string,
        readonly slot: number,
        readonly spec: ServiceSpec,
        readonly templateId: number,
        private readonly behaviour: ImageBehaviour,
        private readonly hooks: TaskHooks,
    ) {
        this.createdAt = clock.now();
        this.stateAt = this.createdAt;
    }

    private set(state: TaskState): void {
        this.state = state;
        this.stateAt = this.clock.now();
    }

    private later(ms: number, fn: () => void): void {
        this.cancels.push(this.clock.after(ms, fn));
    }

    get image(): string {
        return this.spec.TaskTemplate.ContainerSpec.Image;
    }

    get active(): boolean {
        return this.desired !== "shutdown";
    }

    /** In tasks.<app> DNS: running, and not yet dropped after a shutdown decision. */
    inDns(now: number): boolean {
        if (this.state !== "running") return false;
        return this.desired === "running" || (this.dnsUntil !== undefined && now < this.dnsUntil);
    }

    /** Schedules the container start, after `delayMs` (the restart policy's delay for a replacement). */
    launch(delayMs = 0): void {
        if (delayMs > 0) {
            this.desired = "ready";
            this.set("pending");
            this.later(PREPARING_MS, () => this.set("ready"));
            this.later(delayMs, () => {
                this.desired = "running";
                this.later(PREPARING_MS, () => this.startContainer());
            });
            return;
        }
        this.set("assigned");
        this.later(PREPARING_MS, () => this.set("preparing"));
        this.later(STARTING_MS, () => this.startContainer());
    }

    private startContainer(): void {
        if (this.desired === "shutdown") return;
        const cs = this.spec.TaskTemplate.ContainerSpec;
        this.container = new SimContainer(
            this.clock,
            {
                name: `${this.serviceName}.${this.slot}.${this.id}`,
                image: cs.Image,
                env: cs.Env,
                labels: {
                    "com.docker.swarm.service.id": this.serviceId,
                    "com.docker.swarm.service.name": this.serviceName,
                    "com.docker.swarm.task.id": this.id,
                    "com.docker.swarm.task.name": `${this.serviceName}.${this.slot}.${this.id}`,
                },
                healthConfig: cs.HealthCheck,
                behaviour: this.behaviour,
            },
            (status) => this.onHealth(status),
        );
        this.set("starting");
        this.container.start();
        if (!this.container.hasHealthCheck) this.becomeRunning();
    }

    private onHealth(status: "starting" | "healthy" | "unhealthy"): void {
        if (this.desired === "shutdown") return;
        if (status === "healthy" && this.state === "starting") this.becomeRunning();
        if (status === "unhealthy") this.later(UNHEALTHY_KILL_MS, () => this.fail());
    }

    private becomeRunning(): void {
        this.set("running");
        this.hooks.onRunning(this);
    }

    private fail(): void {
        if (this.desired === "shutdown") return;
        this.container?.kill(143);
        this.desired = "shutdown";
        this.later(EXIT_REPORTED_MS, () => {
            this.err = UNHEALTHY_ERROR;
            this.set("failed");
            this.hooks.onFailed(this);
        });
    }

    /** Swarm decided to stop this task (replaced, rolled back, scaled down, service removed). */
    shutdown(): void {
        if (this.desired === "shutdown") return;
        const wasReady = this.container === undefined;
        this.desired = "shutdown";
        if (wasReady) {
            for (const cancel of this.cancels) cancel();
            this.set("shutdown");
            return;
        }
        this.dnsUntil = this.clock.now() + DNS_LEAVE_MS;
        this.later(SHUTDOWN_KILL_MS, () => {
            this.container?.kill(143);
            this.later(EXIT_REPORTED_MS, () => {
                if (this.state !== "failed") this.set("shutdown");
            });
        });
    }

    /** The service is gone: no more callbacks. */
    forget(): void {
        for (const cancel of this.cancels) cancel();
        this.cancels = [];
    }
}
