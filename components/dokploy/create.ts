/**
 * Create: API.md §13's minimal sequence. Project/environment find-or-create, application.create,
 * saveDockerProvider, saveEnvironment, application.update (swarm settings), domain.create, then
 * (deployPolicy "onChange") deploy, wait for the row, and watch Swarm's rollout to its end
 * (rolloutStep.ts).
 *
 * Failures, and why they are handled this way:
 * - Before the application exists: remove the project/environment this call created (when
 *   empty) and rethrow. Nothing is left behind and nothing needs recording.
 * - After application.create: throw a partial-state error (partial.ts) carrying the app's id and
 *   outputs that describe what really got configured. A dynamic provider create that throws a
 *   plain error records nothing, so the app would be orphaned; deleting it again instead would
 *   also work, but it loses the failed deployment's logs, and the delete can itself fail (e.g. a
 *   rate-limited key), leaving an orphan. With partial state the engine keeps the id, the next
 *   `up` finishes the job (diff sees the missing parts, and a failed deployment counts as a
 *   change), and `destroy` removes the app and the containers this resource created.
 */
import { DokployClient } from "./client";
import { cleanUpAfterFailure, resolvePlacement } from "./containers";
import { deploymentReached } from "./deploy";
import { ProviderTuning } from "./context";
import { DokployDeploymentError } from "./errors";
import { deployAndWatch, rolloutFailureMessage, rolloutState } from "./rolloutStep";
import { partialStateError } from "./partial";
import { AppState, domainUrl } from "./plan";
import { AppSpec } from "./spec";
import { swarmUpdateFields } from "./swarm";

/** Outputs for a freshly created, not yet configured application (what the server holds). */
function initialState(
    spec: AppSpec,
    base: Pick<
        AppState,
        "applicationId" | "appName" | "projectId" | "environmentId" | "ownsProject" | "ownsEnvironment"
    >,
): AppState {
    return {
        ...spec,
        ...base,
        appNamePrefix: spec.appName,
        dockerImage: "",
        env: null,
        replicas: 1,
        healthCheck: null,
        updateConfig: null,
        rollbackConfig: null,
        domain: null,
        domainId: null,
        url: null,
        lastDeploymentId: null,
        lastDeploymentStatus: null,
        deployed: false,
    };
}

export async function createApplication(
    client: DokployClient,
    spec: AppSpec,
    tuning: ProviderTuning,
    providerText: unknown,
): Promise<{ id: string; outs: AppState }> {
    const placement = await resolvePlacement(client, spec.projectName, spec.environmentName);
    let app;
    try {
        app = await client.applicationCreate(
            {
                name: spec.name,
                environmentId: placement.environmentId,
                appName: spec.appName,
                description: spec.description,
            },
            placement.knownApplicationIds,
        );
    } catch (err) {
        throw await cleanUpAfterFailure(client, placement, spec, err);
    }
    let state = initialState(spec, {
        applicationId: app.applicationId,
        appName: app.appName,
        projectId: placement.projectId,
        environmentId: placement.environmentId,
        ownsProject: placement.ownsProject,
        ownsEnvironment: placement.ownsEnvironment,
    });
    try {
        await client.saveDockerProvider(app.applicationId, spec.dockerImage);
        state = { ...state, dockerImage: spec.dockerImage };
        await client.saveEnvironment(app.applicationId, spec.env);
        state = { ...state, env: spec.env };
        await client.applicationUpdate(app.applicationId, swarmUpdateFields(spec));
        state = {
            ...state,
            replicas: spec.replicas,
            healthCheck: spec.healthCheck,
            updateConfig: spec.updateConfig,
            rollbackConfig: spec.rollbackConfig,
        };
        if (spec.domain) {
            const d = await client.domainCreate(app.applicationId, spec.domain);
            state = { ...state, domain: spec.domain, domainId: d.domainId, url: domainUrl(spec.domain) };
        }
        if (spec.deployPolicy === "onChange") {
            let run;
            try {
                run = await deployAndWatch(client, app, "deploy", spec, tuning, true);
            } catch (err) {
                state = { ...state, ...deploymentReached(err) };
                throw err;
            }
            const { row, result } = run;
            state = {
                ...state,
                lastDeploymentId: row?.deploymentId ?? null,
                lastDeploymentStatus: row?.status ?? null,
                ...rolloutState(result, spec.dockerImage),
                deployed: result.outcome === "completed",
            };
            // A new service has no old version to fall back to: only the deadline fails it.
            if (result.outcome !== "completed") {
                throw new DokployDeploymentError(
                    rolloutFailureMessage(app.appName, result, []),
                    { procedure: "swarm rollout" },
                    row?.deploymentId,
                    row?.status,
                );
            }
        }
    } catch (err) {
        throw partialStateError(
            err,
            app.applicationId,
            state,
            providerText,
            `Dokploy application ${app.appName} was created and recorded in state; the next \`pulumi up\` completes it, \`pulumi destroy\` removes it`,
        );
    }
    return { id: app.applicationId, outs: state };
}
