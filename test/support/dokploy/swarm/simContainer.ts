// One simulated task container: start, Docker 20.10's health-check loop, stop. What it copies:
// - The first probe runs one Interval after the start, then every Interval, whatever the app
//   does (real-rollout-log.md §1.3: healthy at ≈ +31 s with the guide's 30 s Interval).
// - A failed probe inside StartPeriod is logged but not counted while the status is still
//   "starting"; Retries counted failures make it "unhealthy"; one success makes it "healthy"
//   (moby daemon/health.go handleProbeResult; log §1.4: 4 probes, first two not counted;
//   §4.2 v0.30.2: "starting", FailingStreak 0, Log[-1].ExitCode 1).
// - Health.Log keeps the last 5 results (health.go maxLogEntries).
// - A stopped container reports "unhealthy" even when it was healthy (log §4.4).
// - No health check configured (or Test ["NONE"]): no State.Health, running at once.
import type { SimClock } from "./clock";
import { containerId, containerStatusText, imageDigest, rfc3339, ZERO_TIME, type HealthStatus } from "./dockerText";
import type { ContainerSummary, HealthConfig } from "./model";

/** How an image's /api/health behaves (the test images of log §0: v1/v2 good, bad → 500, slow → 503 at first). */
export type ImageBehaviour =
    { health: "healthy" } | { health: "unhealthy" } | { health: "slow"; healthyAfterMs: number };

const NS_PER_MS = 1e6;
/** Duration of one health-check exec (the log's exec_die events come ≈ 50 ms after the probe start). */
const PROBE_MS = 50;
const MAX_LOG = 5;

interface ProbeResult {
    Start: string;
    End: string;
    ExitCode: number;
    Output: string;
}

export interface ContainerInit {
    name: string;
    image: string;
    env: string[];
    labels: Record<string, string>;
    healthConfig: HealthConfig | undefined;
    behaviour: ImageBehaviour;
}

export class SimContainer {
    readonly id = containerId();
    readonly createdAt: number;
    state: "created" | "running" | "exited" = "created";
    startedAt: number | undefined;
    finishedAt: number | undefined;
    exitCode = 0;
    health: { Status: HealthStatus; FailingStreak: number; Log: ProbeResult[] } | undefined;
    private cancelProbe: (() => void) | undefined;

    constructor(
        private readonly clock: SimClock,
        readonly init: ContainerInit,
        private readonly onHealth: (status: HealthStatus) => void,
    ) {
        this.createdAt = clock.now();
    }

    private get checks(): { interval: number; startPeriod: number; retries: number } | undefined {
        const hc = this.init.healthConfig;
        if (!hc?.Test || hc.Test.length === 0 || hc.Test[0] === "NONE") return undefined;
        // Docker's defaults for zero values: Interval 30 s, StartPeriod 0, Retries 3.
        return {
            interval: (hc.Interval || 30_000 * NS_PER_MS) / NS_PER_MS,
            startPeriod: (hc.StartPeriod || 0) / NS_PER_MS,
            retries: hc.Retries || 3,
        };
    }

    get hasHealthCheck(): boolean {
        return this.checks !== undefined;
    }

    start(): void {
        this.state = "running";
        this.startedAt = this.clock.now();
        const checks = this.checks;
        if (!checks) return;
        this.health = { Status: "starting", FailingStreak: 0, Log: [] };
        this.scheduleProbe(checks.interval);
    }

    private scheduleProbe(delay: number): void {
        this.cancelProbe = this.clock.after(delay, () => this.probe());
    }

    private probe(): void {
        const checks = this.checks;
        if (this.state !== "running" || !checks || !this.health || this.startedAt === undefined) return;
        const start = this.clock.now();
        const { ok, output } = this.answer(start - this.startedAt);
        this.cancelProbe = this.clock.after(PROBE_MS, () => {
            const h = this.health;
            if (this.state !== "running" || !h || this.startedAt === undefined) return;
            h.Log.push({ Start: rfc3339(start), End: rfc3339(this.clock.now()), ExitCode: ok ? 0 : 1, Output: output });
            if (h.Log.length > MAX_LOG) h.Log.shift();
            const before = h.Status;
            if (ok) {
                h.FailingStreak = 0;
                h.Status = "healthy";
            } else if (!(h.Status === "starting" && start - this.startedAt < checks.startPeriod)) {
                h.FailingStreak++;
                if (h.FailingStreak >= checks.retries) h.Status = "unhealthy";
            }
            if (h.Status !== before) this.onHealth(h.Status);
            this.scheduleProbe(checks.interval - PROBE_MS);
        });
    }

    /** The stand-in curl's result for the image's behaviour at `ageMs` after start (log §0). */
    private answer(ageMs: number): { ok: boolean; output: string } {
        const b = this.init.behaviour;
        if (b.health === "unhealthy")
            return { ok: false, output: "wget: server returned error: HTTP/1.1 500 Internal Server Error" };
        if (b.health === "slow" && ageMs < b.healthyAfterMs)
            return { ok: false, output: "wget: server returned error: HTTP/1.1 503 Service Unavailable" };
        return { ok: true, output: JSON.stringify(this.healthBody()) };
    }

    /** What the app's /api/health answers: {"status":"ok","version":<tag>,"marker":<APP_MARKER or m0>,"host":<id>}. */
    healthBody(): { status: string; version: string; marker: string; host: string } {
        const tag = this.init.image.includes(":")
            ? this.init.image.slice(this.init.image.lastIndexOf(":") + 1)
            : "latest";
        const marker = this.init.env.find((e) => e.startsWith("APP_MARKER="))?.slice("APP_MARKER=".length) ?? "m0";
        return { status: "ok", version: tag, marker, host: this.id.slice(0, 12) };
    }

    /** SIGTERM: tini forwards it and the app exits at once with 143 (log §8). */
    kill(exitCode = 143): void {
        if (this.state === "exited") return;
        this.cancelProbe?.();
        this.exitCode = this.startedAt === undefined ? 0 : exitCode;
        this.state = "exited";
        this.finishedAt = this.clock.now();
        if (this.health) this.health.Status = "unhealthy";
    }

    summary(now: number): ContainerSummary {
        return {
            Id: this.id,
            Names: [`/${this.init.name}`],
            Image: this.init.image,
            State: this.state,
            Status: containerStatusText(
                this.state,
                now,
                this.startedAt,
                this.finishedAt,
                this.exitCode,
                this.health?.Status,
            ),
            Labels: { ...this.init.labels },
            Created: Math.floor(this.createdAt / 1000),
        };
    }

    /** `docker inspect` (20.10), with the fields a client reads filled in and the rest plausible. */
    inspect(): Record<string, unknown> {
        const hc = this.init.healthConfig;
        return {
            Id: this.id,
            Created: rfc3339(this.createdAt),
            Path: "/sbin/tini",
            Args: ["--", "/bin/app-server"],
            State: {
                Status: this.state,
                Running: this.state === "running",
                Paused: false,
                Restarting: false,
                OOMKilled: false,
                Dead: false,
                Pid: this.state === "running" ? 4242 : 0,
                ExitCode: this.exitCode,
                Error: "",
                StartedAt: this.startedAt === undefined ? ZERO_TIME : rfc3339(this.startedAt),
                FinishedAt: this.finishedAt === undefined ? ZERO_TIME : rfc3339(this.finishedAt),
                ...(this.health ? { Health: structuredClone(this.health) } : {}),
            },
            Image: imageDigest(this.init.image),
            Name: `/${this.init.name}`,
            RestartCount: 0,
            Driver: "overlay2",
            Platform: "linux",
            HostConfig: { NetworkMode: "default", RestartPolicy: { Name: "", MaximumRetryCount: 0 } },
            Mounts: [],
            Config: {
                Hostname: this.id.slice(0, 12),
                Env: [...this.init.env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                Cmd: ["/bin/app-server"],
                ...(hc ? { Healthcheck: { ...hc } } : {}),
                Image: this.init.image,
                Entrypoint: ["/sbin/tini", "--"],
                Labels: { ...this.init.labels },
            },
            NetworkSettings: { Networks: {} },
        };
    }
}
