/**
 * Helpers for driving the Dokploy dynamic provider in-process against the fake server.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { createDokployProvider } from "../../components/dokploy/provider";
import type { ProviderTuning, RolloutClock } from "../../components/dokploy/context";
import type { FakeDokploy } from "./dokploy";

/** Short timings so failure paths take milliseconds. */
export const FAST_TUNING: ProviderTuning = {
    httpTimeoutMs: 2000,
    maxAttempts: 3,
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    pollInitialMs: 5,
    pollMaxMs: 20,
    uncertainGraceMs: 300,
    deployTimeoutUnitMs: 1000,
    // Rollout watch in the server's ms; pass the fake's swarm.timeScale as rolloutTimeScale when
    // its simulated swarm runs faster than real time (engine-backed mode: 1), or use fakeTuning().
    rolloutCallIntervalMs: 1000,
    rolloutPollMinMs: 1000,
    rolloutTimeScale: 1,
};

/**
 * The rollout watch on the fake's manual swarm clock (start it with `swarm: { clock: "manual" }`):
 * the watcher's sleep advances simulated time, so a rollout of minutes is watched without waiting
 * and samples the same simulated moments whatever the machine's load.
 */
export function fakeSwarmClock(srv: FakeDokploy): RolloutClock {
    return {
        now: () => srv.swarm.clock.now(),
        sleep: async (ms) => srv.swarm.clock.advance(ms),
    };
}

/**
 * Timings that hold only against the simulated fake started with `swarm: { clock: "manual" }`
 * and a short deployDurationMs (not against a real engine, whose deployments take seconds):
 * - the first deployment poll 1 ms after the deploy call (growing ×1.5 to FAST_TUNING's 20 ms):
 *   a 1 ms deployment (deployDurationMs: 1) is seen done at the first or second poll instead of
 *   after 5 + 8 ms of idle waiting;
 * - deployTimeoutSeconds: 1 is a 50 ms deadline; an uncertain deploy's row is looked for 60 ms
 *   (the fake inserts it on the next tick);
 * - the rollout watch runs on the fake's clock, one poll round (3 calls) per 15 simulated s:
 *   twice per 30 s health interval of the guide's settings (real use: rounds every ~3 s, the
 *   pace rolloutWatch.spec.ts keeps).
 */
export function fakeTuning(srv: FakeDokploy): Partial<ProviderTuning> {
    return {
        pollInitialMs: 1,
        uncertainGraceMs: 60,
        deployTimeoutUnitMs: 50,
        rolloutCallIntervalMs: 5000,
        rolloutPollMinMs: 5000,
        rolloutClock: fakeSwarmClock(srv),
    };
}

/** A config object as the engine passes to `configure()`. */
export function configWith(values: Record<string, string>): {
    get(key: string): string | undefined;
    require(key: string): string;
} {
    return {
        get: (key) => values[key],
        require: (key) => {
            const v = values[key];
            if (v === undefined) throw new Error(`Missing required configuration key: ${key}`);
            return v;
        },
    };
}

/** A configured provider with fast timings. */
export async function fastProvider(
    apiKey: string,
    tuning: Partial<ProviderTuning> = {},
): Promise<Required<Pick<dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">>> {
    const p = createDokployProvider({ ...FAST_TUNING, ...tuning });
    await p.configure?.({ config: configWith({ "nextstack:dokployApiToken": apiKey }) });
    const need = <K extends keyof dynamic.ResourceProvider>(k: K): NonNullable<dynamic.ResourceProvider[K]> => {
        const f = p[k];
        if (!f) throw new Error(`provider has no ${String(k)}`);
        return f as NonNullable<dynamic.ResourceProvider[K]>;
    };
    return {
        check: need("check"),
        diff: need("diff"),
        create: need("create"),
        read: need("read"),
        update: need("update"),
        delete: need("delete"),
    };
}

/** Raw resource args, as the engine hands them to `check`. */
export function appArgs(serverUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        serverUrl,
        projectName: "nextstack",
        environmentName: "qa",
        name: "Web",
        dockerImage: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/nextstack/web:1.0.0",
        env: { DATABASE_URL: "postgres://db/app", NODE_ENV: "production" },
        domain: { host: "qa.example.com" },
        ...over,
    };
}
