// The part of Dokploy's deployDockerImage/reload that touches Docker: build the service spec from
// the stored row (with the project's and environment's env for ${{...}} references), pull, then
// create or update the service. Log lines as Dokploy writes them for a docker-image app
// (real-rollout-log.md §1.2/§4.1: "Pulling <image>: ✅ … Docker Deployed: ✅"; v0.30.2 ends
// "✅ Pulling image completed."; §6 for the error line).
import type { FakeStore } from "../store";
import type { ApplicationRow, DokployVersion } from "../types";
import { envList, serviceSpec, type DeployResult, type ServiceSpec, type SwarmBackend } from "./model";

export function specFor(store: FakeStore, app: ApplicationRow): ServiceSpec {
    const environment = store.environments.get(app.environmentId);
    const project = environment ? store.projects.get(environment.projectId) : undefined;
    const env = envList(app.env, project?.env ?? "", environment?.env ?? "");
    return serviceSpec(app, env, 0);
}

export function serviceDeployer(
    store: FakeStore,
    swarm: SwarmBackend,
    version: DokployVersion,
): (app: ApplicationRow, opts?: { pull: boolean }) => Promise<DeployResult> {
    return async (app, opts = { pull: true }) => {
        const spec = specFor(store, app);
        const image = spec.TaskTemplate.ContainerSpec.Image;
        const result = await swarm.deploy(spec, opts);
        if (!result.ok) return result;
        const pulled = opts.pull ? [`Pulling ${image}: ✅`, `Status: Image is up to date for ${image}`] : [];
        const tail = version === "v0.30.2" ? ["✅ Pulling image completed."] : ["Docker Deployed: ✅"];
        return { ok: true, log: [...pulled, ...result.log, ...tail] };
    };
}
