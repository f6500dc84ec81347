// Entry point of the fake Dokploy server used by the client, provider and promotion tests.
import { KeyRing } from "./auth";
import { DeploymentWorker } from "./deployments";
import { FaultQueue } from "./faults";
import { routeTable } from "./openapi";
import { FakeDokployHttp } from "./server";
import { FakeStore } from "./store";
import { serviceDeployer } from "./swarm/apply";
import { SimClock } from "./swarm/clock";
import { EngineSwarm } from "./swarm/engine";
import type { SwarmBackend } from "./swarm/model";
import type { ImageBehaviour } from "./swarm/simContainer";
import { SimulatedSwarm, type ServingTask } from "./swarm/simulated";
import type { DeploymentOutcome, DokployVersion, Fault, FakeDokployOptions, RecordedRequest } from "./types";
import { Views } from "./views";

export * from "./types";
export { FakeStore } from "./store";
export type { ImageBehaviour } from "./swarm/simContainer";
export type { ServingTask } from "./swarm/simulated";
export type { SwarmBackend, UpdateStatus } from "./swarm/model";
export { SimClock } from "./swarm/clock";

/** The swarm behind the fake's deploys, and the knobs tests turn. */
export interface FakeSwarm {
    readonly kind: "simulated" | "engine";
    readonly backend: SwarmBackend;
    /** Simulated time: now() in epoch ms; advance(ms) in manual mode. */
    readonly clock: SimClock;
    /** Real ms per simulated ms (1 in engine and manual mode). */
    readonly timeScale: number;
    /** Simulated mode: how an image's health check behaves (default healthy). */
    setImageBehaviour(image: string, behaviour: ImageBehaviour): void;
    /** Simulated mode: remove/add an overlay network (a missing dokploy-network fails deploys). */
    setNetwork(name: string, present: boolean): void;
    /** Swarm's UpdateStatus of the app's service, read directly (what SSH + docker service inspect shows). */
    updateStatus(appName: string): Promise<import("./swarm/model").UpdateStatus | undefined>;
    /** Simulated mode: the tasks in tasks.<appName> DNS now and what each answers on /api/health. */
    serving(appName: string): ServingTask[];
}

export interface FakeDokploy {
    readonly url: string;
    readonly apiKey: string;
    readonly version: string;
    readonly requests: RecordedRequest[];
    readonly store: FakeStore;
    faults: { inject(fault: Fault): void; clear(): void; pending(): Fault[] };
    deployments: {
        setOutcome(outcome: DeploymentOutcome | "hold"): void;
        release(outcome?: DeploymentOutcome): void;
    };
    readonly swarm: FakeSwarm;
    /** The deployment's log lines (what Dokploy writes to the row's logPath). */
    deploymentLog(deploymentId: string): string[];
    callCount(procedure?: string): number;
    /** Resolves once every request received so far has been answered or dropped (a delay fault holds one). */
    idle(): Promise<void>;
    close(): Promise<void>;
}

function swarmFor(options: FakeDokployOptions): { sim?: SimulatedSwarm; backend: SwarmBackend; clock: SimClock } {
    if (options.engine) {
        // Engine mode: real time, real swarm.
        return {
            backend: new EngineSwarm(options.engine.dockerHost),
            clock: new SimClock({ kind: "scaled", timeScale: 1 }),
        };
    }
    const opt = options.swarm;
    const clock = new SimClock(
        opt && "clock" in opt ? { kind: "manual" } : { kind: "scaled", timeScale: opt?.timeScale ?? 0.005 },
    );
    const sim = new SimulatedSwarm(clock);
    return { sim, backend: sim, clock };
}

function simulatedOnly(sim: SimulatedSwarm | undefined, what: string): SimulatedSwarm {
    if (!sim) throw new Error(`${what} exists in simulated mode only; in engine mode use the real images and networks`);
    return sim;
}

export async function startFakeDokploy(options: FakeDokployOptions = {}): Promise<FakeDokploy> {
    const version: DokployVersion = options.version ?? "v0.25.6";
    const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [{ key: "test-api-key" }];
    routeTable(version); // parse the OpenAPI document now (cached per version), not on the first request
    const store = new FakeStore(version);
    const { sim, backend, clock } = swarmFor(options);
    const deployService = serviceDeployer(store, backend, version);
    const worker = new DeploymentWorker(
        store,
        version,
        options.deployDurationMs ?? 30,
        options.deployStartDelayMs ?? 0,
        (app) => deployService(app, { pull: true }),
        () => clock.now(),
    );
    const faults = new FaultQueue();
    const http = new FakeDokployHttp(version, new KeyRing(apiKeys), faults, {
        store,
        views: new Views(store),
        worker,
        version,
        swarm: backend,
        clock,
        deployService,
    });
    const url = await http.listen();
    let closed: Promise<void> | undefined;
    return {
        url,
        apiKey: apiKeys[0]!.key,
        version,
        requests: http.requests,
        store,
        faults: {
            inject: (fault) => faults.inject(fault),
            clear: () => faults.clear(),
            pending: () => faults.pending(),
        },
        deployments: {
            setOutcome: (outcome) => worker.setOutcome(outcome),
            release: (outcome) => worker.release(outcome),
        },
        swarm: {
            kind: backend.kind,
            backend,
            clock,
            timeScale: clock.timeScale,
            setImageBehaviour: (image, behaviour) =>
                simulatedOnly(sim, "setImageBehaviour").setImageBehaviour(image, behaviour),
            setNetwork: (name, present) => {
                const networks = simulatedOnly(sim, "setNetwork").networks;
                if (present) networks.add(name);
                else networks.delete(name);
            },
            updateStatus: (appName) => backend.updateStatus(appName),
            serving: (appName) => simulatedOnly(sim, "serving").serving(appName),
        },
        deploymentLog: (deploymentId) => [...(worker.logs.get(deploymentId) ?? [])],
        callCount: (procedure) =>
            procedure === undefined
                ? http.requests.length
                : http.requests.filter((r) => r.procedure.toLowerCase() === procedure.toLowerCase()).length,
        idle: () => http.idle(),
        close: () => {
            closed ??= (async () => {
                worker.close();
                await http.close();
                await backend.close();
            })();
            return closed;
        },
    };
}
