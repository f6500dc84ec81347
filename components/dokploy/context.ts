/**
 * Per-call context of the provider: tunables, and the client for a server built from the token
 * found at call time (token.ts). Clients are cached per provider process, so
 * `settings.getDokployVersion` is read once per server and key, not once per operation.
 */
import { DokployClient, createDokployClient } from "./client";
import { DeployWaitOptions } from "./deploy";
import { resolveToken } from "./token";

/** Timing knobs. Plain numbers: they are captured into the serialized provider text. */
export interface ProviderTuning {
    /** Per-request timeout (ms). */
    readonly httpTimeoutMs: number;
    /** Attempts for retryable requests. */
    readonly maxAttempts: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    /** Deployment polling: first delay, growing ×1.5 to the max (ms). */
    readonly pollInitialMs: number;
    readonly pollMaxMs: number;
    /** After an uncertain deploy call, how long to look for its row before deploying again (ms). */
    readonly uncertainGraceMs: number;
    /**
     * Real ms per second of `deployTimeoutSeconds`: 1000. Tests shrink it so a deployment
     * deadline passes in milliseconds; messages still name the seconds the user set.
     */
    readonly deployTimeoutUnitMs: number;
    /**
     * Rollout watch (rollout/watch.ts): average spacing of its API calls and least time between
     * polls, in the server's milliseconds.
     */
    readonly rolloutCallIntervalMs: number;
    readonly rolloutPollMinMs: number;
    /**
     * Real ms per server ms of the Swarm being watched: 1 for a real server; tests against the
     * fake Dokploy's simulated swarm (which runs faster) pass its timeScale.
     */
    readonly rolloutTimeScale: number;
    /**
     * In-process tests only: the watched Swarm's clock itself (the fake Dokploy's manual clock,
     * whose sleep advances simulated time), replacing rolloutTimeScale. Never set in real use.
     */
    readonly rolloutClock?: RolloutClock;
}

/** now() in the server's epoch ms; sleep(ms) of the server's time. */
export interface RolloutClock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const DEFAULT_TUNING: ProviderTuning = {
    httpTimeoutMs: 30000,
    maxAttempts: 4,
    backoffBaseMs: 500,
    backoffMaxMs: 8000,
    pollInitialMs: 250,
    pollMaxMs: 2000,
    uncertainGraceMs: 20000,
    deployTimeoutUnitMs: 1000,
    rolloutCallIntervalMs: 1000,
    rolloutPollMinMs: 1000,
    rolloutTimeScale: 1,
};

const CACHE_SLOT = "__nextstackDokployClients";

/** The client for `serverUrl` with the current token (cached per process). */
export function clientFor(serverUrl: string, tuning: ProviderTuning): DokployClient {
    const apiKey = resolveToken();
    const g = globalThis as unknown as Record<string, Map<string, DokployClient> | undefined>;
    const cache = g[CACHE_SLOT] ?? new Map<string, DokployClient>();
    g[CACHE_SLOT] = cache;
    // In-memory only; a rotated key simply gets a new client.
    const cacheKey = `${serverUrl}\n${apiKey}\n${JSON.stringify({ ...tuning, rolloutClock: undefined })}`;
    let client = cache.get(cacheKey);
    if (!client) {
        const debug = process.env.DOKPLOY_PROVIDER_DEBUG === "1";
        client = createDokployClient({
            baseUrl: serverUrl,
            apiKey,
            timeoutMs: tuning.httpTimeoutMs,
            maxAttempts: tuning.maxAttempts,
            backoffBaseMs: tuning.backoffBaseMs,
            backoffMaxMs: tuning.backoffMaxMs,
            log: debug ? (line: string) => console.error(`[dokploy] ${line}`) : undefined,
        });
        cache.set(cacheKey, client);
    }
    return client;
}

export function deployOptions(timeoutSeconds: number, tuning: ProviderTuning): DeployWaitOptions {
    const timeoutMs = timeoutSeconds * tuning.deployTimeoutUnitMs;
    return {
        timeoutMs,
        timeoutSeconds,
        pollInitialMs: tuning.pollInitialMs,
        pollMaxMs: tuning.pollMaxMs,
        uncertainGraceMs: Math.min(tuning.uncertainGraceMs, timeoutMs),
    };
}
