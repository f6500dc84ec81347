/**
 * Is a real engine here, and can one be started? engine-up.sh does the starting (and reuses an
 * engine already up at ENGINE_DIR); this file only bounds it in time and turns failures into a
 * reason a skipped suite can print.
 */
import { join } from "node:path";
import { docker } from "./docker";
import { DOCKER_HOST, ENGINE_DIR, NETWORK, REGISTRY, SCRIPTS_DIR } from "./env";

export type EngineState =
    { readonly ok: true; readonly dockerHost: string } | { readonly ok: false; readonly reason: string };

/** Upper bound for engine-up.sh: apt-get update + install on a fresh machine takes ~20-60 s. */
const ENGINE_UP_TIMEOUT_MS = Number(process.env.ENGINE_UP_TIMEOUT_MS ?? 300_000);

let ensured: Promise<EngineState> | undefined;

/** The state ensureEngine() settled on, or undefined when it was not called yet (for cleanup hooks). */
export async function settledEngine(): Promise<EngineState | undefined> {
    return ensured === undefined ? undefined : ensured;
}

/** Checks without starting anything: dockerd answers, swarm is active, the network and registry exist. */
export async function engineAvailable(): Promise<EngineState> {
    if (process.platform !== "linux") return { ok: false, reason: `needs Linux (this is ${process.platform})` };
    try {
        const info = await docker(["info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"], {
            timeoutMs: 15_000,
            allowFailure: true,
        });
        if (info.exitCode !== 0) {
            return { ok: false, reason: `no Docker engine answering on ${DOCKER_HOST}: ${firstLine(info.stderr)}` };
        }
        if (info.stdout.trim() !== "active true") {
            return { ok: false, reason: `swarm not an active manager (${info.stdout.trim()})` };
        }
        await docker(["network", "inspect", NETWORK, "--format", "{{.Id}}"], { timeoutMs: 15_000 });
        const registry = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(5_000) });
        if (!registry.ok) return { ok: false, reason: `registry ${REGISTRY} answered ${registry.status}` };
        return { ok: true, dockerHost: DOCKER_HOST };
    } catch (err) {
        return { ok: false, reason: err instanceof Error ? firstLine(err.message) : String(err) };
    }
}

/**
 * The engine, started by engine-up.sh if it is not up (once per process; later calls share the
 * result). Resolves with a reason instead of throwing when it cannot be had. ENGINE_NO_START=1
 * only checks.
 */
export function ensureEngine(): Promise<EngineState> {
    ensured ??= (async (): Promise<EngineState> => {
        const now = await engineAvailable();
        if (now.ok || process.env.ENGINE_NO_START === "1" || process.platform !== "linux") return now;
        const { execa } = await import("execa");
        const up = await execa("bash", [join(SCRIPTS_DIR, "engine-up.sh")], {
            env: { ...process.env, ENGINE_DIR },
            reject: false,
            timeout: ENGINE_UP_TIMEOUT_MS,
            all: true,
        });
        if (up.exitCode !== 0) {
            const tail = String(up.all ?? "")
                .trim()
                .split("\n")
                .slice(-3)
                .join(" | ");
            const why = up.timedOut ? `timed out after ${ENGINE_UP_TIMEOUT_MS} ms` : `exit ${up.exitCode}`;
            return { ok: false, reason: `engine-up.sh ${why}: ${tail || up.shortMessage}` };
        }
        return engineAvailable();
    })();
    return ensured;
}

function firstLine(text: string): string {
    return text.trim().split("\n")[0] ?? text;
}
