/**
 * The parts of Dokploy's response objects this project reads, and defensive parsers for them.
 * Responses carry many more keys (and v0.30 adds and trims some); unknown keys are ignored and
 * only the ids the provider cannot work without are required.
 */
import { DokployProtocolError } from "./errors";

export interface DokployDomain {
    readonly domainId: string;
    readonly host: string;
    readonly port: number | null;
    readonly https: boolean;
    readonly certificateType: string;
    readonly path: string | null;
}

export interface DokployDeployment {
    readonly deploymentId: string;
    readonly status: string;
    readonly createdAt: string;
    readonly errorMessage: string | null;
    /** The job's log file on the Dokploy server; the reason for a failure is there when errorMessage is null. */
    readonly logPath?: string | null;
}

export interface DokployApplicationRow {
    readonly applicationId: string;
    readonly name: string;
    readonly appName: string;
    readonly description: string | null;
    readonly environmentId: string | null;
    readonly projectId: string | null;
    readonly env: string | null;
    readonly sourceType: string | null;
    readonly dockerImage: string | null;
    readonly replicas: number | null;
    readonly healthCheckSwarm: unknown;
    readonly updateConfigSwarm: unknown;
    readonly rollbackConfigSwarm: unknown;
    readonly modeSwarm: unknown;
    /** Embedded relations (application.one); undefined when the response did not embed them. */
    readonly domains?: readonly DokployDomain[];
    readonly deployments?: readonly DokployDeployment[];
}

export interface DokployEnvironment {
    readonly environmentId: string;
    readonly name: string;
    readonly description?: string | null;
    readonly isDefault?: boolean;
    /** Number of services of any kind; undefined when the response did not list them. */
    readonly serviceCount?: number;
    readonly applications?: readonly DokployApplicationRow[];
}

export interface DokployProject {
    readonly projectId: string;
    readonly name: string;
    readonly description?: string | null;
    readonly createdAt: string;
    readonly environments?: readonly DokployEnvironment[];
}

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(procedure: string, what: string): never {
    throw new DokployProtocolError(`Dokploy ${procedure} answered without ${what}`, { procedure, uncertain: true });
}

function reqString(o: Json, key: string, procedure: string): string {
    const v = o[key];
    if (typeof v !== "string" || v.length === 0) fail(procedure, key);
    return v;
}

function optString(v: unknown): string | null {
    return typeof v === "string" ? v : null;
}

export function asRecord(v: unknown, procedure: string): Json {
    if (!isRecord(v)) fail(procedure, "an object");
    return v;
}

export function asArray(v: unknown, procedure: string): unknown[] {
    if (!Array.isArray(v)) fail(procedure, "a list");
    return v;
}

export function parseDomain(v: unknown, procedure: string): DokployDomain {
    const o = asRecord(v, procedure);
    return {
        domainId: reqString(o, "domainId", procedure),
        host: typeof o.host === "string" ? o.host : "",
        port: typeof o.port === "number" ? o.port : null,
        https: o.https === true,
        certificateType: typeof o.certificateType === "string" ? o.certificateType : "none",
        path: optString(o.path),
    };
}

export function parseDeployment(v: unknown, procedure: string): DokployDeployment {
    const o = asRecord(v, procedure);
    return {
        deploymentId: reqString(o, "deploymentId", procedure),
        status: typeof o.status === "string" ? o.status : "unknown",
        createdAt: typeof o.createdAt === "string" ? o.createdAt : "",
        errorMessage: optString(o.errorMessage),
        logPath: optString(o.logPath),
    };
}

export function parseApplication(v: unknown, procedure: string): DokployApplicationRow {
    const o = asRecord(v, procedure);
    const env = isRecord(o.environment) ? o.environment : undefined;
    return {
        applicationId: reqString(o, "applicationId", procedure),
        name: typeof o.name === "string" ? o.name : "",
        appName: reqString(o, "appName", procedure),
        description: optString(o.description),
        environmentId: optString(o.environmentId),
        projectId: env ? optString(env.projectId) : null,
        env: optString(o.env),
        sourceType: optString(o.sourceType),
        dockerImage: optString(o.dockerImage),
        replicas: typeof o.replicas === "number" ? o.replicas : null,
        healthCheckSwarm: o.healthCheckSwarm ?? null,
        updateConfigSwarm: o.updateConfigSwarm ?? null,
        rollbackConfigSwarm: o.rollbackConfigSwarm ?? null,
        modeSwarm: o.modeSwarm ?? null,
        domains: Array.isArray(o.domains) ? o.domains.map((d) => parseDomain(d, procedure)) : undefined,
        deployments: Array.isArray(o.deployments) ? o.deployments.map((d) => parseDeployment(d, procedure)) : undefined,
    };
}

const SERVICE_LISTS = ["applications", "compose", "mariadb", "mongo", "mysql", "postgres", "redis", "libsql"];

export function parseEnvironment(v: unknown, procedure: string): DokployEnvironment {
    const o = asRecord(v, procedure);
    let count: number | undefined;
    for (const key of SERVICE_LISTS) {
        const list = o[key];
        if (Array.isArray(list)) count = (count ?? 0) + list.length;
    }
    const apps = Array.isArray(o.applications)
        ? o.applications
              .filter(isRecord)
              .filter((a) => typeof a.applicationId === "string" && typeof a.appName === "string")
        : undefined;
    return {
        environmentId: reqString(o, "environmentId", procedure),
        name: typeof o.name === "string" ? o.name : "",
        description: optString(o.description),
        isDefault: typeof o.isDefault === "boolean" ? o.isDefault : undefined,
        serviceCount: count,
        applications: apps?.map((a) => parseApplication(a, procedure)),
    };
}

export function parseProject(v: unknown, procedure: string): DokployProject {
    const o = asRecord(v, procedure);
    return {
        projectId: reqString(o, "projectId", procedure),
        name: typeof o.name === "string" ? o.name : "",
        description: optString(o.description),
        createdAt: typeof o.createdAt === "string" ? o.createdAt : "",
        environments: Array.isArray(o.environments)
            ? o.environments.map((e) => parseEnvironment(e, procedure))
            : undefined,
    };
}

/** The default environment: v0.30 flags it `isDefault`; v0.25 only names it `production`. */
export function isDefaultEnvironment(e: DokployEnvironment): boolean {
    return e.isDefault ?? e.name === "production";
}
