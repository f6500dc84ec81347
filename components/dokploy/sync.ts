/**
 * Read (refresh), update and delete of an existing application.
 *
 * Drift: the Node dynamic provider host stores what `read` returns as the new outputs, and the
 * engine later calls `diff(olds = those outputs, news = checked inputs)`. So `read` reports
 * every managed field as the server has it, mapped back to our settings (swarm.ts), and the next
 * diff/update corrects whatever drifted. Inputs are left alone (no `inputs` in the result).
 */
import { DokployClient } from "./client";
import { removeIfEmpty } from "./containers";
import { deploymentReached, isTerminal, waitForDeployment } from "./deploy";
import { deployAndWatch, rolloutFailureMessage, rolloutState } from "./rolloutStep";
import { restoreWhatRuns } from "./rolloutRestore";
import { deployOptions, ProviderTuning } from "./context";
import { DokployDeploymentError, DokployNotFoundError, DokployServerError, isNotFound } from "./errors";
import { partialStateError } from "./partial";
import { AppState, domainUrl, planUpdate } from "./plan";
import { AppSpec, DomainSettings } from "./spec";
import { effectiveReplicas, fromHealthCheckSwarm, fromUpdateConfigSwarm } from "./swarm";
import { DokployDeployment, DokployDomain } from "./types";

function toDomainSettings(d: DokployDomain): DomainSettings {
    return {
        host: d.host,
        port: d.port ?? 3000,
        https: d.https,
        certificateType: d.certificateType as DomainSettings["certificateType"],
        path: d.path ?? "/",
    };
}

function newest(rows: readonly DokployDeployment[]): DokployDeployment | undefined {
    return [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/** Current server state in our terms, or undefined when the application is gone. */
export async function readApplication(
    client: DokployClient,
    id: string,
    props: Partial<AppState>,
): Promise<AppState | undefined> {
    let app;
    try {
        app = await client.applicationOne(id);
    } catch (err) {
        if (isNotFound(err)) return undefined;
        if (err instanceof DokployServerError && (await client.features()).bigIntReadBug) {
            throw new DokployServerError(
                `${err.message}. Dokploy ${(await client.version()).raw} cannot return applications whose ` +
                    "stopGracePeriodSwarm is set (BigInt, fixed in v0.29.0): clear it in the Dokploy UI (Advanced → Swarm settings).",
                { procedure: err.procedure, status: err.status, code: err.code },
            );
        }
        throw err;
    }
    const domains = app.domains ?? (await client.domainByApplicationId(id));
    const deployments = app.deployments ?? (await client.deploymentAll(id));
    const domain = props.domainId ? domains.find((d) => d.domainId === props.domainId) : undefined;
    const last = newest(deployments);
    const settings = domain ? toDomainSettings(domain) : null;
    return {
        ...(props as AppState),
        applicationId: app.applicationId,
        appName: app.appName,
        appNamePrefix: props.appNamePrefix ?? app.appName.replace(/-[a-z0-9]{6}$/, ""),
        name: app.name,
        description: app.description,
        environmentId: app.environmentId ?? props.environmentId ?? "",
        projectId: app.projectId ?? props.projectId ?? "",
        // A non-docker source (changed in the UI) is drift of the image.
        dockerImage: app.sourceType === "docker" ? (app.dockerImage ?? "") : "",
        env: app.env,
        replicas: effectiveReplicas(app.replicas, app.modeSwarm),
        healthCheck: fromHealthCheckSwarm(app.healthCheckSwarm),
        updateConfig: fromUpdateConfigSwarm(app.updateConfigSwarm),
        rollbackConfig: fromUpdateConfigSwarm(app.rollbackConfigSwarm),
        domain: settings,
        domainId: domain ? domain.domainId : null,
        url: domainUrl(settings),
        lastDeploymentId: last ? last.deploymentId : null,
        lastDeploymentStatus: last ? last.status : null,
        deployed: deployedAfterRead(props, last),
    };
}

/** A deployment started outside Pulumi deploys what Dokploy holds; otherwise keep what we knew. */
function deployedAfterRead(props: Partial<AppState>, last: DokployDeployment | undefined): boolean {
    if (last && last.deploymentId !== props.lastDeploymentId) return last.status === "done";
    return props.deployed ?? last?.status === "done";
}

function goneError(olds: Partial<AppState>, err: DokployNotFoundError): Error {
    return new DokployNotFoundError(
        `Dokploy application ${olds.appName ?? ""} (${olds.applicationId ?? "?"}) no longer exists (${err.message}). ` +
            "Run `pulumi refresh` to drop it from state; the next `pulumi up` creates it again.",
        { procedure: err.procedure, status: err.status, code: err.code },
    );
}

/**
 * A deployment that an earlier run stopped waiting for (still "running" at deployTimeoutSeconds)
 * is awaited first: "done" needs no new deployment, anything else is deployed again by the plan.
 */
async function settlePendingDeployment(
    client: DokployClient,
    id: string,
    olds: AppState,
    news: AppSpec,
    tuning: ProviderTuning,
): Promise<AppState> {
    const pendingId = olds.lastDeploymentId;
    if (news.deployPolicy !== "onChange" || !pendingId || isTerminal(olds.lastDeploymentStatus)) return olds;
    let row;
    try {
        row = await waitForDeployment(client, id, pendingId, deployOptions(news.deployTimeoutSeconds, tuning));
    } catch (err) {
        if (isNotFound(err)) throw goneError(olds, err);
        throw err;
    }
    if (row && !isTerminal(row.status)) {
        throw new DokployDeploymentError(
            `Dokploy deployment ${pendingId} of ${olds.appName} was still "${row.status}" after ${news.deployTimeoutSeconds} s (deployTimeoutSeconds); nothing was changed`,
            { procedure: "deployment.all" },
            pendingId,
            row.status,
        );
    }
    // That deployment was started for the configuration Dokploy holds: done means deployed.
    return { ...olds, lastDeploymentStatus: row ? row.status : null, deployed: row?.status === "done" };
}

/** Applies only the calls the changed fields need; see planUpdate. */
export async function updateApplication(
    client: DokployClient,
    id: string,
    olds: AppState,
    news: AppSpec,
    tuning: ProviderTuning,
    providerText: unknown,
): Promise<AppState> {
    const base = await settlePendingDeployment(client, id, olds, news, tuning);
    const plan = planUpdate(base, news);
    const carried = { deployPolicy: news.deployPolicy, deployTimeoutSeconds: news.deployTimeoutSeconds };
    let state: AppState = { ...base, ...carried, applicationId: id };
    let progressed = false;
    try {
        if (plan.saveImage) {
            await client.saveDockerProvider(id, news.dockerImage);
            state = { ...state, dockerImage: news.dockerImage };
            progressed = true;
        }
        if (plan.saveEnv) {
            await client.saveEnvironment(id, news.env);
            state = { ...state, env: news.env };
            progressed = true;
        }
        if (plan.appFields) {
            await client.applicationUpdate(id, plan.appFields);
            state = {
                ...state,
                name: news.name,
                description: news.description,
                replicas: news.replicas,
                healthCheck: news.healthCheck,
                updateConfig: news.updateConfig,
                rollbackConfig: news.rollbackConfig,
            };
            progressed = true;
        }
        if (plan.domain === "delete" && olds.domainId) {
            await client.domainDelete(olds.domainId);
            state = { ...state, domain: null, domainId: null, url: null };
            progressed = true;
        } else if ((plan.domain === "update" || plan.domain === "create") && news.domain) {
            let domainId = plan.domain === "update" ? olds.domainId : null;
            if (domainId) {
                try {
                    await client.domainUpdate(domainId, news.domain);
                } catch (err) {
                    if (!isNotFound(err)) throw err;
                    domainId = null; // deleted out of band since the last refresh: create it again
                }
            }
            if (!domainId) domainId = (await client.domainCreate(id, news.domain)).domainId;
            state = { ...state, domain: news.domain, domainId, url: domainUrl(news.domain) };
            progressed = true;
        }
        const swarmSaved = plan.appFields !== null && "healthCheckSwarm" in plan.appFields;
        if (plan.rollout === "none" && (plan.saveImage || plan.saveEnv || swarmSaved)) {
            state = { ...state, deployed: false }; // saved with deploy: false; the next deploy applies it
        }
        if (plan.rollout !== "none") {
            const app = { applicationId: id, appName: olds.appName };
            let run;
            try {
                // "deploy" is for an app never deployed: its service is created, not updated.
                run = await deployAndWatch(client, app, plan.rollout, news, tuning, plan.rollout === "deploy");
            } catch (err) {
                const reached = deploymentReached(err);
                state = { ...state, ...reached, deployed: false };
                progressed = progressed || reached !== undefined;
                throw err;
            }
            const { row, result } = run;
            progressed = true;
            state = {
                ...state,
                lastDeploymentId: row?.deploymentId ?? state.lastDeploymentId,
                lastDeploymentStatus: row?.status ?? state.lastDeploymentStatus,
                ...rolloutState(result, news.dockerImage),
                deployed: result.outcome === "completed",
            };
            if (result.outcome !== "completed") {
                const back = await restoreWhatRuns(client, id, base, plan, result, state);
                state = back.state;
                throw new DokployDeploymentError(
                    rolloutFailureMessage(olds.appName, result, back.restored),
                    { procedure: "swarm rollout" },
                    row?.deploymentId,
                    row?.status,
                );
            }
        }
    } catch (err) {
        if (isNotFound(err) && (err.procedure.startsWith("application.") || err.procedure === "deployment.all"))
            throw goneError(olds, err);
        // Record what was applied, so the next run neither repeats a domain create nor forgets a
        // failed deployment (see partial.ts). With nothing applied, the old state stays as it was.
        if (!progressed) throw err;
        throw partialStateError(
            err,
            id,
            state,
            providerText,
            `the changes made before the failure were recorded in state`,
        );
    }
    return { ...state, appNamePrefix: news.appName, appName: olds.appName };
}

/**
 * Removes the application, then the project/environment this resource created if empty. 404s
 * count as done. Its domains need no call: application.delete cascades to their rows and removes
 * the app's Traefik file, which holds their routers (API.md §4, §5).
 */
export async function deleteApplication(client: DokployClient, id: string, props: Partial<AppState>): Promise<void> {
    await client.applicationDelete(id);
    await removeIfEmpty(client, {
        projectId: props.projectId ?? "",
        environmentId: props.environmentId ?? "",
        ownsProject: props.ownsProject === true,
        ownsEnvironment: props.ownsEnvironment === true,
    });
}
