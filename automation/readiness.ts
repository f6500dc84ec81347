/**
 * Is an environment ready to promote to? Offline part: the committed Pulumi.<env>.yaml is
 * complete and valid (validateStackConfig), summarised per component area. Live part (needs the
 * engine): CLI present and recent enough, stack exists, previous environment verified the version.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import {
    Area,
    AREAS,
    ConfigProblem,
    ENVIRONMENTS,
    EnvironmentName,
    fromStackYaml,
    keySpec,
    StackConfig,
    validateStackConfig,
} from "../components/config";
import { PromotionEngine } from "./engine";
import { CliTooOldError, MIN_CLI_VERSION, PromotionError, StackMissingError, versionAtLeast } from "./errors";
import { RecordStore } from "./records";

/** ✅ ready, ⏳ waiting for values (only missing keys), ❌ something set is wrong. */
export type AreaState = "ready" | "waiting" | "broken";

export interface ConfigReadiness {
    readonly env: EnvironmentName;
    readonly ok: boolean;
    readonly config?: StackConfig;
    readonly problems: readonly ConfigProblem[];
    readonly areas: Readonly<Record<Area, AreaState>>;
}

/** Keys of other providers or unknown keys belong to the stack row. */
export function areaOf(key: string): Area {
    return keySpec(key)?.area ?? "stack";
}

export function summariseAreas(problems: readonly ConfigProblem[]): Record<Area, AreaState> {
    const areas = Object.fromEntries(AREAS.map((a) => [a, "ready"])) as Record<Area, AreaState>;
    for (const p of problems) {
        const area = areaOf(p.key);
        if (p.kind === "missing") {
            if (areas[area] === "ready") areas[area] = "waiting";
        } else {
            areas[area] = "broken";
        }
    }
    return areas;
}

export function stackFile(projectDir: string, env: EnvironmentName): string {
    return path.join(projectDir, `Pulumi.${env}.yaml`);
}

export async function configReadiness(projectDir: string, env: EnvironmentName): Promise<ConfigReadiness> {
    let text: string;
    try {
        text = await readFile(stackFile(projectDir, env), "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        const problems: ConfigProblem[] = [
            {
                stack: env,
                key: "(stack file)",
                kind: "missing",
                message: `Pulumi.${env}.yaml does not exist`,
                fix: `pulumi stack init ${env}`,
            },
        ];
        return { env, ok: false, problems, areas: summariseAreas(problems) };
    }
    const result = validateStackConfig(fromStackYaml(env, text));
    return result.ok
        ? { env, ok: true, config: result.config, problems: [], areas: summariseAreas([]) }
        : { env, ok: false, problems: result.problems, areas: summariseAreas(result.problems) };
}

export async function allConfigReadiness(projectDir: string): Promise<ConfigReadiness[]> {
    return Promise.all(ENVIRONMENTS.map((env) => configReadiness(projectDir, env)));
}

export function previousEnvironment(env: EnvironmentName): EnvironmentName | undefined {
    const i = ENVIRONMENTS.indexOf(env);
    return i > 0 ? ENVIRONMENTS[i - 1] : undefined;
}

/** The config problems as a PromotionError naming each key and its fix. */
export function configError(r: ConfigReadiness): PromotionError {
    const lines = r.problems.map((p) => `  - ${p.key}: ${p.message}\n      ${p.fix}`);
    return new PromotionError(
        `${r.env} is not ready: Pulumi.${r.env}.yaml has ${r.problems.length} config problem(s):\n${lines.join("\n")}`,
        r.problems[0]?.fix,
    );
}

/** Checks the CLI once per run; the answer cannot change while we run. */
export class CliCheck {
    private checked?: Promise<string>;
    constructor(private readonly engine: PromotionEngine) {}
    version(): Promise<string> {
        this.checked ??= this.engine.cliVersion().then((v) => {
            if (!versionAtLeast(v, MIN_CLI_VERSION)) throw new CliTooOldError(v);
            return v;
        });
        return this.checked;
    }
}

/** Throws the first reason `env` cannot take `version` now; resolves when it can. */
export async function assertReady(args: {
    env: EnvironmentName;
    version: string;
    config: ConfigReadiness;
    cli: CliCheck;
    engine: PromotionEngine;
    records: RecordStore;
    /** In a dry run the previous environment's preview stands in for its verification. */
    assumeVerified?: ReadonlySet<EnvironmentName>;
}): Promise<void> {
    const { env, version } = args;
    if (!args.config.ok) throw configError(args.config);
    if (args.config.config?.image) {
        // `image` overrides <repository>:<imageTag>, so setting imageTag would deploy nothing new.
        throw new PromotionError(
            `${env} is not ready: Pulumi.${env}.yaml sets \`image\` (${args.config.config.image}), which overrides imageTag, so promotion cannot carry the version.`,
            `pulumi config rm image -s ${env}`,
        );
    }
    await args.cli.version();
    if (!(await args.engine.stackExists(env))) throw new StackMissingError(env);
    const previous = previousEnvironment(env);
    if (previous && !args.assumeVerified?.has(previous) && !(await args.records.wasVerified(previous, version))) {
        throw new PromotionError(
            `${env} is not ready: ${previous} has not verified ${version} (the same image goes dev → qa → prod).`,
            `npm run promote -- --only ${previous} --image-tag ${version}`,
        );
    }
}
