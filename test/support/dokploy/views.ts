// Response shapes with relations, as real servers return them (real-server-log.md), and the
// v0.30.2 trims/additions (v0.30-differences.md §5). Rows are copied so that later edits of
// the store never leak into an already-built response.
import type { FakeStore } from "./store";
import type { ApplicationRow, DomainRow, EnvironmentRow, ProjectRow } from "./types";

function copy<T>(row: T): T {
    return { ...row };
}

export class Views {
    constructor(private readonly store: FakeStore) {}

    private get v30(): boolean {
        return this.store.version === "v0.30.2";
    }

    /** The service lists an environment embeds; only applications exist in this fake. */
    services(environmentId: string): Record<string, unknown> {
        const lists: Record<string, unknown> = {
            applications: this.store.applicationsIn(environmentId).map(copy),
            mariadb: [],
            mongo: [],
            mysql: [],
            postgres: [],
            redis: [],
            compose: [],
        };
        if (this.v30) lists.libsql = [];
        return lists;
    }

    environmentWithServices(env: EnvironmentRow): Record<string, unknown> {
        return { ...env, ...this.services(env.environmentId) };
    }

    /** environment.one: env + services + project (v0.30.2 drops createdAt). */
    environmentOne(env: EnvironmentRow, project: ProjectRow | undefined): Record<string, unknown> {
        const out: Record<string, unknown> = {
            ...this.environmentWithServices(env),
            project: project ? copy(project) : null,
        };
        if (this.v30) delete out.createdAt;
        return out;
    }

    /** environment.byProjectId items (v0.30.2 drops createdAt, env and projectId). */
    environmentListItem(env: EnvironmentRow, project: ProjectRow | undefined): Record<string, unknown> {
        const out = this.environmentOne(env, project);
        if (this.v30) {
            delete out.env;
            delete out.projectId;
        }
        return out;
    }

    /** project.one / project.all: project + environments with their services. */
    projectWithEnvironments(project: ProjectRow): Record<string, unknown> {
        const out: Record<string, unknown> = {
            ...project,
            environments: this.store.environmentsOf(project.projectId).map((e) => this.environmentWithServices(e)),
        };
        if (this.v30) out.projectTags = [];
        return out;
    }

    /** application.one / application.delete: the row plus every relation the log shows. */
    applicationWithRelations(app: ApplicationRow): Record<string, unknown> {
        const env = this.store.environments.get(app.environmentId);
        const project = env ? this.store.projects.get(env.projectId) : undefined;
        const out: Record<string, unknown> = {
            ...app,
            environment: env ? { ...env, project: project ? copy(project) : null } : null,
            domains: this.store.domainsOf(app.applicationId).map(copy),
            // application.one embeds deployments unordered; insertion order is as good as any.
            deployments: this.store.deploymentsOf(app.applicationId).reverse().map(copy),
            mounts: [],
            redirects: [],
            security: [],
            ports: this.store.portsOf(app.applicationId).map(copy),
            registry: null,
            gitlab: null,
            github: null,
            bitbucket: null,
            gitea: null,
            server: null,
            previewDeployments: [],
        };
        if (this.v30) {
            out.buildRegistry = null;
            out.rollbackRegistry = null;
        }
        return out;
    }

    /** domain.one / byApplicationId: v0.25.6 embeds the full app row, v0.30.2 three keys. */
    domainWithApplication(domain: DomainRow): Record<string, unknown> {
        const app = domain.applicationId ? this.store.applications.get(domain.applicationId) : undefined;
        let application: unknown = null;
        if (app)
            application = this.v30
                ? { applicationId: app.applicationId, appName: app.appName, name: app.name }
                : copy(app);
        return { ...domain, application };
    }
}
