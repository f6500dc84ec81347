/**
 * Typed Dokploy REST client (one server, one key). A plain object of closures over plain
 * functions, so that the serialized dynamic provider can build it from inside its methods.
 *
 * Creates are never retried blindly: no Dokploy create is idempotent (API.md §10), so after an
 * uncertain failure (network error, timeout, 5xx, unreadable 2xx body) the client first looks
 * the object up, and only creates again when it is not there and the failure was transient.
 */
import { CallOptions, TransportOptions, backoffDelayMs, dokployCall } from "./http";
import { DokployError, DokployNotFoundError, DokployValidationError } from "./errors";
import { DokployFeatures, DokployVersion, featuresOf, parseDokployVersion } from "./version";
import {
    DokployApplicationRow,
    DokployDeployment,
    DokployDomain,
    DokployEnvironment,
    DokployProject,
    Json,
    asArray,
    asRecord,
    isDefaultEnvironment,
    parseApplication,
    parseDeployment,
    parseDomain,
    parseEnvironment,
    parseProject,
} from "./types";
import {
    DokployContainerConfig,
    DokployContainerRow,
    DokployServiceTaskRow,
    DokploySwarmService,
    parseContainerConfig,
    parseContainerRows,
    parseServiceTaskRows,
    parseSwarmServices,
} from "./rollout/wire";

const GET: CallOptions = { method: "GET", retry: true };
const POST_IDEMPOTENT: CallOptions = { method: "POST", retry: true };
const POST_ONCE: CallOptions = { method: "POST", retry: false };

/** Inputs of `domain.create`/`domain.update` that this project manages. */
export interface DomainFields {
    readonly host: string;
    readonly port: number;
    readonly https: boolean;
    readonly certificateType: string;
    readonly path: string;
}

export interface DokployClient {
    version(): Promise<DokployVersion>;
    features(): Promise<DokployFeatures>;
    projectAll(): Promise<DokployProject[]>;
    projectOne(projectId: string): Promise<DokployProject>;
    projectCreate(
        name: string,
        description: string,
    ): Promise<{ project: DokployProject; environment: DokployEnvironment }>;
    projectRemove(projectId: string): Promise<void>;
    environmentOne(environmentId: string): Promise<DokployEnvironment>;
    environmentCreate(projectId: string, name: string, description: string): Promise<DokployEnvironment>;
    environmentRemove(environmentId: string): Promise<void>;
    applicationOne(applicationId: string): Promise<DokployApplicationRow>;
    /** `known`: ids that existed before, so a lookup after an uncertain create skips them. */
    applicationCreate(
        input: { name: string; environmentId: string; appName: string; description: string | null },
        known: ReadonlySet<string>,
    ): Promise<DokployApplicationRow>;
    applicationUpdate(applicationId: string, fields: Json): Promise<void>;
    saveDockerProvider(applicationId: string, dockerImage: string): Promise<void>;
    saveEnvironment(applicationId: string, env: string | null): Promise<void>;
    deploy(applicationId: string, kind: "deploy" | "redeploy", title: string): Promise<void>;
    reload(applicationId: string, appName: string): Promise<void>;
    applicationDelete(applicationId: string): Promise<void>;
    domainByApplicationId(applicationId: string): Promise<DokployDomain[]>;
    domainCreate(applicationId: string, d: DomainFields): Promise<DokployDomain>;
    domainUpdate(domainId: string, d: DomainFields): Promise<void>;
    domainDelete(domainId: string): Promise<void>;
    deploymentAll(applicationId: string): Promise<DokployDeployment[]>;
    /** docker.getContainersByAppNameMatch: containers whose name merely contains appName, exited ones too. */
    containersByAppNameMatch(appName: string): Promise<DokployContainerRow[]>;
    /** docker.getServiceContainersByAppName: the service's tasks (task ids, desired states). */
    serviceContainersByAppName(appName: string): Promise<DokployServiceTaskRow[]>;
    /** docker.getConfig: `docker inspect`; undefined for a removed or unknown container (200, 0 bytes). */
    containerConfig(containerId: string): Promise<DokployContainerConfig | undefined>;
    /** swarm.getNodeApps filtered to the service named exactly appName; undefined when there is none. */
    swarmService(appName: string): Promise<DokploySwarmService | undefined>;
}

/** Runs a create once; after an uncertain failure looks the object up before trying again. */
async function createOnce<T>(
    t: TransportOptions,
    procedure: string,
    input: Json,
    parse: (raw: unknown) => T,
    lookup: () => Promise<T | undefined>,
): Promise<T> {
    const attempts = Math.max(1, t.maxAttempts ?? 4);
    for (let attempt = 1; ; attempt++) {
        try {
            return parse(await dokployCall(t, procedure, input, POST_ONCE));
        } catch (err) {
            if (!(err instanceof DokployError) || !err.uncertain) throw err;
            const found = await lookup();
            if (found !== undefined) return found;
            if (!err.transient || attempt >= attempts) throw err;
            const ms = backoffDelayMs(attempt, t.backoffBaseMs ?? 500, t.backoffMaxMs ?? 8000, Math.random);
            await new Promise((r) => setTimeout(r, ms));
        }
    }
}

/** Treats a 404 as "already gone" for deletes. */
async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
        await p;
    } catch (err) {
        if (!(err instanceof DokployNotFoundError)) throw err;
    }
}

export function createDokployClient(t: TransportOptions): DokployClient {
    const call = (proc: string, input: Json | undefined, opts: CallOptions): Promise<unknown> =>
        dokployCall(t, proc, input, opts);
    let versionPromise: Promise<DokployVersion> | undefined;

    const version = (): Promise<DokployVersion> => {
        if (!versionPromise) {
            versionPromise = call("settings.getDokployVersion", undefined, GET).then(
                (raw) => parseDokployVersion(raw),
                (err: unknown) => {
                    // Servers without the procedure (404) get the portable behaviour; anything else
                    // (bad key, outage) must surface, and the next call may try again.
                    versionPromise = undefined;
                    if (err instanceof DokployNotFoundError) return parseDokployVersion(undefined);
                    throw err;
                },
            );
        }
        return versionPromise;
    };

    const projectOne = async (projectId: string): Promise<DokployProject> =>
        parseProject(await call("project.one", { projectId }, GET), "project.one");
    const environmentOne = async (environmentId: string): Promise<DokployEnvironment> =>
        parseEnvironment(await call("environment.one", { environmentId }, GET), "environment.one");
    const applicationOne = async (applicationId: string): Promise<DokployApplicationRow> =>
        parseApplication(await call("application.one", { applicationId }, GET), "application.one");
    const projectAll = async (): Promise<DokployProject[]> =>
        asArray(await call("project.all", undefined, GET), "project.all").map((p) => parseProject(p, "project.all"));
    const domainByApplicationId = async (applicationId: string): Promise<DokployDomain[]> =>
        asArray(await call("domain.byApplicationId", { applicationId }, GET), "domain.byApplicationId").map((d) =>
            parseDomain(d, "domain.byApplicationId"),
        );

    const withProjectEnvironment = async (project: DokployProject) => {
        const full = project.environments ? project : await projectOne(project.projectId);
        const environment = (full.environments ?? []).find(isDefaultEnvironment);
        if (!environment)
            throw new DokployNotFoundError(`Dokploy project ${project.name} has no default environment`, {
                procedure: "project.one",
            });
        return { project: full, environment };
    };

    const domainBody = (d: DomainFields): Json => ({
        host: d.host,
        port: d.port,
        https: d.https,
        certificateType: d.certificateType,
        path: d.path,
        domainType: "application",
    });

    return {
        version,
        features: async () => featuresOf(await version()),
        projectAll,
        projectOne,
        projectCreate: (name, description) =>
            createOnce(
                t,
                "project.create",
                { name, description },
                (raw) => {
                    const o = asRecord(raw, "project.create");
                    return {
                        project: parseProject(o.project, "project.create"),
                        environment: parseEnvironment(o.environment, "project.create"),
                    };
                },
                async () => {
                    const match = (await projectAll()).find((p) => p.name === name);
                    return match ? withProjectEnvironment(match) : undefined;
                },
            ),
        projectRemove: (projectId) => ignoreNotFound(call("project.remove", { projectId }, POST_IDEMPOTENT)),
        environmentOne,
        environmentCreate: (projectId, name, description) =>
            createOnce(
                t,
                "environment.create",
                { projectId, name, description },
                (raw) => parseEnvironment(raw, "environment.create"),
                async () => {
                    const list = asArray(
                        await call("environment.byProjectId", { projectId }, GET),
                        "environment.byProjectId",
                    );
                    return list.map((e) => parseEnvironment(e, "environment.byProjectId")).find((e) => e.name === name);
                },
            ),
        environmentRemove: (environmentId) =>
            ignoreNotFound(call("environment.remove", { environmentId }, POST_IDEMPOTENT)),
        applicationOne,
        applicationCreate: (input, known) =>
            createOnce(
                t,
                "application.create",
                { ...input },
                (raw) => parseApplication(raw, "application.create"),
                async () => {
                    const env = await environmentOne(input.environmentId);
                    return (env.applications ?? []).find(
                        (a) =>
                            !known.has(a.applicationId) &&
                            a.name === input.name &&
                            a.appName.startsWith(`${input.appName}-`),
                    );
                },
            ),
        applicationUpdate: async (applicationId, fields) => {
            try {
                await call("application.update", { ...fields, applicationId }, POST_IDEMPOTENT);
            } catch (err) {
                // v0.28+ answers 400 "Error updating application" for an unknown id: ask `.one`.
                if (err instanceof DokployValidationError && err.issues.length === 0)
                    await applicationOne(applicationId);
                throw err;
            }
        },
        saveDockerProvider: async (applicationId, dockerImage) => {
            // Every field, null when unused (required on v0.29+). Registry credentials stay empty:
            // ECR auth lives on the Dokploy host.
            await call(
                "application.saveDockerProvider",
                { applicationId, dockerImage, username: null, password: null, registryUrl: null },
                POST_IDEMPOTENT,
            );
        },
        saveEnvironment: async (applicationId, env) => {
            // Every field (required on v0.28+); v0.25 drops createEnvFile harmlessly.
            await call(
                "application.saveEnvironment",
                { applicationId, env, buildArgs: null, buildSecrets: null, createEnvFile: false },
                POST_IDEMPOTENT,
            );
        },
        deploy: async (applicationId, kind, title) => {
            await call(`application.${kind}`, { applicationId, title }, POST_ONCE);
        },
        reload: async (applicationId, appName) => {
            await call("application.reload", { applicationId, appName }, POST_IDEMPOTENT);
        },
        applicationDelete: (applicationId) =>
            ignoreNotFound(call("application.delete", { applicationId }, POST_IDEMPOTENT)),
        domainByApplicationId,
        domainCreate: async (applicationId, d) => {
            try {
                return await createOnce(
                    t,
                    "domain.create",
                    { ...domainBody(d), applicationId },
                    (raw) => parseDomain(raw, "domain.create"),
                    async () =>
                        (await domainByApplicationId(applicationId)).find(
                            (x) => x.host === d.host && (x.path ?? "/") === d.path,
                        ),
                );
            } catch (err) {
                // An unknown app is a 400 here ("Application not found" on v0.25, the raw SQL
                // error on v0.30; API.md §3): ask `.one`, whose 404 says the app is gone.
                if (err instanceof DokployValidationError && err.issues.length === 0)
                    await applicationOne(applicationId);
                throw err;
            }
        },
        domainUpdate: async (domainId, d) => {
            await call("domain.update", { ...domainBody(d), domainId }, POST_IDEMPOTENT);
        },
        domainDelete: (domainId) => ignoreNotFound(call("domain.delete", { domainId }, POST_IDEMPOTENT)),
        deploymentAll: async (applicationId) =>
            asArray(await call("deployment.all", { applicationId }, GET), "deployment.all").map((d) =>
                parseDeployment(d, "deployment.all"),
            ),
        containersByAppNameMatch: async (appName) =>
            parseContainerRows(await call("docker.getContainersByAppNameMatch", { appName }, GET)),
        serviceContainersByAppName: async (appName) =>
            parseServiceTaskRows(await call("docker.getServiceContainersByAppName", { appName }, GET)),
        containerConfig: async (containerId) =>
            parseContainerConfig(await call("docker.getConfig", { containerId }, GET)),
        // `docker service ls` lists every service on the host: keep the one named exactly appName.
        swarmService: async (appName) =>
            parseSwarmServices(await call("swarm.getNodeApps", undefined, GET)).find((s) => s.name === appName),
    };
}
