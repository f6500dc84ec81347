/** Reading a swarm service's rollout state from the engine (what `docker service inspect` shows). */
import { docker, dockerJson } from "./docker";
import { settledEngine } from "./start";
import { waitFor } from "./wait";

export interface UpdateStatus {
    readonly State?: string;
    readonly Message?: string;
}

/** Swarm's UpdateStatus of a service (undefined before its first update). */
export async function updateStatus(service: string): Promise<UpdateStatus | undefined> {
    const status = await dockerJson<UpdateStatus | null>([
        "service",
        "inspect",
        service,
        "--format",
        "{{json .UpdateStatus}}",
    ]);
    return status ?? undefined;
}

/** The image of the service's current spec (flips back when Swarm rolls back). */
export async function specImage(service: string): Promise<string> {
    const out = await docker(["service", "inspect", service, "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}"]);
    return out.stdout.trim();
}

/** Running containers of the service and the image each runs (what `docker ps` shows). */
export async function runningImages(service: string): Promise<string[]> {
    const out = await docker([
        "ps",
        "--filter",
        `label=com.docker.swarm.service.name=${service}`,
        "--format",
        "{{.Image}}",
    ]);
    return out.stdout.split("\n").filter((l) => l !== "");
}

/**
 * Removes services (ignoring absent ones) and waits until their containers are gone. Does nothing
 * where no engine was had, so `after` hooks of a skipped suite pass.
 */
export async function removeServices(...names: string[]): Promise<void> {
    if ((await settledEngine())?.ok !== true) return;
    for (const name of names) await docker(["service", "rm", name], { allowFailure: true });
    for (const name of names) await waitForNoContainers(name);
}

/** Swarm removes a service's containers asynchronously; wait until they are gone. */
export async function waitForNoContainers(serviceName: string, deadlineMs = 60_000): Promise<void> {
    await waitFor(
        async () =>
            (await docker(["ps", "-aq", "--filter", `label=com.docker.swarm.service.name=${serviceName}`])).stdout ===
            "",
        { deadlineMs, what: `containers of ${serviceName} to be removed` },
    );
}

/** `docker rm -f` of plain containers, ignoring absent ones; nothing where no engine was had. */
export async function removeContainers(...names: string[]): Promise<void> {
    if ((await settledEngine())?.ok !== true || names.length === 0) return;
    await docker(["rm", "--force", ...names], { allowFailure: true });
}
