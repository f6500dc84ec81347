/**
 * The real RolloutWatch: reads the stack's Dokploy URL and API key from its config (the same
 * keys the provider uses: nextstack:dokployUrl, nextstack:dokployApiToken, else the token
 * environment variables of components/dokploy/token.ts), takes the deadline from the Swarm
 * settings Dokploy stores for the application, and follows the rollout through Dokploy's API
 * with the watcher of components/dokploy/rollout (docker.getContainersByAppNameMatch, docker.getConfig,
 * swarm.getNodeApps; real-rollout-log §4). An API key is all it needs, so it works on a laptop
 * and in CI alike.
 */
import { EnvironmentName } from "../components/config";
import { createDokployClient, DokployClient } from "../components/dokploy/client";
import { RolloutResult, RolloutSettings } from "../components/dokploy/rollout/types";
import { DEFAULTS } from "../components/dokploy/spec";
import { effectiveReplicas, fromHealthCheckSwarm, fromUpdateConfigSwarm } from "../components/dokploy/swarm";
import { PromotionEngine } from "./engine";
import { PromotionError } from "./errors";
import { RolloutWatch, WatchRequest } from "./rollout";

const TOKEN_VARIABLES = ["DOKPLOY_API_TOKEN", "DOKPLOY_API_KEY", "DOKPLOY_TOKEN"];

/** What the watcher needs from a connection to one Dokploy server. */
export interface DokployConnection {
    readonly baseUrl: string;
    readonly apiKey: string;
    readonly client: DokployClient;
}

/** The watcher of components/dokploy/rollout, injected so this file holds only the plumbing. */
export type WatchRolloutFn = (
    connection: DokployConnection,
    o: {
        readonly appName: string;
        readonly expectedImage: string;
        readonly baselineContainerIds?: readonly string[];
        readonly settings: RolloutSettings;
        readonly signal?: AbortSignal;
        readonly onEvent?: WatchRequest["onEvent"];
    },
) => Promise<RolloutResult>;

export type BaselineFn = (connection: DokployConnection, appName: string) => Promise<readonly string[]>;

const s2ms = (s: number) => Math.round(s * 1000);

/** The rollout settings of an application as Dokploy stores them; the guide's defaults where absent. */
export function rolloutSettingsOf(row: {
    replicas: number | null;
    healthCheckSwarm: unknown;
    updateConfigSwarm: unknown;
    modeSwarm?: unknown;
}): RolloutSettings {
    const h = fromHealthCheckSwarm(row.healthCheckSwarm) ?? { ...DEFAULTS.healthCheck, test: [] };
    const u = fromUpdateConfigSwarm(row.updateConfigSwarm) ?? DEFAULTS.updateConfig;
    return {
        replicas: effectiveReplicas(row.replicas, row.modeSwarm ?? null) ?? 1,
        health: {
            intervalMs: s2ms(h.intervalSeconds),
            timeoutMs: s2ms(h.timeoutSeconds),
            startPeriodMs: s2ms(h.startPeriodSeconds),
            retries: h.retries,
        },
        update: {
            parallelism: u.parallelism,
            delayMs: s2ms(u.delaySeconds),
            monitorMs: s2ms(u.monitorSeconds),
            order: u.order,
            failureAction: u.failureAction,
        },
    };
}

async function connect(engine: PromotionEngine, env: EnvironmentName): Promise<DokployConnection> {
    const baseUrl = await engine.getConfig(env, "dokployUrl");
    if (!baseUrl)
        throw new PromotionError(
            `${env} has no dokployUrl in its config, so Swarm's rollout cannot be followed.`,
            `pulumi config set dokployUrl https://<dokploy host> -s ${env}`,
        );
    const fromConfig = await engine.getConfig(env, "dokployApiToken");
    const apiKey = fromConfig ?? TOKEN_VARIABLES.map((v) => process.env[v]?.trim()).find((v) => v);
    if (!apiKey)
        throw new PromotionError(
            `${env} has no Dokploy API key (config dokployApiToken or DOKPLOY_API_TOKEN), so Swarm's rollout cannot be followed.`,
            `pulumi config set --secret dokployApiToken <key> -s ${env}`,
        );
    const base = baseUrl.replace(/\/+$/, "").replace(/\/api$/, "");
    return { baseUrl: base, apiKey, client: createDokployClient({ baseUrl: base, apiKey, timeoutMs: 10_000 }) };
}

export function dokployRolloutWatch(
    engine: PromotionEngine,
    watchRollout?: WatchRolloutFn,
    baselineOf?: BaselineFn,
): RolloutWatch {
    const connections = new Map<EnvironmentName, Promise<DokployConnection>>();
    const connection = (env: EnvironmentName) => {
        let c = connections.get(env);
        if (!c) {
            c = connect(engine, env);
            c.catch(() => connections.delete(env));
            connections.set(env, c);
        }
        return c;
    };
    return {
        async baseline(env, appName) {
            return baselineOf ? baselineOf(await connection(env), appName) : undefined;
        },
        async watch(env, r) {
            if (!watchRollout)
                throw new PromotionError("this build has no Swarm rollout watcher (components/dokploy/rollout)");
            const c = await connection(env);
            const row = r.applicationId
                ? await c.client.applicationOne(r.applicationId).catch(() => undefined)
                : undefined;
            const settings = rolloutSettingsOf(
                row ?? { replicas: null, healthCheckSwarm: null, updateConfigSwarm: null },
            );
            return watchRollout(c, {
                appName: r.appName,
                expectedImage: r.expectedImage,
                baselineContainerIds: r.baseline,
                settings,
                signal: r.signal,
                onEvent: r.onEvent,
            });
        },
    };
}
