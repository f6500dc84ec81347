/**
 * The real RolloutWatch: reads the stack's Dokploy URL and API key from its config (the same
 * keys the provider uses: nextstack:dokployUrl, nextstack:dokployApiToken, else the token
 * environment variables of components/dokploy/token.ts), takes the app's Swarm settings from
 * what Dokploy stores for it (application.one), and follows the rollout with the watcher of
 * components/dokploy/rollout through Dokploy's API only (docker.getContainersByAppNameMatch,
 * docker.getConfig, swarm.getNodeApps; real-rollout-log §4). An API key is all it needs, so it
 * works on a laptop and in CI alike; watch.ts says why the API and not SSH.
 */
import { EnvironmentName } from "../components/config";
import { createDokployClient, DokployClient } from "../components/dokploy/client";
import {
    baselineContainers,
    RolloutClient,
    settingsFromApplication,
    watchRollout,
    WatchOptions,
} from "../components/dokploy/rollout";
import { RolloutResult } from "../components/dokploy/rollout/types";
import { PromotionEngine } from "./engine";
import { PromotionError } from "./errors";
import { RolloutWatch } from "./rollout";

const TOKEN_VARIABLES = ["DOKPLOY_API_TOKEN", "DOKPLOY_API_KEY", "DOKPLOY_TOKEN"];

/** The watcher and the baseline reader, injectable (tests; pacing of a faster fake clock). */
export interface WatchDeps {
    readonly watch: (client: RolloutClient, o: WatchOptions) => Promise<RolloutResult>;
    readonly baseline: (client: RolloutClient, appName: string) => Promise<readonly string[]>;
    /** Extra watcher options (poll pacing, clock) merged into every watch. */
    readonly tuning?: Partial<Pick<WatchOptions, "callIntervalMs" | "pollMinMs" | "completionMarginMs">>;
}

const REAL: WatchDeps = { watch: watchRollout, baseline: baselineContainers };

async function connect(engine: PromotionEngine, env: EnvironmentName): Promise<DokployClient> {
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
    return createDokployClient({ baseUrl: base, apiKey, timeoutMs: 10_000 });
}

export function dokployRolloutWatch(engine: PromotionEngine, deps: WatchDeps = REAL): RolloutWatch {
    const clients = new Map<EnvironmentName, Promise<DokployClient>>();
    const client = (env: EnvironmentName) => {
        let c = clients.get(env);
        if (!c) {
            c = connect(engine, env);
            c.catch(() => clients.delete(env));
            clients.set(env, c);
        }
        return c;
    };
    return {
        async baseline(env, appName, o) {
            const c = await client(env);
            if (!o?.stoppedOnly) return deps.baseline(c, appName);
            const running = new Set(
                (await c.containersByAppNameMatch(appName))
                    .filter((r) => r.state === "running")
                    .map((r) => r.containerId),
            );
            return (await deps.baseline(c, appName)).filter((id) => !running.has(id));
        },
        async watch(env, r) {
            const c = await client(env);
            // Without the stored settings the guide's defaults would be a guess: say so instead.
            const row = r.applicationId ? await c.applicationOne(r.applicationId) : undefined;
            if (!row)
                throw new PromotionError(
                    `${env}: the stack exports no dokployApplicationId, so the app's Swarm settings (and the rollout's deadline) are unknown`,
                );
            return deps.watch(c, {
                appName: r.appName,
                expectedImage: r.expectedImage,
                baselineContainerIds: r.baseline ?? [],
                settings: settingsFromApplication(row),
                firstDeploy: r.firstDeploy ?? false,
                startedAt: r.since,
                signal: r.signal,
                onEvent: r.onEvent,
                ...deps.tuning,
            });
        },
    };
}
