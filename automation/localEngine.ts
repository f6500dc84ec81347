/**
 * PromotionEngine on the Automation API: a LocalWorkspace on this project's directory, driving
 * the Pulumi CLI. Pulumi's errors become PromotionErrors here (missing CLI, locked stack,
 * missing stack) so nothing above this file needs to know the Automation API.
 */
import {
    CommandError,
    ConcurrentUpdateError,
    EngineEvent,
    LocalWorkspace,
    PulumiCommand,
    Stack,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { EnvironmentName, PROJECT } from "../components/config";
import { ChangeOp, PreviewResult, PromotionEngine, ResourceChange, RunOptions, StackOutputs, UpResult } from "./engine";
import { CliMissingError, PromotionError, StackLockedError, StackMissingError } from "./errors";

export interface LocalEngineOptions {
    readonly projectDir: string;
    /** Folder holding bin/pulumi; default: `pulumi` on PATH. */
    readonly pulumiRoot?: string;
    /** Extra environment for the CLI (PULUMI_CONFIG_PASSPHRASE, PULUMI_BACKEND_URL…); the process env is inherited. */
    readonly envVars?: Readonly<Record<string, string>>;
}

/** Translates an Automation API error into one the user can act on. */
export function translate(err: unknown, env?: EnvironmentName): unknown {
    if (err instanceof ConcurrentUpdateError && env) return new StackLockedError(env);
    if (err instanceof StackNotFoundError && env) return new StackMissingError(env);
    if (err instanceof CommandError || err instanceof Error) {
        const text = err.message;
        // PULUMI.md §4: with no CLI the first call fails with code -2 and "spawn pulumi ENOENT".
        if (/ENOENT/.test(text) && (/code: -2/.test(text) || /spawn .*pulumi/.test(text))) {
            return new CliMissingError(text.match(/spawn \S+ ENOENT/)?.[0]);
        }
        if (err instanceof CommandError) {
            const errors = text
                .split("\n")
                .map((l) => l.trim())
                .filter((l) => /^error:/i.test(l));
            const first =
                errors[0] ??
                text
                    .split("\n")
                    .find((l) => /stderr: \S/.test(l))
                    ?.replace(/^\s*stderr:\s*/, "") ??
                "the Pulumi CLI failed";
            return new PromotionError(
                `${env ? `${env}: ` : ""}${first}${errors.length > 1 ? ` (+${errors.length - 1} more; rerun with --verbose)` : ""}`,
                env ? `pulumi preview --diff -s ${env}   (shows the full error)` : undefined,
            );
        }
    }
    return err;
}

const unwrap = (outputs: Record<string, { value: unknown }>): StackOutputs =>
    Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));

export class LocalEngine implements PromotionEngine {
    private command?: Promise<PulumiCommand>;
    private workspace?: Promise<LocalWorkspace>;
    private readonly stacks = new Map<EnvironmentName, Promise<Stack>>();

    constructor(private readonly opts: LocalEngineOptions) {}

    private async guard<T>(env: EnvironmentName | undefined, run: () => Promise<T>): Promise<T> {
        try {
            return await run();
        } catch (err) {
            throw translate(err, env);
        }
    }

    private pulumi(): Promise<PulumiCommand> {
        // Our own minimum is checked by readiness; skipping the SDK's check lets us say it our way.
        this.command ??= this.guard(undefined, () =>
            PulumiCommand.get({ root: this.opts.pulumiRoot, skipVersionCheck: true }),
        );
        return this.command;
    }

    private ws(): Promise<LocalWorkspace> {
        this.workspace ??= this.pulumi().then((pulumiCommand) =>
            this.guard(undefined, () =>
                LocalWorkspace.create({
                    workDir: this.opts.projectDir,
                    pulumiCommand,
                    envVars: { ...this.opts.envVars },
                }),
            ),
        );
        return this.workspace;
    }

    private stack(env: EnvironmentName): Promise<Stack> {
        let s = this.stacks.get(env);
        if (!s) {
            s = this.ws().then((ws) => this.guard(env, () => Stack.select(env, ws)));
            // A failed select must not be cached: the user may create the stack and retry.
            s.catch(() => this.stacks.delete(env));
            this.stacks.set(env, s);
        }
        return s;
    }

    async cliVersion(): Promise<string> {
        return (await this.pulumi()).version?.version ?? "0.0.0";
    }

    async stackExists(env: EnvironmentName): Promise<boolean> {
        const ws = await this.ws();
        const list = await this.guard(env, () => ws.listStacks());
        return list.some((s) => s.name === env || s.name.endsWith(`/${env}`));
    }

    async preview(env: EnvironmentName, opts: RunOptions): Promise<PreviewResult> {
        const stack = await this.stack(env);
        const changes: ResourceChange[] = [];
        const onEvent = (e: EngineEvent) => {
            const m = e.resourcePreEvent?.metadata;
            if (m && m.op !== "same") changes.push({ urn: m.urn, type: m.type, op: m.op as ChangeOp });
        };
        const r = await this.guard(env, () =>
            stack.preview({ diff: true, onEvent, onOutput: opts.onOutput, signal: opts.signal }),
        );
        return { changeSummary: { ...r.changeSummary }, changes };
    }

    async up(env: EnvironmentName, opts: RunOptions): Promise<UpResult> {
        const stack = await this.stack(env);
        const r = await this.guard(env, () =>
            stack.up({ onOutput: opts.onOutput, signal: opts.signal, message: "npm run promote" }),
        );
        return { outputs: unwrap(r.outputs) };
    }

    async outputs(env: EnvironmentName): Promise<StackOutputs> {
        const stack = await this.stack(env);
        return unwrap(await this.guard(env, () => stack.outputs()));
    }

    async getConfig(env: EnvironmentName, key: string): Promise<string | undefined> {
        const stack = await this.stack(env);
        const all = await this.guard(env, () => stack.getAllConfig());
        return all[`${PROJECT}:${key}`]?.value;
    }

    async setConfig(env: EnvironmentName, key: string, value: string): Promise<void> {
        const stack = await this.stack(env);
        await this.guard(env, () => stack.setConfig(`${PROJECT}:${key}`, { value }));
    }

    async cancel(env: EnvironmentName): Promise<void> {
        const stack = await this.stack(env);
        await this.guard(env, () => stack.cancel());
    }
}
