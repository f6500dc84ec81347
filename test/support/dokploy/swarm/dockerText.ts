// Docker's own texts and identifiers, so simulated answers read like the engine's:
// HumanDuration (github.com/docker/go-units duration.go), the container Status column
// (moby container/state.go State.String), `docker service ps` CURRENT STATE
// (docker/cli formatter: PrettyPrint(state) + lower-cased HumanDuration + " ago"), and ids
// (containers: 64 hex, shown as 12; swarm objects: 25 of [a-z0-9], shown as 12 unless --no-trunc).
import { randomBytes } from "node:crypto";

export function humanDuration(ms: number): string {
    const seconds = Math.floor(ms / 1000);
    if (seconds < 1) return "Less than a second";
    if (seconds === 1) return "1 second";
    if (seconds < 60) return `${seconds} seconds`;
    const minutes = Math.floor(seconds / 60);
    if (minutes === 1) return "About a minute";
    if (minutes < 60) return `${minutes} minutes`;
    const hours = Math.floor(ms / 3_600_000 + 0.5);
    if (hours === 1) return "About an hour";
    if (hours < 48) return `${hours} hours`;
    return `${Math.floor(hours / 24)} days`;
}

export type HealthStatus = "starting" | "healthy" | "unhealthy";

/** `docker ps` STATUS: "Up 37 seconds (healthy)", "Up Less than a second (health: starting)", "Exited (143) 32 seconds ago". */
export function containerStatusText(
    state: "created" | "running" | "exited",
    now: number,
    startedAt: number | undefined,
    finishedAt: number | undefined,
    exitCode: number,
    health: HealthStatus | undefined,
): string {
    if (state === "created") return "Created";
    if (state === "exited") return `Exited (${exitCode}) ${humanDuration(now - (finishedAt ?? now))} ago`;
    const suffix = health === undefined ? "" : health === "starting" ? " (health: starting)" : ` (${health})`;
    return `Up ${humanDuration(now - (startedAt ?? now))}${suffix}`;
}

/** `docker service ps` CURRENT STATE: "Running 36 seconds ago", "Failed 33 seconds ago", "Running about a minute ago". */
export function taskCurrentStateText(state: string, now: number, since: number): string {
    const pretty = state.charAt(0).toUpperCase() + state.slice(1);
    return `${pretty} ${humanDuration(now - since).toLowerCase()} ago`;
}

/** RFC 3339 as the Engine API prints it (UTC). */
export function rfc3339(ms: number): string {
    return new Date(ms).toISOString();
}

/** Docker's zero time, used for StartedAt/FinishedAt that never happened. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

export function containerId(): string {
    return randomBytes(32).toString("hex");
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Swarm object ids: 25 characters of [a-z0-9] (e.g. "yaqfd1u3smjocv68c9b5l1ldx"). */
export function swarmId(): string {
    const bytes = randomBytes(25);
    let out = "";
    for (let i = 0; i < 25; i++) out += LOWER_ALNUM[bytes[i]! % LOWER_ALNUM.length];
    return out;
}

export function imageDigest(image: string): string {
    // Stable per image reference, like an image id (sha256 of its config).
    let h = 0;
    for (const c of image) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return `sha256:${h.toString(16).padStart(8, "0").repeat(8)}`;
}
