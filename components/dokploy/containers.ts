/**
 * The project and environment an application lives in: found by name or created, and removed
 * again by the resource that created them once they hold nothing.
 */
import { DokployClient } from "./client";
import { DokployError, DokployNotFoundError, DokployValidationError, isNotFound } from "./errors";
import { DokployEnvironment, isDefaultEnvironment } from "./types";

export interface Placement {
    readonly projectId: string;
    readonly environmentId: string;
    readonly ownsProject: boolean;
    readonly ownsEnvironment: boolean;
    /** Application ids in the environment before our create (to recognise ours after an uncertain create). */
    readonly knownApplicationIds: ReadonlySet<string>;
}

/**
 * Written on every project and environment this provider creates. It is how a later create
 * recognises them as ours: after the application was deleted outside Pulumi, `refresh` drops the
 * resource and its ownership flags with it, and the next `up` finds the project by name; without
 * the marker that project would count as someone else's and `destroy` would leave it behind.
 * Removal still needs every environment empty (removeIfEmpty), so another stack's work is safe.
 */
const DESCRIPTION = "Managed by Pulumi (nextstack)";

/** Finds or creates the project and environment. "production" is the project's default one. */
export async function resolvePlacement(
    client: DokployClient,
    projectName: string,
    environmentName: string,
): Promise<Placement> {
    const features = await client.features();
    if (!features.environments) {
        const v = await client.version();
        throw new DokployValidationError(
            `Dokploy ${v.raw} has no environments; this provider needs v0.25.0 or later`,
            { procedure: "settings.getDokployVersion" },
            [],
        );
    }
    const matches = (await client.projectAll()).filter((p) => p.name === projectName);
    // Names are not unique in Dokploy: take the oldest, so every run picks the same one.
    matches.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    let ownsProject = false;
    let projectId: string;
    let environments: readonly DokployEnvironment[];
    if (matches.length > 0) {
        const p = matches[0].environments?.every((e) => e.applications)
            ? matches[0]
            : await client.projectOne(matches[0].projectId);
        projectId = p.projectId;
        environments = p.environments ?? [];
        ownsProject = (matches[0].description ?? p.description) === DESCRIPTION;
    } else {
        const created = await client.projectCreate(projectName, DESCRIPTION);
        ownsProject = true;
        projectId = created.project.projectId;
        environments = [{ ...created.environment, applications: [] }];
    }
    const wanted =
        environmentName === "production"
            ? environments.find(isDefaultEnvironment)
            : environments.find((e) => e.name === environmentName && !isDefaultEnvironment(e));
    if (wanted) {
        const apps = wanted.applications ?? (await client.environmentOne(wanted.environmentId)).applications ?? [];
        return {
            projectId,
            environmentId: wanted.environmentId,
            ownsProject,
            ownsEnvironment: !isDefaultEnvironment(wanted) && wanted.description === DESCRIPTION,
            knownApplicationIds: new Set(apps.map((a) => a.applicationId)),
        };
    }
    if (environmentName === "production") {
        throw new DokployNotFoundError(`Dokploy project ${projectName} has no default (production) environment`, {
            procedure: "project.one",
        });
    }
    try {
        const env = await client.environmentCreate(projectId, environmentName, DESCRIPTION);
        return {
            projectId,
            environmentId: env.environmentId,
            ownsProject,
            ownsEnvironment: true,
            knownApplicationIds: new Set(),
        };
    } catch (err) {
        const created = { projectId, environmentId: "", ownsProject, ownsEnvironment: false };
        throw await cleanUpAfterFailure(client, created, { projectName, environmentName }, err);
    }
}

/**
 * After a failed create: removes what this run created (when empty) and returns the original
 * error. When that cleanup fails too (e.g. the key got rate-limited mid-create: every call then
 * answers 401), the error names what was left behind, so it can be deleted in the Dokploy UI.
 */
export async function cleanUpAfterFailure(
    client: DokployClient,
    p: Pick<Placement, "projectId" | "environmentId" | "ownsProject" | "ownsEnvironment">,
    names: { readonly projectName: string; readonly environmentName: string },
    cause: unknown,
): Promise<unknown> {
    try {
        await removeIfEmpty(client, p);
        return cause;
    } catch (cleanupErr) {
        const left: string[] = [];
        if (p.ownsProject) left.push(`project "${names.projectName}" (${p.projectId})`);
        if (p.ownsEnvironment && p.environmentId)
            left.push(`environment "${names.environmentName}" (${p.environmentId})`);
        if (left.length === 0 || !(cause instanceof Error)) return cause;
        const why =
            cleanupErr instanceof DokployError
                ? `${cleanupErr.procedure} failed with ${cleanupErr.status ?? "no response"}`
                : String(cleanupErr);
        cause.message =
            `${cause.message} (this run created Dokploy ${left.join(" and ")} and could not remove ` +
            `${left.length > 1 ? "them" : "it"} again: ${why}; delete ${left.length > 1 ? "them" : "it"} in the Dokploy UI if empty)`;
        return cause;
    }
}

/**
 * Removes the environment and project this resource created, when nothing else lives there.
 * A project it owns is checked first: when it can go, one `project.remove` (which cascades)
 * does it all, so a delete costs application.delete + project.one + project.remove.
 */
export async function removeIfEmpty(
    client: DokployClient,
    p: {
        readonly projectId: string;
        readonly environmentId: string;
        readonly ownsProject: boolean;
        readonly ownsEnvironment: boolean;
    },
): Promise<void> {
    let ours: DokployEnvironment | undefined;
    if (p.ownsProject && p.projectId) {
        let project;
        try {
            project = await client.projectOne(p.projectId);
        } catch (err) {
            if (isNotFound(err)) return;
            throw err;
        }
        // project.remove cascades to environments: only when every one is empty and is either the
        // default or ours (another stack's empty environment is not ours to drop).
        const envs = project.environments;
        const removable =
            envs !== undefined &&
            envs.every((e) => e.serviceCount === 0 && (isDefaultEnvironment(e) || e.environmentId === p.environmentId));
        if (removable) return client.projectRemove(p.projectId);
        ours = envs?.find((e) => e.environmentId === p.environmentId);
        if (envs !== undefined && !ours) return; // already gone
    }
    if (p.ownsEnvironment && p.environmentId) {
        try {
            const env = ours?.serviceCount !== undefined ? ours : await client.environmentOne(p.environmentId);
            if (env.serviceCount === 0) await client.environmentRemove(p.environmentId);
        } catch (err) {
            if (!isNotFound(err)) throw err;
        }
    }
}
