/**
 * DokployApplication: one Dokploy application running a Docker image, with its environment
 * variables, swarm health check / update / rollback settings, an HTTPS domain, and a deploy
 * that is awaited. Token `pulumi-nodejs:dynamic/dokploy:Application`.
 *
 * The API token is not an argument: the provider reads stack config `nextstack:dokployApiToken`
 * (set with `pulumi config set --secret dokployApiToken <key> -s <stack>`) or DOKPLOY_API_TOKEN.
 */
import * as pulumi from "@pulumi/pulumi";
import { dokployProvider } from "./provider";
import { DOKPLOY_APPLICATION_KIND, DOKPLOY_APPLICATION_MODULE } from "./rollout/types";

/** Container health check; defaults follow the guide (curl /api/health on port 3000). */
export interface HealthCheckArgs {
    /** Path probed with `curl -f http://localhost:<port><path>` (default `/api/health`). */
    readonly path?: pulumi.Input<string>;
    /** Container port probed (default: the domain's port, else 3000). */
    readonly port?: pulumi.Input<number>;
    /** A whole CMD-SHELL command instead of the curl probe. */
    readonly command?: pulumi.Input<string>;
    /** Seconds between probes (default 30). */
    readonly intervalSeconds?: pulumi.Input<number>;
    /** Seconds before a probe counts as failed (default 10). */
    readonly timeoutSeconds?: pulumi.Input<number>;
    /** Seconds of grace after start (default 40). */
    readonly startPeriodSeconds?: pulumi.Input<number>;
    /** Failed probes before the task is unhealthy (default 3). */
    readonly retries?: pulumi.Input<number>;
    /** Turn the health check off (Docker `NONE`). */
    readonly disabled?: pulumi.Input<boolean>;
}

/** Docker swarm update or rollback settings (durations in seconds). */
export interface UpdateConfigArgs {
    /** Tasks changed at once (update default 1, rollback default 1). */
    readonly parallelism?: pulumi.Input<number>;
    /** Seconds between batches (update 10, rollback 5). */
    readonly delaySeconds?: pulumi.Input<number>;
    /** What to do when a batch fails (update "rollback", rollback "pause"). */
    readonly failureAction?: pulumi.Input<"continue" | "pause" | "rollback">;
    /** "start-first" for zero downtime (update default) or "stop-first" (rollback default). */
    readonly order?: pulumi.Input<"start-first" | "stop-first">;
    /** Seconds each task is watched for failure (update 60, rollback 10). */
    readonly monitorSeconds?: pulumi.Input<number>;
    /** Tolerated failure ratio 0–1 (update 0, rollback 0.3). */
    readonly maxFailureRatio?: pulumi.Input<number>;
}

/** The public route to the app. */
export interface DomainArgs {
    /** Host name, e.g. `qa.example.com` (no scheme). */
    readonly host: pulumi.Input<string>;
    /** Container port Traefik forwards to (default 3000). */
    readonly port?: pulumi.Input<number>;
    /** Serve HTTPS with an HTTP redirect (default true). */
    readonly https?: pulumi.Input<boolean>;
    /** Certificate source (default "letsencrypt"). */
    readonly certificateType?: pulumi.Input<"letsencrypt" | "none">;
    /** Path prefix (default "/"). */
    readonly path?: pulumi.Input<string>;
}

export interface DokployApplicationArgs {
    /** Dokploy base URL, e.g. `https://dokploy.example.com`. Changing it replaces the app. */
    readonly serverUrl: pulumi.Input<string>;
    /** Project name; found by name or created. Changing it replaces the app. */
    readonly projectName: pulumi.Input<string>;
    /** The stage's environment; found or created; "production" is the project's default one. Changing it replaces the app. */
    readonly environmentName: pulumi.Input<string>;
    /** Display name of the application. */
    readonly name: pulumi.Input<string>;
    /** appName prefix (swarm service name; Dokploy adds `-xxxxxx`). Default: derived from `name`. Changing it replaces the app. */
    readonly appName?: pulumi.Input<string>;
    /** Free-text description. */
    readonly description?: pulumi.Input<string>;
    /** Image reference `registry/repo[:tag|@sha256:…]`, lower-case repository. */
    readonly dockerImage: pulumi.Input<string>;
    /** Environment variables (map or dotenv text); stored as a secret. */
    readonly env?: pulumi.Input<Record<string, pulumi.Input<string>> | string>;
    /** Number of replicas (default 1). */
    readonly replicas?: pulumi.Input<number>;
    /** Container health check (defaults from the guide). */
    readonly healthCheck?: pulumi.Input<HealthCheckArgs>;
    /** Rolling update settings (default start-first, rollback on failure). */
    readonly updateConfig?: pulumi.Input<UpdateConfigArgs>;
    /** Rollback settings (default stop-first, pause on failure, ratio 0.3). */
    readonly rollbackConfig?: pulumi.Input<UpdateConfigArgs>;
    /** Public domain; omitted means none. */
    readonly domain?: pulumi.Input<DomainArgs>;
    /** "onChange" (default): deploy and wait on create and on changes that need it; "never": only configure. */
    readonly deployPolicy?: pulumi.Input<"onChange" | "never">;
    /**
     * Deploy (default true). false: create/update the application fully configured (image, env,
     * health and swarm settings, domain) but start no deployment; output `deployed` then says
     * whether what is configured has been deployed. Same as deployPolicy "never".
     */
    readonly deploy?: pulumi.Input<boolean>;
    /** How long to wait for a deployment to finish (default 600). */
    readonly deployTimeoutSeconds?: pulumi.Input<number>;
}

/** Outputs that may hold secrets: listed so they are encrypted in state. */
export const DOKPLOY_SECRET_OUTPUTS = ["env"];

/** The props passed to the dynamic resource: args (env as a secret) plus outputs seeded undefined. */
export function applicationProps(args: DokployApplicationArgs): Record<string, unknown> {
    return {
        ...args,
        env: args.env === undefined ? undefined : pulumi.secret(args.env),
        // Seeded even when not given: the output appName (with Dokploy's suffix) is always set.
        appName: args.appName,
        applicationId: undefined,
        projectId: undefined,
        environmentId: undefined,
        domainId: undefined,
        url: undefined,
        lastDeploymentId: undefined,
        lastDeploymentStatus: undefined,
        deployed: undefined,
        runningImage: undefined,
        rolloutStatus: undefined,
        lastRollout: undefined,
    };
}

/** The resource options: the caller's, plus the secret outputs. */
export function applicationOptions(opts?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    const extra = [...(opts?.additionalSecretOutputs ?? []), ...DOKPLOY_SECRET_OUTPUTS];
    return pulumi.mergeOptions(opts, { additionalSecretOutputs: extra });
}

export class DokployApplication extends pulumi.dynamic.Resource {
    /** Dokploy's id of the application (also the resource id). */
    declare readonly applicationId: pulumi.Output<string>;
    /** The server's appName (prefix + random suffix): the swarm service name. */
    declare readonly appName: pulumi.Output<string>;
    declare readonly projectId: pulumi.Output<string>;
    declare readonly environmentId: pulumi.Output<string>;
    /** Id of the managed domain, if any. */
    declare readonly domainId: pulumi.Output<string | undefined>;
    /** Public URL, e.g. `https://qa.example.com`. */
    declare readonly url: pulumi.Output<string | undefined>;
    declare readonly lastDeploymentId: pulumi.Output<string | undefined>;
    /** `done`, `error`, `cancelled` or `running`; undefined before the first deployment. */
    declare readonly lastDeploymentStatus: pulumi.Output<string | undefined>;
    /** True when the configuration Dokploy holds (image, env, swarm settings) has been deployed. */
    declare readonly deployed: pulumi.Output<boolean>;
    /**
     * The image Swarm runs after the last rollout (watched through Dokploy's API until Swarm
     * completed or rolled it back): what runs, not what was asked for.
     */
    declare readonly runningImage: pulumi.Output<string | undefined>;
    /** "completed", "rolled_back", "paused" or "deadline"; undefined before the first watched rollout. */
    declare readonly rolloutStatus: pulumi.Output<string | undefined>;
    /** One line about the last rollout: outcome, Swarm's reason, how long it took. */
    declare readonly lastRollout: pulumi.Output<string | undefined>;

    constructor(name: string, args: DokployApplicationArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            dokployProvider,
            name,
            applicationProps(args),
            applicationOptions(opts),
            DOKPLOY_APPLICATION_MODULE,
            DOKPLOY_APPLICATION_KIND,
        );
    }
}
