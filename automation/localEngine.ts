/**
 * PromotionEngine on the Automation API: one LocalWorkspace per environment on this project's
 * directory, driving the Pulumi CLI. Pulumi's errors become PromotionErrors here (missing CLI,
 * locked stack, missing stack) so nothing above this file needs to know the Automation API.
 *
 * Three things the Automation API does not do by itself, done here:
 * - Each environment's CLI runs with that environment's AWS profile only (engineEnvFor): the
 *   CLI inherits our environment, so the shell's AWS_PROFILE or keys would otherwise reach it.
 * - The user's selected stack stays as it was: `Stack.select` runs `pulumi stack select`, which
 *   persists the selection, while every Stack command passes `--stack <name>` anyway
 *   (@pulumi/pulumi 3.276.0 automation/stack.js runPulumiCmd). So selection is skipped.
 * - Ctrl-C reaches the CLI once: see `terminalDeliversSigint`.
 */
import {
    CommandError,
    ConcurrentUpdateError,
    EngineEvent,
    ConfigMap,
    LocalWorkspace,
    PulumiCommand,
    Stack,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { EnvironmentName, PROJECT } from "../components/config";
import { engineEnvFor } from "./aws/engineEnv";
import { stackAwsAccess } from "./aws/stackAccess";
import { ChangeOp, PreviewResult, PromotionEngine, ResourceChange, RunOptions, StackOutputs, UpResult } from "./engine";
import { CliMissingError, PromotionError, StackLockedError, StackMissingError } from "./errors";

/** Variables for one environment's CLI: a string sets, undefined removes an inherited one. */
export type EngineEnv = Readonly<Record<string, string | undefined>>;

export interface LocalEngineOptions {
    readonly projectDir: string;
    /** Folder holding bin/pulumi; default: `pulumi` on PATH. */
    readonly pulumiRoot?: string;
    /** Extra environment for the CLI (PULUMI_CONFIG_PASSPHRASE, PULUMI_BACKEND_URL…); the process env is inherited. */
    readonly envVars?: Readonly<Record<string, string>>;
    /** One environment's AWS variables; default: from its stack file's aws:profile (engineEnvFor). */
    readonly envFor?: (env: EnvironmentName) => Promise<EngineEnv>;
    /**
     * True when a Ctrl-C comes from the terminal: the kernel delivers it to the whole foreground
     * process group, the CLI included, so forwarding our abort as another SIGINT would be the
     * CLI's second one, on which it terminates instead of cancelling cleanly. Default: stdin is a TTY.
     */
    readonly terminalDeliversSigint?: boolean;
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
    private readonly workspaces = new Map<EnvironmentName, Promise<LocalWorkspace>>();
    private readonly stacks = new Map<EnvironmentName, Promise<Stack>>();
    /** Each stack's config, read once: every read is a CLI run that decrypts the stack's secrets. */
    private readonly configs = new Map<EnvironmentName, Promise<ConfigMap>>();
    private readonly terminalDeliversSigint: boolean;

    constructor(private readonly opts: LocalEngineOptions) {
        this.terminalDeliversSigint = opts.terminalDeliversSigint ?? process.stdin.isTTY === true;
    }

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

    private async envOf(env: EnvironmentName): Promise<EngineEnv> {
        if (this.opts.envFor) return this.opts.envFor(env);
        return engineEnvFor(await stackAwsAccess(this.opts.projectDir, env));
    }

    /** One workspace per environment: the workspace's envVars reach every CLI call of its stack. */
    private ws(env: EnvironmentName): Promise<LocalWorkspace> {
        let w = this.workspaces.get(env);
        if (!w) {
            w = Promise.all([this.pulumi(), this.envOf(env)]).then(([pulumiCommand, awsEnv]) =>
                this.guard(env, async () => {
                    const ws = await LocalWorkspace.create({
                        workDir: this.opts.projectDir,
                        pulumiCommand,
                        // An undefined value removes the inherited variable: the SDK spreads envVars over
                        // process.env (automation/cmd.js) and Node's spawn skips undefined entries.
                        envVars: { ...this.opts.envVars, ...awsEnv } as Record<string, string>,
                    });
                    // `pulumi stack select` would persist; every stack command passes --stack, and a
                    // missing stack still fails its first command with StackNotFoundError.
                    ws.selectStack = async () => undefined;
                    return ws;
                }),
            );
            w.catch(() => this.workspaces.delete(env));
            this.workspaces.set(env, w);
        }
        return w;
    }

    private stack(env: EnvironmentName): Promise<Stack> {
        let s = this.stacks.get(env);
        if (!s) {
            s = this.ws(env).then((ws) => this.guard(env, () => Stack.select(env, ws)));
            // A failed select must not be cached: the user may create the stack and retry.
            s.catch(() => this.stacks.delete(env));
            this.stacks.set(env, s);
        }
        return s;
    }

    /** The signal the CLI gets: none when the terminal already delivers Ctrl-C to it. */
    private cliSignal(signal?: AbortSignal): AbortSignal | undefined {
        return this.terminalDeliversSigint ? undefined : signal;
    }

    async cliVersion(): Promise<string> {
        return (await this.pulumi()).version?.version ?? "0.0.0";
    }

    async stackExists(env: EnvironmentName): Promise<boolean> {
        const ws = await this.ws(env);
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
            stack.preview({ diff: true, onEvent, onOutput: opts.onOutput, signal: this.cliSignal(opts.signal) }),
        );
        return { changeSummary: { ...r.changeSummary }, changes };
    }

    async up(env: EnvironmentName, opts: RunOptions): Promise<UpResult> {
        const stack = await this.stack(env);
        const r = await this.guard(env, () =>
            stack.up({ onOutput: opts.onOutput, signal: this.cliSignal(opts.signal), message: "npm run promote" }),
        );
        return { outputs: unwrap(r.outputs) };
    }

    async outputs(env: EnvironmentName): Promise<StackOutputs> {
        const stack = await this.stack(env);
        return unwrap(await this.guard(env, () => stack.outputs()));
    }

    private config(env: EnvironmentName): Promise<ConfigMap> {
        let c = this.configs.get(env);
        if (!c) {
            c = this.stack(env).then((stack) => this.guard(env, () => stack.getAllConfig()));
            c.catch(() => this.configs.delete(env));
            this.configs.set(env, c);
        }
        return c;
    }

    async getConfig(env: EnvironmentName, key: string): Promise<string | undefined> {
        return (await this.config(env))[`${PROJECT}:${key}`]?.value;
    }

    async setConfig(env: EnvironmentName, key: string, value: string): Promise<void> {
        const stack = await this.stack(env);
        const fullKey = `${PROJECT}:${key}`;
        try {
            await this.guard(env, () => stack.setConfig(fullKey, { value }));
        } catch (err) {
            // The file may or may not have changed: read it again next time.
            this.configs.delete(env);
            throw err;
        }
        // The CLI stored exactly this plain value (`config set --plaintext`); keep the read in step.
        const cached = this.configs.get(env);
        if (cached)
            this.configs.set(
                env,
                cached.then((all) => ({ ...all, [fullKey]: { value, secret: false } })),
            );
    }

    async cancel(env: EnvironmentName): Promise<void> {
        const stack = await this.stack(env);
        await this.guard(env, () => stack.cancel());
    }
}
