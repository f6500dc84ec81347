/**
 * `npm run promote`: walks dev → qa → prod in order, one environment at a time, and stops at
 * the first that is not ready or fails, saying why and what to run next. Everything it talks to
 * is injected (engine, records, progress, prompt, TTY, signal), so tests drive it in memory.
 */
import { ENVIRONMENTS, EnvironmentName } from "../components/config";
import { PromotionEngine } from "./engine";
import { explain, InterruptedError, PromotionError } from "./errors";
import { deployEnvironment, reportDirOf } from "./deploy";
import { PromoteOptions, rerunCommand, targets } from "./options";
import { renderPlan, EnvironmentView } from "./plan";
import { allConfigReadiness, assertReady, CliCheck, ConfigReadiness, previousEnvironment } from "./readiness";
import { Progress } from "./progress";
import { IdentityOf } from "./aws/callerIdentity";
import { AccountMismatchError, verifyAccounts } from "./accounts";
import { RecordStore } from "./records";
import { RolloutWatch } from "./rollout";
import { dokployRolloutWatch } from "./rolloutDokploy";
import { ImageSource } from "./version/source";
import { describeImage, imageResolver, pinOf } from "./version/promotionImage";
import { ResolvedImage } from "./version/resolve";

export interface OrchestratorDeps {
    readonly engine: PromotionEngine;
    /** Which account an environment's credentials reach (STS); absent: not checked (in-memory tests). */
    readonly identityOf?: IdentityOf;
    readonly progress: Progress;
    readonly isTTY: boolean;
    readonly confirm: (message: string) => Promise<boolean>;
    readonly signal?: AbortSignal;
    /** Health polling pause; tests shorten it. */
    readonly healthIntervalMs?: number;
    /**
     * Each environment's ECR repository, read before any update (the CLI passes EcrImageSource);
     * absent: the version is deployed by tag, unchecked (in-memory tests of other concerns).
     */
    readonly images?: ImageSource;
    /** Follows Swarm's rollouts; default: through each stack's Dokploy API (rolloutDokploy.ts). */
    readonly rollout?: RolloutWatch;
    /** $GITHUB_STEP_SUMMARY, when set: every environment's report is appended to it. */
    readonly stepSummaryFile?: string;
}

export type EnvironmentResult =
    | {
          readonly env: EnvironmentName;
          readonly status: "verified" | "skipped" | "previewed";
          readonly version: string;
          readonly detail?: string;
      }
    | {
          readonly env: EnvironmentName;
          readonly status: "failed";
          readonly version?: string;
          readonly message: string;
          readonly next?: string;
      };

export interface PromotionResult {
    readonly exitCode: 0 | 1 | 130;
    readonly results: readonly EnvironmentResult[];
}

export async function environmentViews(
    projectDir: string,
    records: RecordStore,
    readiness?: readonly ConfigReadiness[],
): Promise<EnvironmentView[]> {
    const all = readiness ?? (await allConfigReadiness(projectDir));
    return Promise.all(
        all.map(async (r) => ({
            readiness: r,
            lastVerified: await records.lastVerified(r.env),
            latest: await records.latest(r.env),
        })),
    );
}

/** The version `env` gets: --image-tag, dev's committed imageTag, or what the previous environment verified. */
async function versionFor(
    env: EnvironmentName,
    o: PromoteOptions,
    readiness: ConfigReadiness,
    records: RecordStore,
    dryRunVersions: ReadonlyMap<EnvironmentName, string>,
): Promise<string> {
    if (o.rollback) {
        const target = o.imageTag ?? (await records.rollbackTarget(env));
        if (!target) {
            throw new PromotionError(
                `No earlier verified version of ${env} is recorded in ${records.dir}, so there is nothing to roll back to.`,
                `npm run promote -- --rollback ${env} --image-tag <tag>`,
            );
        }
        return target;
    }
    if (o.imageTag) return o.imageTag;
    const previous = previousEnvironment(env);
    if (!previous) {
        if (!readiness.config)
            throw new PromotionError(`${env} has no valid config to read imageTag from.`, "npm run promote -- --plan");
        return readiness.config.imageTag;
    }
    const version = dryRunVersions.get(previous) ?? (await records.lastVerified(previous))?.version;
    if (!version) {
        throw new PromotionError(
            `${env} is not ready: ${previous} has no verified version yet (the same image goes dev → qa → prod).`,
            `npm run promote -- --only ${previous}`,
        );
    }
    return version;
}

export async function promote(o: PromoteOptions, deps: OrchestratorDeps): Promise<PromotionResult> {
    const { progress } = deps;
    const records = new RecordStore(o.stateDir);
    const readiness = await allConfigReadiness(o.projectDir);
    const walk = targets(o);
    if (o.plan) {
        progress.info(
            renderPlan({
                views: await environmentViews(o.projectDir, records, readiness),
                targets: walk,
                imageTag: o.imageTag,
            }),
        );
        return { exitCode: 0, results: [] };
    }
    const rerun = rerunCommand(o);
    const cli = new CliCheck(deps.engine);
    const rollout = deps.rollout ?? dokployRolloutWatch(deps.engine);
    const results: EnvironmentResult[] = [];
    // In a dry run an environment's successful preview stands in for its verification downstream.
    const dryRunVersions = new Map<EnvironmentName, string>();
    const dryRunImages = new Map<EnvironmentName, ResolvedImage>();
    progress.info(
        `${o.dryRun ? "Dry run (previews only)" : o.rollback ? "Rollback" : "Promotion"}: ${walk.join(" → ")}   records: ${records.dir}`,
    );

    if (deps.identityOf) {
        // Before any preview: every walked environment's credentials reach its own account.
        const identityOf = deps.identityOf;
        try {
            await cli.version();
            await progress.step(
                "AWS credentials",
                () => verifyAccounts(readiness, walk, identityOf),
                (s) => s,
            );
        } catch (err) {
            const { message, next } = explain(err);
            results.push({
                env: err instanceof AccountMismatchError ? err.env : walk[0],
                status: "failed",
                message,
                next,
            });
            progress.info(`\n✖ ${message}${next ? `\nNext: ${next}` : ""}`);
            return { exitCode: 1, results };
        }
    }

    for (const env of walk) {
        const config = readiness.find((r) => r.env === env);
        let version: string | undefined;
        try {
            if (deps.signal?.aborted) throw new InterruptedError();
            if (!config) throw new PromotionError(`unknown environment ${env}`);
            version = await versionFor(env, o, config, records, dryRunVersions);
            const latest = await records.latest(env);
            // With a registry to ask, "already verified" means the same digest: `latest` may have moved.
            const sameVersion = !o.dryRun && !o.rollback && latest?.status === "verified" && latest.version === version;
            if (sameVersion && !deps.images) {
                progress.info(`✔ ${env}: already verified at ${version} (${latest.verifiedAt ?? latest.at}); skipping`);
                results.push({ env, status: "skipped", version });
                continue;
            }
            if (!o.dryRun && latest?.status === "started" && latest.version === version) {
                progress.info(
                    `↻ ${env}: the last run stopped during its update to ${version} (${latest.at}); continuing`,
                );
            }
            const previous = previousEnvironment(env);
            await progress.step(
                `${env}: readiness`,
                () =>
                    assertReady({
                        env,
                        version: version as string,
                        config,
                        cli,
                        engine: deps.engine,
                        records,
                        assumeVerified: new Set([
                            ...dryRunVersions.keys(),
                            ...(o.rollback && previous ? [previous] : []),
                        ]),
                    }),
                () => `config complete, stack exists, deploys ${version}`,
            );
            // Before any update: the version is in this environment's registry, from the verified revision.
            const imageOf = imageResolver({
                source: deps.images,
                config: config.config,
                records,
                rerun,
                resolvedThisRun: dryRunImages,
            });
            const image = imageOf
                ? await progress.step(
                      `${env}: image`,
                      () => imageOf(version as string, o.rollback !== undefined),
                      describeImage,
                  )
                : undefined;
            if (sameVersion && image && latest.imageDigest === image.digest) {
                progress.info(
                    `✔ ${env}: already verified at ${version} (${image.digest}, ${latest.verifiedAt ?? latest.at}); skipping`,
                );
                results.push({ env, status: "skipped", version });
                continue;
            }
            const outcome = await deployEnvironment(
                {
                    engine: deps.engine,
                    records,
                    progress,
                    isTTY: deps.isTTY,
                    confirm: deps.confirm,
                    signal: deps.signal,
                    yes: o.yes,
                    verbose: o.verbose,
                    allowReplace: o.allowReplace,
                    rerun,
                    healthDeadlineMs: o.healthDeadlineMs,
                    healthIntervalMs: deps.healthIntervalMs,
                    allowedDowntimeMs: o.allowedDowntimeMs,
                    probeIntervalMs: o.probeIntervalMs,
                    settleMs: o.settleMs,
                    rollout,
                    reportDir: reportDirOf(records),
                    stepSummaryFile: deps.stepSummaryFile,
                    ...(imageOf ? { imageFor: async (v: string) => pinOf(await imageOf(v, true)) } : {}),
                },
                env,
                version,
                { dryRun: o.dryRun, rollback: o.rollback !== undefined },
                image ? pinOf(image) : undefined,
            );
            if (outcome.kind === "previewed") {
                dryRunVersions.set(env, version);
                if (image) dryRunImages.set(env, image);
                results.push({ env, status: "previewed", version, detail: outcome.summary });
            } else {
                results.push({ env, status: "verified", version });
                progress.info(`✔ ${env}: verified at ${version}`);
            }
        } catch (err) {
            const { message, next } = explain(err);
            results.push({ env, status: "failed", version, message, next });
            progress.info(`\n✖ ${env}: ${message}${next ? `\nNext: ${next}` : ""}`);
            return { exitCode: err instanceof InterruptedError ? 130 : 1, results };
        }
    }
    const last = walk.at(-1);
    const after = last ? ENVIRONMENTS[ENVIRONMENTS.indexOf(last) + 1] : undefined;
    const next = o.dryRun
        ? rerun.replace(" --dry-run", "")
        : after && !o.rollback
          ? `npm run promote -- --to ${after}`
          : undefined;
    progress.info(
        `\n${o.dryRun ? "Previewed" : "Done"}: ${results.map((r) => `${r.env} ${r.status}${r.version ? ` ${r.version}` : ""}`).join(", ")}` +
            (next ? `\nNext: ${next}` : ""),
    );
    return { exitCode: 0, results };
}
