// Entry point of the fake Dokploy server used by the client, provider and promotion tests.
import { KeyRing } from "./auth";
import { DeploymentWorker } from "./deployments";
import { FaultQueue } from "./faults";
import { routeTable } from "./openapi";
import { FakeDokployHttp } from "./server";
import { FakeStore } from "./store";
import type { DeploymentOutcome, DokployVersion, Fault, FakeDokployOptions, RecordedRequest } from "./types";
import { Views } from "./views";

export * from "./types";
export { FakeStore } from "./store";

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
    callCount(procedure?: string): number;
    close(): Promise<void>;
}

export async function startFakeDokploy(options: FakeDokployOptions = {}): Promise<FakeDokploy> {
    const version: DokployVersion = options.version ?? "v0.25.6";
    const apiKeys = options.apiKeys && options.apiKeys.length > 0 ? options.apiKeys : [{ key: "test-api-key" }];
    routeTable(version); // parse the OpenAPI document now (cached per version), not on the first request
    const store = new FakeStore(version);
    const worker = new DeploymentWorker(
        store,
        version,
        options.deployDurationMs ?? 30,
        options.deployStartDelayMs ?? 0,
    );
    const faults = new FaultQueue();
    const http = new FakeDokployHttp(version, new KeyRing(apiKeys), faults, {
        store,
        views: new Views(store),
        worker,
        version,
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
        callCount: (procedure) =>
            procedure === undefined
                ? http.requests.length
                : http.requests.filter((r) => r.procedure.toLowerCase() === procedure.toLowerCase()).length,
        close: () => {
            closed ??= (async () => {
                worker.close();
                await http.close();
            })();
            return closed;
        },
    };
}
