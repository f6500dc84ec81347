/**
 * A PromotionEngine whose `up` is the DokployApplication provider itself (check, then create or
 * diff + update), talking to a Dokploy server (in test/engine the fake Dokploy driving the real
 * Docker engine): what `pulumi up` does for the app resource, without the Pulumi CLI, which this
 * machine does not have. Outputs carry the names index.ts exports (dokployAppName,
 * dokployApplicationId, ecrRepositoryUrl, appUrl, healthUrl, deploymentStatus, deploymentId).
 * Config holds imageTag plus dokployUrl/dokployApiToken, which the real RolloutWatch reads.
 */
import { EnvironmentName } from "../../components/config";
import { PreviewResult, PromotionEngine, RunOptions, StackOutputs, UpResult } from "../../automation/engine";
import { fastProvider } from "./dokployProviderHarness";

type Provider = Awaited<ReturnType<typeof fastProvider>>;

export interface DokployStackOptions {
    readonly serverUrl: string;
    readonly apiKey: string;
    /** Image repository; a version is deployed as `<repository>:<version>`. */
    readonly repository: string;
    readonly stacks: readonly EnvironmentName[];
    /** The resource's args for `env` (health/update settings, replicas…) without dockerImage. */
    readonly args: (env: EnvironmentName) => Record<string, unknown>;
    /** The app's URL once its service exists (a proxy in front of `tasks.<appName>`). */
    readonly urlFor: (env: EnvironmentName, appName: string) => Promise<string>;
}

interface Resource {
    readonly id: string;
    outs: Record<string, unknown>;
}

export class DokployStackEngine implements PromotionEngine {
    readonly calls: string[] = [];
    readonly config = new Map<EnvironmentName, Map<string, string>>();
    private readonly resources = new Map<EnvironmentName, Resource>();
    private readonly outputsOf = new Map<EnvironmentName, StackOutputs>();
    private provider?: Promise<Provider>;

    constructor(private readonly o: DokployStackOptions) {
        for (const env of o.stacks)
            this.config.set(
                env,
                new Map([
                    ["dokployUrl", o.serverUrl],
                    ["dokployApiToken", o.apiKey],
                ]),
            );
    }

    private p(): Promise<Provider> {
        this.provider ??= fastProvider(this.o.apiKey, { httpTimeoutMs: 10_000 });
        return this.provider;
    }

    private image(env: EnvironmentName): string {
        return `${this.o.repository}:${this.config.get(env)?.get("imageTag") ?? "latest"}`;
    }

    async cliVersion(): Promise<string> {
        return "3.276.0";
    }

    async stackExists(env: EnvironmentName): Promise<boolean> {
        return this.o.stacks.includes(env);
    }

    async preview(env: EnvironmentName): Promise<PreviewResult> {
        this.calls.push(`preview ${env}`);
        const same = this.resources.get(env)?.outs.dockerImage === this.image(env);
        const changes = same
            ? []
            : [
                  {
                      urn: `urn:pulumi:${env}::nextstack::app`,
                      // What the engine calls DokployApplication: @pulumi/pulumi dynamic/index.js builds
                      // `pulumi-nodejs:dynamic/${module}:${type}` from the resource's module and type.
                      type: "pulumi-nodejs:dynamic/dokploy:Application",
                      op: "update" as const,
                  },
              ];
        return { changeSummary: same ? { same: 1 } : { update: 1 }, changes };
    }

    async up(env: EnvironmentName, opts: RunOptions): Promise<UpResult> {
        this.calls.push(`up ${env} ${this.image(env)}`);
        const p = await this.p();
        const existing = this.resources.get(env);
        const checked = await p.check(existing?.outs ?? {}, { ...this.o.args(env), dockerImage: this.image(env) });
        if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        const inputs = checked.inputs as Record<string, unknown>;
        if (!existing) {
            const { id, outs } = await p.create(inputs);
            this.resources.set(env, { id, outs: outs as Record<string, unknown> });
        } else {
            const d = await p.diff(existing.id, existing.outs, inputs);
            if (d.changes !== false) {
                const r = await p.update(existing.id, existing.outs, inputs);
                existing.outs = r.outs as Record<string, unknown>;
            }
        }
        if (opts.signal?.aborted) throw new Error("update cancelled (SIGINT)");
        const outs = this.resources.get(env)?.outs ?? {};
        const appName = String(outs.appName);
        const url = await this.o.urlFor(env, appName);
        const outputs: StackOutputs = {
            environment: env,
            imageTag: this.config.get(env)?.get("imageTag"),
            image: outs.dockerImage,
            ecrRepositoryUrl: this.o.repository,
            dokployAppName: appName,
            dokployApplicationId: outs.applicationId,
            appUrl: url,
            healthUrl: `${url}/api/health`,
            deploymentStatus: outs.lastDeploymentStatus ?? undefined,
            deploymentId: outs.lastDeploymentId ?? undefined,
        };
        this.outputsOf.set(env, outputs);
        return { outputs };
    }

    async outputs(env: EnvironmentName): Promise<StackOutputs> {
        return this.outputsOf.get(env) ?? {};
    }

    async getConfig(env: EnvironmentName, key: string): Promise<string | undefined> {
        return this.config.get(env)?.get(key);
    }

    async setConfig(env: EnvironmentName, key: string, value: string): Promise<void> {
        this.calls.push(`setConfig ${env} ${key}=${value}`);
        this.config.get(env)?.set(key, value);
    }

    async cancel(): Promise<void> {}

    /** The apps this engine created, for cleanup. */
    get appNames(): string[] {
        return [...this.resources.values()].map((r) => String(r.outs.appName));
    }

    async destroy(): Promise<void> {
        const p = await this.p();
        for (const r of this.resources.values()) await p.delete(r.id, r.outs).catch(() => undefined);
        this.resources.clear();
    }
}
