// Public types of the fake Dokploy server: options, faults, recorded requests and the
// store rows. Row shapes (key order included) are copied from real v0.25.6 responses in
// /work/shared/dokploy/real-server-log.md; the optional keys exist only in v0.30.2 mode
// (v0.30-differences.md §5).

export type DokployVersion = "v0.25.6" | "v0.30.2";

export interface FakeDokployOptions {
    version?: DokployVersion;
    /** rateLimitMax counts better-auth verifications; each REST request verifies twice. */
    apiKeys?: { key: string; rateLimitMax?: number }[];
    /** How long a deployment stays "running" before it ends. Default 30. */
    deployDurationMs?: number;
    /** Delay between `deploy` returning and the worker inserting the row. Default 0 (next tick). */
    deployStartDelayMs?: number;
    /**
     * The simulated swarm's clock (default mode): `timeScale` = real ms per simulated ms (default
     * 0.005: 1 simulated second takes 5 ms), or "manual" (time moves only on swarm.clock.advance()).
     */
    swarm?: { timeScale?: number } | { clock: "manual" };
    /** Drive a real Docker engine instead of the simulation (see swarm/engine.ts). */
    engine?: { dockerHost: string };
}

export interface RecordedRequest {
    method: string;
    /** e.g. "application.create" (canonical case when known, else as sent); "health" for /api/health. */
    procedure: string;
    query: Record<string, string>;
    /** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
    body: unknown;
    /** 0 until answered, and for dropped connections. */
    status: number;
    /** ISO timestamp of arrival. */
    at: string;
}

export type FaultAction =
    | { kind: "status"; status: number; body?: unknown }
    | { kind: "delay"; ms: number }
    | { kind: "drop" }
    | { kind: "malformed" };

export type Fault = {
    procedure: string | "*";
    times?: number;
    phase?: "before" | "after";
} & FaultAction;

export type DeploymentOutcome = "done" | "error" | "cancelled";

export interface ProjectRow {
    projectId: string;
    name: string;
    description: string | null;
    createdAt: string;
    organizationId: string;
    env: string;
}

export interface EnvironmentRow {
    environmentId: string;
    name: string;
    description: string | null;
    createdAt: string;
    env: string;
    projectId: string;
    /** v0.30.2 only. */
    isDefault?: boolean;
}

export type ApplicationStatus = "idle" | "running" | "done" | "error";
export type SourceType = "github" | "docker" | "git" | "gitlab" | "bitbucket" | "gitea" | "drop";
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ApplicationRow {
    applicationId: string;
    name: string;
    appName: string;
    description: string | null;
    env: string | null;
    previewEnv: string | null;
    watchPaths: string[] | null;
    previewBuildArgs: string | null;
    previewBuildSecrets: string | null;
    previewLabels: string[] | null;
    previewWildcard: string | null;
    previewPort: number | null;
    previewHttps: boolean;
    previewPath: string | null;
    previewCertificateType: "letsencrypt" | "none" | "custom";
    previewCustomCertResolver: string | null;
    previewLimit: number | null;
    isPreviewDeploymentsActive: boolean | null;
    previewRequireCollaboratorPermissions: boolean | null;
    rollbackActive: boolean | null;
    buildArgs: string | null;
    buildSecrets: string | null;
    memoryReservation: string | null;
    memoryLimit: string | null;
    cpuReservation: string | null;
    cpuLimit: string | null;
    title: string | null;
    enabled: boolean | null;
    subtitle: string | null;
    command: string | null;
    refreshToken: string | null;
    sourceType: SourceType;
    cleanCache: boolean | null;
    repository: string | null;
    owner: string | null;
    branch: string | null;
    buildPath: string | null;
    triggerType: "push" | "tag" | null;
    autoDeploy: boolean | null;
    gitlabProjectId: number | null;
    gitlabRepository: string | null;
    gitlabOwner: string | null;
    gitlabBranch: string | null;
    gitlabBuildPath: string | null;
    gitlabPathNamespace: string | null;
    giteaRepository: string | null;
    giteaOwner: string | null;
    giteaBranch: string | null;
    giteaBuildPath: string | null;
    bitbucketRepository: string | null;
    bitbucketOwner: string | null;
    bitbucketBranch: string | null;
    bitbucketBuildPath: string | null;
    username: string | null;
    password: string | null;
    dockerImage: string | null;
    registryUrl: string | null;
    customGitUrl: string | null;
    customGitBranch: string | null;
    customGitBuildPath: string | null;
    customGitSSHKeyId: string | null;
    enableSubmodules: boolean;
    dockerfile: string | null;
    dockerContextPath: string | null;
    dockerBuildStage: string | null;
    dropBuildPath: string | null;
    healthCheckSwarm: JsonValue;
    restartPolicySwarm: JsonValue;
    placementSwarm: JsonValue;
    updateConfigSwarm: JsonValue;
    rollbackConfigSwarm: JsonValue;
    modeSwarm: JsonValue;
    labelsSwarm: JsonValue;
    networkSwarm: JsonValue;
    /** bigint on v0.25.6: a non-null value makes every REST read of the app a 500 (API.md §3). */
    stopGracePeriodSwarm: bigint | number | null;
    replicas: number;
    applicationStatus: ApplicationStatus;
    buildType: string;
    railpackVersion: string | null;
    herokuVersion: string | null;
    publishDirectory: string | null;
    isStaticSpa: boolean | null;
    createdAt: string;
    registryId: string | null;
    environmentId: string;
    githubId: string | null;
    gitlabId: string | null;
    giteaId: string | null;
    bitbucketId: string | null;
    serverId: string | null;
    // v0.30.2 only (v0.30-differences.md §5)
    args?: string[] | null;
    bitbucketRepositorySlug?: string | null;
    buildRegistryId?: string | null;
    buildServerId?: string | null;
    createEnvFile?: boolean;
    detachDokployNetwork?: boolean;
    endpointSpecSwarm?: JsonValue;
    icon?: string | null;
    networkIds?: string[];
    rollbackRegistryId?: string | null;
    ulimitsSwarm?: JsonValue;
}

export interface DomainRow {
    domainId: string;
    host: string;
    https: boolean;
    port: number | null;
    path: string | null;
    serviceName: string | null;
    domainType: "compose" | "application" | "preview" | null;
    uniqueConfigKey: number;
    createdAt: string;
    composeId: string | null;
    customCertResolver: string | null;
    applicationId: string | null;
    previewDeploymentId: string | null;
    certificateType: "letsencrypt" | "none" | "custom";
    internalPath: string | null;
    stripPath: boolean;
    // v0.30.2 only
    customEntrypoint?: string | null;
    middlewares?: string[];
    forwardAuthEnabled?: boolean;
    enabled?: boolean;
}

export type DeploymentStatus = "running" | "done" | "error" | "cancelled";

export interface DeploymentRow {
    deploymentId: string;
    title: string;
    description: string;
    status: DeploymentStatus;
    logPath: string;
    pid: string | null;
    applicationId: string | null;
    composeId: string | null;
    serverId: string | null;
    isPreviewDeployment: boolean;
    previewDeploymentId: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    errorMessage: string | null;
    scheduleId: string | null;
    backupId: string | null;
    rollbackId: string | null;
    volumeBackupId: string | null;
    /** v0.30.2 only. */
    buildServerId?: string | null;
}

export interface PortRow {
    portId: string;
    publishedPort: number;
    publishMode: "ingress" | "host";
    targetPort: number;
    protocol: "tcp" | "udp";
    applicationId: string;
}
