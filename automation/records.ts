/**
 * Durable promotion records: one JSON file per environment in a git-ignored state dir,
 * replaced atomically (write-file-atomic: temp file, fsync, rename) so a crash leaves either
 * the old history or the new one, never half a file. "started" is written before an update and
 * "verified"/"failed" after, so an interrupted run is visible and resumable.
 */
import { mkdir, readFile } from "node:fs/promises";
import * as path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { EnvironmentName } from "../components/config";

export const STATE_DIR_ENV = "PROMOTION_STATE_DIR";

/** "rolled_back": Swarm rolled the update back (the old version serves); never counts as verified. */
export type RecordStatus = "started" | "verified" | "rolled_back" | "failed";

export interface ProbeFigures {
    readonly sent: number;
    readonly failures: number;
    readonly longestGapMs: number;
    /** Which version answered over time: ms after the probe started (before the update call). */
    readonly firstNewMs?: number;
    readonly lastOldMs?: number;
    readonly oldVersion?: string;
    readonly newVersion?: string;
}

/** Swarm's side of the update, as the rollout watch saw it. */
export interface RolloutFigures {
    readonly outcome: "completed" | "rolled_back" | "paused" | "deadline";
    /** Milliseconds from the update call to the outcome. */
    readonly tookMs: number;
    /** When the watch decided the outcome (ISO time). */
    readonly decidedAt?: string;
    readonly deadlineMs: number;
    readonly servingImage?: string;
    readonly reason?: string;
    /** Dokploy API calls the watch made (the provider's own watch during `up` comes on top). */
    readonly calls?: number;
}

export interface PromotionRecord {
    readonly environment: EnvironmentName;
    readonly version: string;
    readonly status: RecordStatus;
    readonly at: string;
    readonly verifiedAt?: string;
    readonly probe?: ProbeFigures;
    readonly deploymentId?: string;
    /** The image deployed, `sha256:…`: what a rollback to this record redeploys. */
    readonly imageDigest?: string;
    /** The image's source revision (its org.opencontainers.image.revision label or a commit-SHA tag). */
    readonly revision?: string;
    /** Written by a rollback (automatic or --rollback). */
    readonly rollback?: boolean;
    /** Why it failed, in one line. */
    readonly reason?: string;
    readonly rollout?: RolloutFigures;
    /** The version the health endpoint answered with at the end, when its body says. */
    readonly servingVersion?: string;
    /** The HTML report of this update. */
    readonly report?: string;
}

interface HistoryFile {
    readonly environment: EnvironmentName;
    readonly records: PromotionRecord[];
}

export function defaultStateDir(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
    return env[STATE_DIR_ENV] ? path.resolve(env[STATE_DIR_ENV]) : path.join(projectDir, ".promotion");
}

export class RecordStore {
    constructor(readonly dir: string) {}

    private file(env: EnvironmentName): string {
        return path.join(this.dir, `${env}.json`);
    }

    async history(env: EnvironmentName): Promise<PromotionRecord[]> {
        let text: string;
        try {
            text = await readFile(this.file(env), "utf8");
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
            throw err;
        }
        const parsed = JSON.parse(text) as Partial<HistoryFile>;
        return Array.isArray(parsed.records) ? parsed.records : [];
    }

    async append(record: PromotionRecord): Promise<void> {
        await mkdir(this.dir, { recursive: true });
        const records = [...(await this.history(record.environment)), record];
        const body: HistoryFile = { environment: record.environment, records };
        await writeFileAtomic(this.file(record.environment), `${JSON.stringify(body, null, 2)}\n`, { fsync: true });
    }

    async latest(env: EnvironmentName): Promise<PromotionRecord | undefined> {
        return (await this.history(env)).at(-1);
    }

    /** The version most recently verified in `env`. */
    async lastVerified(env: EnvironmentName): Promise<PromotionRecord | undefined> {
        return (await this.history(env)).filter((r) => r.status === "verified").at(-1);
    }

    /** The image (digest, revision) `env` last verified at `version`, if that record kept one. */
    async verifiedImage(
        env: EnvironmentName,
        version: string,
    ): Promise<Pick<PromotionRecord, "imageDigest" | "revision"> | undefined> {
        const r = (await this.history(env)).filter((x) => x.status === "verified" && x.version === version).at(-1);
        return r ? { imageDigest: r.imageDigest, revision: r.revision } : undefined;
    }

    /** Was `version` verified in `env` at some point (the gate for the next environment)? */
    async wasVerified(env: EnvironmentName, version: string): Promise<boolean> {
        return (await this.history(env)).some((r) => r.status === "verified" && r.version === version);
    }

    /**
     * The version to go back to: the last verified one that is not what is live now. When the
     * latest record is a failure, the live version is suspect and the last verified one is the target.
     */
    async rollbackTarget(env: EnvironmentName): Promise<string | undefined> {
        const history = await this.history(env);
        const latest = history.at(-1);
        const verified = history.filter((r) => r.status === "verified");
        if (!latest) return undefined;
        if (latest.status !== "verified") return verified.at(-1)?.version;
        return verified.filter((r) => r.version !== latest.version).at(-1)?.version;
    }
}
