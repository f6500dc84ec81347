// The deployment queue: one BullMQ worker with concurrency 1 per Dokploy instance (API.md §6).
// `deploy` only enqueues; the worker inserts the row ("running", startedAt = createdAt) when it
// picks the job up, then ends it per the configured outcome after deployDurationMs. Every
// timer is tracked so close() can clear it.
// A "done" outcome first creates or updates the swarm service (pull + mechanizeDockerContainer)
// and the row turns "done" as soon as that call returns — not when the rollout ends, and a later
// swarm rollback never changes it (real-rollout-log.md §1.1, §1.2). A failing service call ends
// the row "error" with errorMessage null and the engine's message in the log (§6).
import type { FakeStore } from "./store";
import { deploymentLogPath, newId } from "./ids";
import type { DeployResult } from "./swarm/model";
import type { ApplicationRow, DeploymentOutcome, DeploymentRow, DokployVersion } from "./types";

export interface DeployJob {
    applicationId: string;
    title: string;
    description: string;
}

const MAX_ROWS_PER_APP = 10;

export class DeploymentWorker {
    private readonly queue: DeployJob[] = [];
    private current: { job: DeployJob; deploymentId: string | undefined } | undefined;
    private readonly timers = new Set<NodeJS.Timeout>();
    private outcome: DeploymentOutcome | "hold" = "done";
    /** The current job was started while the outcome was "hold": it waits for release(). */
    private isHeld = false;
    private closed = false;
    /** Deployment log lines by deploymentId (Dokploy writes them to logPath). */
    readonly logs = new Map<string, string[]>();

    constructor(
        private readonly store: FakeStore,
        private readonly version: DokployVersion,
        private readonly durationMs: number,
        private readonly startDelayMs: number,
        /** Pulls and creates/updates the app's swarm service. */
        private readonly applyService: (app: ApplicationRow) => Promise<DeployResult>,
        /** Timestamps of rows come from the swarm's clock, so they line up with container times. */
        private readonly now: () => number = Date.now,
    ) {}

    /** What the next deployments end with; "hold" keeps them running until release(). */
    setOutcome(outcome: DeploymentOutcome | "hold"): void {
        this.outcome = outcome;
    }

    /** Ends a held deployment now. The mode set by setOutcome stays as it is. */
    release(outcome: DeploymentOutcome = "done"): void {
        if (this.current?.deploymentId !== undefined && this.isHeld) {
            this.isHeld = false;
            void this.end(outcome);
        }
    }

    enqueue(job: DeployJob): void {
        this.queue.push(job);
        if (!this.current) this.schedule(() => this.startNext(), this.startDelayMs);
    }

    /** Jobs of a deleted application are cancelled (application.delete cancels its queued jobs). */
    forget(applicationId: string): void {
        for (let i = this.queue.length - 1; i >= 0; i--)
            if (this.queue[i]!.applicationId === applicationId) this.queue.splice(i, 1);
    }

    close(): void {
        this.closed = true;
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
        this.queue.length = 0;
    }

    private schedule(fn: () => void, ms: number): void {
        if (this.closed) return;
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            fn();
        }, ms);
        this.timers.add(timer);
    }

    private startNext(): void {
        if (this.current || this.closed) return;
        const job = this.queue.shift();
        if (!job) return;
        const app = this.store.applications.get(job.applicationId);
        if (!app) {
            this.startNext();
            return;
        }
        const now = new Date(this.now());
        const iso = now.toISOString();
        const row: DeploymentRow = {
            deploymentId: newId(),
            title: job.title,
            description: job.description,
            status: "running",
            logPath: deploymentLogPath(app.appName, now),
            pid: null,
            applicationId: app.applicationId,
            composeId: null,
            serverId: app.serverId,
            isPreviewDeployment: false,
            previewDeploymentId: null,
            createdAt: iso,
            startedAt: iso,
            finishedAt: null,
            errorMessage: null,
            scheduleId: null,
            backupId: null,
            rollbackId: null,
            volumeBackupId: null,
        };
        if (this.version === "v0.30.2") row.buildServerId = null;
        this.store.deployments.set(row.deploymentId, row);
        this.logs.set(row.deploymentId, []);
        this.trimOldRows(app.applicationId);
        app.applicationStatus = "running";
        this.current = { job, deploymentId: row.deploymentId };
        if (this.outcome === "hold") {
            this.isHeld = true;
            return;
        }
        const outcome = this.outcome;
        this.schedule(() => void this.end(outcome), this.durationMs);
    }

    /** "done" goes through the swarm first; its failure turns the row into "error". */
    private async end(outcome: DeploymentOutcome): Promise<void> {
        const current = this.current;
        const app = current && this.store.applications.get(current.job.applicationId);
        if (outcome !== "done" || !current?.deploymentId || !app) return this.finish(outcome);
        const log = this.logs.get(current.deploymentId) ?? [];
        let result: DeployResult;
        try {
            result = await this.applyService(app);
        } catch (error) {
            result = { ok: false, log: [`❌ Error: ${error instanceof Error ? error.message : String(error)}`] };
        }
        if (this.closed || this.current !== current) return;
        log.push(...result.log);
        this.finish(result.ok ? "done" : "error");
    }

    private trimOldRows(applicationId: string): void {
        const rows = this.store.deploymentsOf(applicationId);
        for (const old of rows.slice(MAX_ROWS_PER_APP)) this.store.deployments.delete(old.deploymentId);
    }

    private finish(outcome: DeploymentOutcome): void {
        const current = this.current;
        this.current = undefined;
        this.isHeld = false;
        if (current?.deploymentId !== undefined) {
            const row = this.store.deployments.get(current.deploymentId);
            const app = this.store.applications.get(current.job.applicationId);
            if (row) {
                row.status = outcome;
                // "cancelled" is what start-up marks rows left running; it sets no finish time.
                if (outcome !== "cancelled") row.finishedAt = new Date(this.now()).toISOString();
            }
            if (app && outcome !== "cancelled") app.applicationStatus = outcome;
        }
        if (this.queue.length > 0) this.schedule(() => this.startNext(), 0);
    }
}
