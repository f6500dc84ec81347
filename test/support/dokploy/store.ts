// In-memory state of the fake server. Tests may edit the maps directly to simulate
// out-of-band changes (someone editing the app in the UI, deleting it, ...). Rows are
// created here with the defaults a real server applies (real-server-log.md).
import type {
    ApplicationRow,
    DeploymentRow,
    DokployVersion,
    DomainRow,
    EnvironmentRow,
    PortRow,
    ProjectRow,
} from "./types";
import { buildAppName, newId, nowIso } from "./ids";

export class FakeStore {
    readonly projects = new Map<string, ProjectRow>();
    readonly environments = new Map<string, EnvironmentRow>();
    readonly applications = new Map<string, ApplicationRow>();
    readonly domains = new Map<string, DomainRow>();
    readonly deployments = new Map<string, DeploymentRow>();
    readonly ports = new Map<string, PortRow>();
    /** One organization per server, as with a single API key. */
    readonly organizationId = newId();
    /** domains.uniqueConfigKey is a serial column. */
    private nextUniqueConfigKey = 1;

    constructor(readonly version: DokployVersion) {}

    private get v30(): boolean {
        return this.version === "v0.30.2";
    }

    createProject(input: { name: string; description?: string | null; env?: string }): {
        project: ProjectRow;
        environment: EnvironmentRow;
    } {
        const project: ProjectRow = {
            projectId: newId(),
            name: input.name,
            description: input.description ?? null,
            createdAt: nowIso(),
            organizationId: this.organizationId,
            env: input.env ?? "",
        };
        this.projects.set(project.projectId, project);
        const environment = this.createEnvironment(
            {
                name: "production",
                description: "Production environment",
                projectId: project.projectId,
            },
            true,
        );
        return { project, environment };
    }

    createEnvironment(
        input: { name: string; description?: string | null; projectId: string },
        isDefault = false,
    ): EnvironmentRow {
        const row: EnvironmentRow = {
            environmentId: newId(),
            name: input.name,
            description: input.description ?? null,
            createdAt: nowIso(),
            env: "",
            projectId: input.projectId,
        };
        if (this.v30) row.isDefault = isDefault;
        this.environments.set(row.environmentId, row);
        return row;
    }

    createApplication(input: {
        name: string;
        appName?: string;
        description?: string | null;
        environmentId: string;
        serverId?: string | null;
        sourceType?: ApplicationRow["sourceType"];
    }): ApplicationRow {
        const row: ApplicationRow = {
            applicationId: newId(),
            name: input.name,
            appName: buildAppName(input.appName),
            description: input.description ?? null,
            env: null,
            previewEnv: null,
            watchPaths: null,
            previewBuildArgs: null,
            previewBuildSecrets: null,
            previewLabels: null,
            previewWildcard: null,
            previewPort: 3000,
            previewHttps: false,
            previewPath: "/",
            previewCertificateType: "none",
            previewCustomCertResolver: null,
            previewLimit: 3,
            isPreviewDeploymentsActive: false,
            previewRequireCollaboratorPermissions: true,
            rollbackActive: false,
            buildArgs: null,
            buildSecrets: null,
            memoryReservation: null,
            memoryLimit: null,
            cpuReservation: null,
            cpuLimit: null,
            title: null,
            enabled: null,
            subtitle: null,
            command: null,
            refreshToken: newId(),
            sourceType: input.sourceType ?? "github",
            cleanCache: false,
            repository: null,
            owner: null,
            branch: null,
            buildPath: "/",
            triggerType: "push",
            autoDeploy: true,
            gitlabProjectId: null,
            gitlabRepository: null,
            gitlabOwner: null,
            gitlabBranch: null,
            gitlabBuildPath: "/",
            gitlabPathNamespace: null,
            giteaRepository: null,
            giteaOwner: null,
            giteaBranch: null,
            giteaBuildPath: "/",
            bitbucketRepository: null,
            bitbucketOwner: null,
            bitbucketBranch: null,
            bitbucketBuildPath: "/",
            username: null,
            password: null,
            dockerImage: null,
            registryUrl: null,
            customGitUrl: null,
            customGitBranch: null,
            customGitBuildPath: null,
            customGitSSHKeyId: null,
            enableSubmodules: false,
            dockerfile: this.v30 ? "Dockerfile" : null,
            dockerContextPath: null,
            dockerBuildStage: null,
            dropBuildPath: null,
            healthCheckSwarm: null,
            restartPolicySwarm: null,
            placementSwarm: null,
            updateConfigSwarm: null,
            rollbackConfigSwarm: null,
            modeSwarm: null,
            labelsSwarm: null,
            networkSwarm: null,
            stopGracePeriodSwarm: null,
            replicas: 1,
            applicationStatus: "idle",
            buildType: "nixpacks",
            railpackVersion: this.v30 ? "0.15.4" : "0.2.2",
            herokuVersion: "24",
            publishDirectory: null,
            isStaticSpa: null,
            createdAt: nowIso(),
            registryId: null,
            environmentId: input.environmentId,
            githubId: null,
            gitlabId: null,
            giteaId: null,
            bitbucketId: null,
            serverId: input.serverId ?? null,
        };
        if (this.v30) {
            Object.assign(row, {
                args: null,
                bitbucketRepositorySlug: null,
                buildRegistryId: null,
                buildServerId: null,
                createEnvFile: true,
                detachDokployNetwork: false,
                endpointSpecSwarm: null,
                icon: null,
                networkIds: [],
                rollbackRegistryId: null,
                ulimitsSwarm: null,
            });
        }
        this.applications.set(row.applicationId, row);
        return row;
    }

    createDomain(input: Partial<DomainRow> & { host: string }): DomainRow {
        // undefined takes the column default; an explicit null is stored as null (drizzle insert).
        const or = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
        const row: DomainRow = {
            domainId: newId(),
            host: input.host,
            https: or(input.https, false),
            port: or(input.port, 3000),
            path: or(input.path, "/"),
            serviceName: or(input.serviceName, null),
            domainType: or(input.domainType, "application"),
            uniqueConfigKey: this.nextUniqueConfigKey++,
            createdAt: nowIso(),
            composeId: or(input.composeId, null),
            customCertResolver: or(input.customCertResolver, null),
            applicationId: or(input.applicationId, null),
            previewDeploymentId: or(input.previewDeploymentId, null),
            certificateType: or(input.certificateType, "none"),
            internalPath: or(input.internalPath, "/"),
            stripPath: or(input.stripPath, false),
        };
        if (this.v30) {
            row.customEntrypoint = or(input.customEntrypoint, null);
            row.middlewares = or(input.middlewares, []);
            row.forwardAuthEnabled = or(input.forwardAuthEnabled, false);
            row.enabled = true;
        }
        this.domains.set(row.domainId, row);
        return row;
    }

    createPort(input: Omit<PortRow, "portId">): PortRow {
        const row: PortRow = { portId: newId(), ...input };
        this.ports.set(row.portId, row);
        return row;
    }

    /** Removes the app and the rows that cascade from it (domains, deployments, ports). */
    deleteApplication(applicationId: string): void {
        this.applications.delete(applicationId);
        for (const [id, d] of this.domains) if (d.applicationId === applicationId) this.domains.delete(id);
        for (const [id, d] of this.deployments) if (d.applicationId === applicationId) this.deployments.delete(id);
        for (const [id, p] of this.ports) if (p.applicationId === applicationId) this.ports.delete(id);
    }

    deleteEnvironment(environmentId: string): void {
        this.environments.delete(environmentId);
        for (const app of [...this.applications.values()]) {
            if (app.environmentId === environmentId) this.deleteApplication(app.applicationId);
        }
    }

    deleteProject(projectId: string): void {
        this.projects.delete(projectId);
        for (const env of [...this.environments.values()]) {
            if (env.projectId === projectId) this.deleteEnvironment(env.environmentId);
        }
    }

    applicationsIn(environmentId: string): ApplicationRow[] {
        return [...this.applications.values()].filter((a) => a.environmentId === environmentId);
    }

    environmentsOf(projectId: string): EnvironmentRow[] {
        return [...this.environments.values()].filter((e) => e.projectId === projectId);
    }

    domainsOf(applicationId: string): DomainRow[] {
        return [...this.domains.values()].filter((d) => d.applicationId === applicationId);
    }

    portsOf(applicationId: string): PortRow[] {
        return [...this.ports.values()].filter((p) => p.applicationId === applicationId);
    }

    /** Newest first (desc(createdAt)); insertion order breaks ties within the same millisecond. */
    deploymentsOf(applicationId: string): DeploymentRow[] {
        return [...this.deployments.values()].filter((d) => d.applicationId === applicationId).reverse();
    }
}
