// The deployment queue: one BullMQ worker with concurrency 1 per Dokploy instance (API.md §6).
// `deploy` only enqueues; the worker inserts the row ("running", startedAt = createdAt) when it
// picks the job up, then ends it per the configured outcome after deployDurationMs. Every
// timer is tracked so close() can clear it.
import type { FakeStore } from "./store";
import { deploymentLogPath, newId } from "./ids";
import type { DeploymentOutcome, DeploymentRow, DokployVersion } from "./types";

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

    constructor(
        private readonly store: FakeStore,
        private readonly version: DokployVersion,
        private readonly durationMs: number,
        private readonly startDelayMs: number,
    ) {}

    /** What the next deployments end with; "hold" keeps them running until release(). */
    setOutcome(outcome: DeploymentOutcome | "hold"): void {
        this.outcome = outcome;
    }

    /** Ends a held deployment now. The mode set by setOutcome stays as it is. */
    release(outcome: DeploymentOutcome = "done"): void {
        if (this.current?.deploymentId !== undefined && this.isHeld) this.finish(outcome);
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
        const now = new Date();
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
        this.trimOldRows(app.applicationId);
        app.applicationStatus = "running";
        this.current = { job, deploymentId: row.deploymentId };
        if (this.outcome === "hold") {
            this.isHeld = true;
            return;
        }
        const outcome = this.outcome;
        this.schedule(() => this.finish(outcome), this.durationMs);
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
                if (outcome !== "cancelled") row.finishedAt = new Date().toISOString();
            }
            if (app && outcome !== "cancelled") {
                app.applicationStatus = outcome;
                if (outcome === "done") this.store.swarmServices.add(app.appName);
            }
        }
        if (this.queue.length > 0) this.schedule(() => this.startNext(), 0);
    }
}
