/**
 * Deploy (or redeploy) and wait for the result. Dokploy answers `deploy` with an empty body and
 * no deployment id, and inserts the row only when its single worker starts the job, so: note
 * the rows that exist, deploy, then poll `deployment.all` until a new row reaches
 * `done`/`error`/`cancelled`, within one overall deadline (API.md §6).
 */
import { DokployClient } from "./client";
import { sleep } from "./http";
import { DokployDeployment } from "./types";
import { DokployDeploymentError, DokployError } from "./errors";

export interface DeployWaitOptions {
    /** Overall deadline for the deployment to finish, in ms. */
    readonly timeoutMs: number;
    /** The deadline as the user set it (deployTimeoutSeconds), for messages. Default timeoutMs / 1000. */
    readonly timeoutSeconds?: number;
    /** First poll delay in ms; grows ×1.5 per poll up to `pollMaxMs`. */
    readonly pollInitialMs: number;
    readonly pollMaxMs: number;
    /** After an uncertain deploy call, how long to look for its row before deploying again. */
    readonly uncertainGraceMs: number;
}

/** A module-level Set would not survive serializeFunction (it becomes a plain object). */
export function isTerminal(status: string | null | undefined): boolean {
    return status === "done" || status === "error" || status === "cancelled";
}

/** Polls until a row not in `known` appears and is terminal, or `until` passes. */
async function waitForNewRow(
    client: DokployClient,
    applicationId: string,
    known: ReadonlySet<string>,
    until: number,
    opts: DeployWaitOptions,
    onPoll: (row: DokployDeployment | undefined) => void,
): Promise<DokployDeployment | undefined> {
    let delay = opts.pollInitialMs;
    let polls = 0;
    let last: DokployDeployment | undefined;
    while (Date.now() < until) {
        await sleep(Math.max(0, Math.min(delay, until - Date.now())));
        delay = Math.min(opts.pollMaxMs, Math.ceil(delay * 1.5));
        polls++;
        const rows = await client.deploymentAll(applicationId);
        last = rows.find((r) => !known.has(r.deploymentId));
        onPoll(last);
        if (last && isTerminal(last.status)) return last;
        // v0.29+ answers [] for a deleted app instead of 404: ask `.one` now and then (404 throws).
        if (!last && rows.length === 0 && polls % 10 === 0) await client.applicationOne(applicationId);
    }
    return last;
}

/**
 * Deploys and returns the finished deployment row. Throws DokployDeploymentError when it ends in
 * `error`/`cancelled`, when no row appears, or when it does not finish before the deadline.
 */
export async function deployAndWait(
    client: DokployClient,
    app: { readonly applicationId: string; readonly appName: string },
    kind: "deploy" | "redeploy",
    opts: DeployWaitOptions,
    knownIds?: ReadonlySet<string>,
): Promise<DokployDeployment> {
    const deadline = Date.now() + opts.timeoutMs;
    // `knownIds` lets a create skip the snapshot: a new application has no deployments yet.
    const known = knownIds ?? new Set((await client.deploymentAll(app.applicationId)).map((r) => r.deploymentId));
    let seen: DokployDeployment | undefined;
    const track = (row: DokployDeployment | undefined): void => {
        if (row) seen = row;
    };
    const title = kind === "deploy" ? "Pulumi: deploy" : "Pulumi: redeploy";
    let row: DokployDeployment | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
        try {
            await client.deploy(app.applicationId, kind, title);
        } catch (err) {
            // The deploy may have been queued although the call failed: look for its row first,
            // and deploy again only when none shows up (a duplicate deploy is harmless, a lost one not).
            if (!(err instanceof DokployError) || !err.uncertain || err.procedure !== `application.${kind}`) throw err;
            const graceUntil = Math.min(deadline, Date.now() + opts.uncertainGraceMs);
            row = await waitForNewRow(client, app.applicationId, known, graceUntil, opts, track);
            if (seen === undefined) {
                if (attempt === 2 || !err.transient) throw err;
                continue;
            }
        }
        if (row === undefined || !isTerminal(row.status)) {
            row = await waitForNewRow(client, app.applicationId, known, deadline, opts, track);
        }
        break;
    }
    row = row ?? seen;
    const details = { procedure: "deployment.all" };
    const seconds = opts.timeoutSeconds ?? Math.round(opts.timeoutMs / 1000);
    if (!row) {
        throw new DokployDeploymentError(
            `Dokploy deployment of ${app.appName} did not start within ${seconds} s ` +
                "(Dokploy runs one deployment at a time per server; the queue may be busy). Raise deployTimeoutSeconds or check the server.",
            details,
        );
    }
    if (!isTerminal(row.status)) {
        throw new DokployDeploymentError(
            `Dokploy deployment ${row.deploymentId} of ${app.appName} was still "${row.status}" after ${seconds} s (deployTimeoutSeconds)`,
            details,
            row.deploymentId,
            row.status,
        );
    }
    if (row.status !== "done") {
        const log = row.logPath ? ` (log on the server: ${row.logPath})` : "";
        const why = row.errorMessage
            ? `: ${row.errorMessage}${log}`
            : `; Dokploy gave no message: see the deployment log in the Dokploy UI${log}`;
        throw new DokployDeploymentError(
            `Dokploy deployment ${row.deploymentId} of ${app.appName} ended with status "${row.status}"${why}`,
            details,
            row.deploymentId,
            row.status,
        );
    }
    return row;
}

/**
 * Waits for one known deployment to finish, e.g. the one a previous run stopped waiting for at
 * its deadline. Returns the row (terminal, or still running at the deadline), or undefined
 * when it is no longer listed (Dokploy keeps the last 10 rows; v0.29+ lists none for a deleted app).
 */
export async function waitForDeployment(
    client: DokployClient,
    applicationId: string,
    deploymentId: string,
    opts: DeployWaitOptions,
): Promise<DokployDeployment | undefined> {
    const deadline = Date.now() + opts.timeoutMs;
    let delay = opts.pollInitialMs;
    for (;;) {
        const row = (await client.deploymentAll(applicationId)).find((r) => r.deploymentId === deploymentId);
        if (!row || isTerminal(row.status) || Date.now() >= deadline) return row;
        await sleep(Math.max(0, Math.min(delay, deadline - Date.now())));
        delay = Math.min(opts.pollMaxMs, Math.ceil(delay * 1.5));
    }
}

/** The deployment a failed deploy-and-wait got as far as, as state fields; undefined if none started. */
export function deploymentReached(
    err: unknown,
): { lastDeploymentId: string; lastDeploymentStatus: string } | undefined {
    const e = err as { deploymentId?: string; deploymentStatus?: string };
    return e.deploymentId
        ? { lastDeploymentId: e.deploymentId, lastDeploymentStatus: e.deploymentStatus ?? "error" }
        : undefined;
}
