/**
 * An in-memory PromotionEngine: stacks, config and outputs in maps, every call logged.
 * Tests script it (which stacks exist, what a preview shows, when `up` fails or blocks) and the
 * deployed app is whatever `appFor` says, usually a loopback server from test/support/loopback.ts.
 * With a MemorySwarm, `up` starts a simulated Swarm rollout and, like the DokployApplication
 * provider, waits for it: it succeeds when Swarm completed and fails with the provider's
 * partial-state error when Swarm rolled back or the deadline passed (set `upWaitsForRollout`
 * false for the older provider that returned at Dokploy's `done`).
 */
import { EnvironmentName } from "../../components/config";
import {
    PreviewResult,
    PromotionEngine,
    ResourceChange,
    RunOptions,
    StackOutputs,
    UpResult,
} from "../../automation/engine";
import { CliMissingError, StackLockedError } from "../../automation/errors";
import { RolloutWatch } from "../../automation/rollout";
import { RolloutResult } from "../../components/dokploy/rollout/types";
import { rolloutFailureMessage } from "../../components/dokploy/rolloutStep";
import { MemorySwarm, UNHEALTHY_REASON as UNHEALTHY } from "./memoryRollout";

export interface MemoryEngineOptions {
    /** The CLI version, or the error cliVersion() throws. */
    cli?: string | Error;
    stacks?: EnvironmentName[];
    /** Outputs after an update of `env` to `version`. */
    appFor?: (env: EnvironmentName, version: string) => StackOutputs;
    swarm?: MemorySwarm;
}

export class MemoryEngine implements PromotionEngine {
    readonly calls: string[] = [];
    cli: string | Error;
    readonly stacks: Set<EnvironmentName>;
    readonly config = new Map<EnvironmentName, Map<string, string>>();
    readonly deployed = new Map<EnvironmentName, StackOutputs>();
    /** The imageDigest each deployed app was pinned to: a new digest changes the app as a new tag does. */
    private readonly deployedDigest = new Map<EnvironmentName, string | undefined>();
    /** Extra preview steps per environment (replacements, deletions…). */
    readonly previewChanges = new Map<EnvironmentName, ResourceChange[]>();
    /** Makes `up` of this environment throw (once), after it started. */
    failNextUp?: { env: EnvironmentName; error: Error };
    /** Runs at the start of every `up` (tests inspect records here, or block until aborted). */
    onUp?: (env: EnvironmentName, version: string, opts: RunOptions) => Promise<void> | void;
    locked = new Set<EnvironmentName>();
    appFor: (env: EnvironmentName, version: string) => StackOutputs;
    /** Time spent inside engine calls, so the bench can subtract it. */
    engineMs = 0;
    readonly swarm?: MemorySwarm;
    /** Like the provider since issue 8: `up` ends when Swarm's rollout ends. */
    upWaitsForRollout = true;

    constructor(o: MemoryEngineOptions = {}) {
        this.cli = o.cli ?? "3.276.0";
        this.stacks = new Set(o.stacks ?? ["dev", "qa", "prod"]);
        this.appFor =
            o.appFor ?? ((env, version) => ({ environment: env, imageTag: version, deploymentStatus: "done" }));
        for (const env of this.stacks) this.config.set(env, new Map([["imageTag", "latest"]]));
        this.swarm = o.swarm;
    }

    /** The memory RolloutWatch that reports the simulated rollouts (no swarm: none to watch). */
    get rollout(): RolloutWatch | undefined {
        return this.swarm?.watch;
    }

    private async timed<T>(call: string, run: () => Promise<T> | T): Promise<T> {
        this.calls.push(call);
        const started = performance.now();
        try {
            return await run();
        } finally {
            this.engineMs += performance.now() - started;
        }
    }

    /** The app as deployed is the app as configured: same tag and same pinned digest (imageRef.ts). */
    private unchanged(env: EnvironmentName): boolean {
        const digest = this.config.get(env)?.get("imageDigest");
        return this.deployed.get(env)?.imageTag === this.version(env) && this.deployedDigest.get(env) === digest;
    }

    private version(env: EnvironmentName): string {
        return this.config.get(env)?.get("imageTag") ?? "latest";
    }

    cliVersion(): Promise<string> {
        return this.timed("cliVersion", () => {
            if (this.cli instanceof Error) throw this.cli;
            return this.cli;
        });
    }

    stackExists(env: EnvironmentName): Promise<boolean> {
        return this.timed(`stackExists ${env}`, () => this.stacks.has(env));
    }

    preview(env: EnvironmentName): Promise<PreviewResult> {
        return this.timed(`preview ${env} ${this.version(env)}`, () => {
            const changes: ResourceChange[] = [
                ...(this.unchanged(env)
                    ? []
                    : [
                          {
                              urn: `urn:pulumi:${env}::nextstack::nextstack:dokploy:Application::app`,
                              // The engine's token for DokployApplication (@pulumi/pulumi dynamic/index.js).
                              type: "pulumi-nodejs:dynamic/dokploy:Application",
                              op: "update" as const,
                          },
                      ]),
                ...(this.previewChanges.get(env) ?? []),
            ];
            const changeSummary: Record<string, number> = { same: 20 };
            for (const c of changes) changeSummary[c.op] = (changeSummary[c.op] ?? 0) + 1;
            return { changeSummary, changes };
        });
    }

    up(env: EnvironmentName, opts: RunOptions): Promise<UpResult> {
        const version = this.version(env);
        return this.timed(`up ${env} ${version}`, async () => {
            if (this.locked.has(env)) throw new StackLockedError(env);
            await this.onUp?.(env, version, opts);
            if (opts.signal?.aborted) throw new Error("update cancelled (SIGINT)");
            if (this.failNextUp?.env === env) {
                const { error } = this.failNextUp;
                this.failNextUp = undefined;
                throw error;
            }
            opts.onOutput?.(`Updating (${env})\n    ~ app update [imageTag: ${version}]\n`);
            const outputs = this.appFor(env, version);
            // Like the provider: no change to the app, no deploy, no rollout.
            const changed = !this.unchanged(env);
            this.deployedDigest.set(env, this.config.get(env)?.get("imageDigest"));
            if (this.swarm && changed) {
                const rollout = this.swarm.start(env, version);
                if (this.upWaitsForRollout) {
                    const ended = await rollout.settled(opts.signal).catch(() => "aborted");
                    if (ended === "aborted") throw new Error("update cancelled (SIGINT)");
                    if (rollout.outcome !== "completed") {
                        // The provider's own error (components/dokploy/rolloutStep.ts); it has set Dokploy's
                        // stored image back to what runs, so state keeps the old outputs.
                        const result: RolloutResult = {
                            outcome: rollout.outcome ?? "deadline",
                            servingImage: this.swarm.servingImage(env),
                            reason: rollout.outcome === "rolled_back" ? UNHEALTHY : undefined,
                            events: rollout.events,
                            deadlineMs: this.swarm.deadlineMs,
                            deadlineText: "simulated",
                            calls: 0,
                            startedAt: rollout.startedAt,
                            endedAt: Date.now(),
                        };
                        throw new Error(
                            rolloutFailureMessage(String(outputs.dokployAppName ?? env), result, ["image"]),
                        );
                    }
                }
            }
            this.deployed.set(env, outputs);
            return { outputs };
        });
    }

    outputs(env: EnvironmentName): Promise<StackOutputs> {
        return this.timed(`outputs ${env}`, () => this.deployed.get(env) ?? {});
    }

    getConfig(env: EnvironmentName, key: string): Promise<string | undefined> {
        return this.timed(`getConfig ${env} ${key}`, () => this.config.get(env)?.get(key));
    }

    setConfig(env: EnvironmentName, key: string, value: string): Promise<void> {
        return this.timed(`setConfig ${env} ${key}=${value}`, () => {
            if (!this.config.has(env)) this.config.set(env, new Map());
            this.config.get(env)?.set(key, value);
        });
    }

    cancel(env: EnvironmentName): Promise<void> {
        return this.timed(`cancel ${env}`, () => {
            this.locked.delete(env);
        });
    }

    /** The calls that changed something (setConfig, up), for order assertions. */
    get writes(): string[] {
        return this.calls.filter((c) => c.startsWith("up ") || c.startsWith("setConfig "));
    }
}

export const NO_CLI = () => new CliMissingError("spawn pulumi ENOENT");
