// The pure rollout evaluator, fed with sequences of Dokploy's real answers during real rollouts
// (test/rolloutLog.ts; each test names the section of real-rollout-log.md it copies).
import { expect } from "chai";
import {
    evaluateRollout,
    Evaluation,
    INITIAL_STATE,
    RolloutSnapshot,
    WatchContext,
    WatchState,
} from "../components/dokploy/rollout/evaluate";
import { rolloutDeadline } from "../components/dokploy/rollout/deadline";
import { settingsFromApplication } from "../components/dokploy/rollout/settings";
import { sameImage } from "../components/dokploy/rollout/images";
import { parseServiceTaskRows } from "../components/dokploy/rollout/wire";
import { RolloutEvent, RolloutSettings } from "../components/dokploy/rollout/types";
import { Ctr, IMG, T0, at, probes, settingsOf, snapshot } from "./rolloutLog";

function context(
    appName: string,
    expectedImage: string,
    baseline: string[],
    settings: RolloutSettings,
    over: Partial<WatchContext> = {},
): WatchContext {
    const d = rolloutDeadline(settings);
    return {
        appName,
        expectedImage,
        baselineContainerIds: baseline,
        settings,
        firstDeploy: false,
        startedAt: T0,
        deadlineMs: d.ms,
        deadlineText: d.text,
        completionMarginMs: 1000,
        ...over,
    };
}

interface Run {
    readonly last: Evaluation;
    /** The snapshot time (s after T0) at which the outcome came, if any. */
    readonly decidedAt?: number;
    readonly events: RolloutEvent[];
    readonly tasksAsked: number;
}

/** Feeds the snapshots in order, as watch.ts does (tasks read in the same poll when asked). */
function run(ctx: WatchContext, steps: { snap: RolloutSnapshot; tasks?: Record<string, unknown>[] }[]): Run {
    let state: WatchState = INITIAL_STATE;
    const events: RolloutEvent[] = [];
    let tasksAsked = 0;
    let last: Evaluation | undefined;
    for (const { snap, tasks } of steps) {
        let r = evaluateRollout(ctx, state, snap);
        if (r.wantsTasks) {
            tasksAsked++;
            r = evaluateRollout(ctx, state, { ...snap, tasks: parseServiceTaskRows(tasks ?? []) });
        }
        state = r.state;
        events.push(...r.events);
        last = r;
        if (r.outcome) return { last: r, decidedAt: (snap.at - T0) / 1000, events, tasksAsked };
    }
    return { last: last!, events, tasksAsked };
}

const kinds = (events: RolloutEvent[]): string[] => events.map((e) => e.kind);

describe("rollout evaluator (pure, real Dokploy answers)", () => {
    describe("§4.2/§4.3 v0.25.6, guide check, v1 → bad (rollout-facts-kggbx7)", () => {
        const app = "rollout-facts-kggbx7";
        const v1: Ctr = {
            id: "626f241109d1",
            name: `${app}.1.zj1yeuw6lsetnj3ynl9xg7cb7`,
            image: IMG("v1"),
            state: "running",
            health: "healthy",
            probes: probes(1, 121, 30, true),
        };
        const bad = (over: Partial<Ctr>): Ctr => ({
            id: "fc7c87d4feab",
            name: `${app}.1.myg8v6e8rz2hvpptvm1t6bvfn`,
            image: IMG("bad"),
            state: "running",
            health: "starting",
            streak: 0,
            ...over,
        });
        const replacement = (state: Ctr["state"]): Ctr => ({
            id: "46170af3ce61",
            name: `${app}.1.j1tx2vzbn3wgs2r07hw9og4bu`,
            image: IMG("bad"),
            state,
            health: "starting",
            streak: 0,
            exitCode: state === "exited" ? 143 : 0,
        });
        const tasks = [
            { containerId: "j1tx2vzbn3wg", name: `${app}.1`, state: "ready", node: "vm" },
            { containerId: "myg8v6e8rz2h", name: `${app}.1`, state: "shutdown", node: "vm" },
            { containerId: "zj1yeuw6lset", name: `${app}.1`, state: "running", node: "vm" },
        ];
        const steps = [
            { snap: snapshot(0.8, IMG("bad"), app, [bad({}), v1]) },
            { snap: snapshot(62.6, IMG("bad"), app, [bad({ streak: 1, probes: probes(31, 61, 30, false) }), v1]) },
            { snap: snapshot(91.8, IMG("bad"), app, [bad({ streak: 2, probes: probes(31, 91, 30, false) }), v1]) },
            {
                snap: snapshot(121.8, IMG("bad"), app, [
                    bad({ health: "unhealthy", streak: 3, probes: probes(31, 121, 30, false) }),
                    v1,
                ]),
                tasks,
            },
            {
                snap: snapshot(123.9, IMG("bad"), app, [
                    bad({ state: "exited", health: "unhealthy", streak: 3, probes: probes(31, 121, 30, false) }),
                    v1,
                ]),
                tasks,
            },
            {
                snap: snapshot(130.3, IMG("bad"), app, [
                    replacement("running"),
                    bad({ state: "exited", health: "unhealthy", streak: 3, exitCode: 143 }),
                    v1,
                ]),
            },
            {
                snap: snapshot(134.9, IMG("v1"), app, [
                    replacement("running"),
                    bad({ state: "exited", health: "unhealthy", streak: 3, exitCode: 143 }),
                    v1,
                ]),
            },
        ];

        it("is not decided at Dokploy's done, nor while Swarm waits Delay; rolled back when the spec flips to v1", () => {
            const ctx = context(app, IMG("bad"), ["626f241109d1"], settingsOf("guide"));
            const r = run(ctx, steps);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.decidedAt).to.equal(134.9);
            expect(r.last.servingImage).to.equal(IMG("v1"));
            expect(r.last.reason).to.include("unhealthy container");
            expect(r.last.reason).to.include("HTTP/1.1 500 Internal Server Error");
            expect(kinds(r.events)).to.include.members([
                "task_started",
                "task_unhealthy",
                "task_failed",
                "rollback_started",
                "rolled_back",
            ]);
            expect(kinds(r.events)).to.not.include("completed");
            expect(r.tasksAsked).to.be.within(1, 2);
        });

        it("without the spec flip (not yet seen) it still fails, Delay + 15 s after the failure", () => {
            const ctx = context(app, IMG("bad"), ["626f241109d1"], settingsOf("guide"));
            const noFlip = steps.slice(0, 6).concat([
                {
                    snap: snapshot(147, IMG("bad"), app, [
                        bad({ state: "exited", health: "unhealthy", streak: 3 }),
                        v1,
                    ]),
                },
            ]);
            const r = run(ctx, noFlip);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.decidedAt).to.equal(147);
        });
    });

    describe("§4.2/§4.3 v0.30.2, short check, v2 → bad (rollout-facts-uzx4mk)", () => {
        const app = "rollout-facts-uzx4mk";
        const v2: Ctr = {
            id: "90b51186e514",
            name: `${app}.1.cy9piyzf6v4h8y7fdm1d5rb0o`,
            image: IMG("v2"),
            state: "running",
            health: "healthy",
            probes: probes(0, 16, 2, true),
            status: "Up 37 seconds (healthy)",
        };
        const v1: Ctr = {
            id: "cad812bf1e60",
            name: `${app}.1.z1892arulfev4isa83b7afg2y`,
            image: IMG("v1"),
            state: "exited",
            health: "unhealthy",
            exitCode: 143,
            status: "Exited (143) 32 seconds ago",
        };
        const bad = (over: Partial<Ctr>): Ctr => ({
            id: "a97e04647132",
            name: `${app}.1.yaqfd1u3smjocv68c9b5l1ldx`,
            image: IMG("bad"),
            state: "running",
            health: "starting",
            streak: 0,
            probes: [{ t: 2.3, ok: false }],
            status: "Up Less than a second (health: starting)",
            ...over,
        });
        const tasks = [
            {
                containerId: "yaqfd1u3smjocv68c9b5l1ldx",
                name: `${app}.1`,
                state: "shutdown",
                currentState: "Failed 1 second ago",
                node: "vm",
                error: '"task: non-zero exit (143): dockerexec: unhealthy container"',
            },
            {
                containerId: "cy9piyzf6v4h8y7fdm1d5rb0o",
                name: `${app}.1`,
                state: "running",
                currentState: "Running 36 seconds ago",
                node: "vm",
                error: "",
            },
            {
                containerId: "z1892arulfev4isa83b7afg2y",
                name: `${app}.1`,
                state: "shutdown",
                currentState: "Shutdown 32 seconds ago",
                node: "vm",
                error: "Error:",
            },
        ];
        const exitedBad = bad({
            state: "exited",
            health: "unhealthy",
            streak: 2,
            exitCode: 143,
            probes: probes(2.3, 14.3, 2, false),
            status: "Exited (143) Less than a second ago",
        });

        it("names Swarm's task error and the serving version when the spec flips back", () => {
            const ctx = context(app, IMG("bad"), ["90b51186e514", "cad812bf1e60"], settingsOf("short"));
            const r = run(ctx, [
                { snap: snapshot(2.42, IMG("bad"), app, [bad({}), v2, v1]) },
                {
                    snap: snapshot(11.5, IMG("bad"), app, [
                        bad({ streak: 1, probes: probes(2.3, 10.3, 2, false) }),
                        v2,
                        v1,
                    ]),
                },
                { snap: snapshot(16.0, IMG("bad"), app, [exitedBad, v2, v1]), tasks },
                { snap: snapshot(20.0, IMG("bad"), app, [exitedBad, v2, v1]) },
                { snap: snapshot(25.32, IMG("v2"), app, [exitedBad, v2, v1]) },
            ]);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.decidedAt).to.equal(25.32);
            expect(r.last.reason).to.include("task: non-zero exit (143): dockerexec: unhealthy container");
            expect(r.last.reason).to.not.include('"task');
            expect(r.last.servingImage).to.equal(IMG("v2"));
            expect(r.tasksAsked).to.equal(1);
        });

        it("a failure first seen while the container still runs gets Swarm's words once its task failed", () => {
            const ctx = context(app, IMG("bad"), ["90b51186e514", "cad812bf1e60"], settingsOf("short"));
            const stillRunning = bad({ health: "unhealthy", streak: 2, probes: probes(2.3, 14.3, 2, false) });
            const runningTasks = tasks.map((t, i) => (i === 0 ? { ...t, state: "running", error: "" } : t));
            const r = run(ctx, [
                { snap: snapshot(14.4, IMG("bad"), app, [stillRunning, v2, v1]), tasks: runningTasks },
                { snap: snapshot(16.0, IMG("bad"), app, [exitedBad, v2, v1]), tasks },
                { snap: snapshot(25.32, IMG("v2"), app, [exitedBad, v2, v1]) },
            ]);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.last.reason).to.include("task: non-zero exit (143): dockerexec: unhealthy container");
            expect(r.tasksAsked).to.equal(2);
        });

        it("an exited old container that reports 'unhealthy' (§4.4) is not a failure of the new one", () => {
            // Good update a (v1 → v2), §2 v030-bad-short-2/a: healthy +3.59, old gone ≈ +6.6, completed +24.63.
            const ctx = context(app, IMG("v2"), ["cad812bf1e60"], settingsOf("short"));
            const v2at = (t: number, first = 3.59): Ctr => ({ ...v2, probes: probes(first, t, 2, true) });
            const v1running: Ctr = { ...v1, state: "running", health: "healthy", probes: probes(0, 3, 2, true) };
            const starting: Ctr = { ...v2, health: "starting", probes: [], status: "Up 1 second (health: starting)" };
            const r = run(ctx, [
                { snap: snapshot(1.7, IMG("v2"), app, [starting, v1running]) },
                { snap: snapshot(3.8, IMG("v2"), app, [v2at(3.59), v1running]) },
                { snap: snapshot(7.0, IMG("v2"), app, [v2at(5.59), v1]) },
                { snap: snapshot(15.7, IMG("v2"), app, [v2at(15.59), v1]) },
                { snap: snapshot(23.7, IMG("v2"), app, [v2at(23.59), v1]) },
                { snap: snapshot(25.7, IMG("v2"), app, [v2at(25.59), v1]) },
            ]);
            expect(r.last.outcome).to.equal("completed");
            // Not before Swarm's `completed` (+24.63), and not later than one poll after it.
            expect(r.decidedAt).to.equal(25.7);
            expect(r.last.servingImage).to.equal(IMG("v2"));
            expect(kinds(r.events)).to.deep.equal(["task_started", "task_healthy", "old_task_stopped", "completed"]);
            const healthy = r.events.find((e) => e.kind === "task_healthy")!;
            expect(healthy.at - T0).to.be.within(3590, 3800);
        });
    });

    describe("§5 env-only change (c1 redeploy, v0.25.6 short check; container ids not recorded there)", () => {
        const app = "rollout-facts-zmfwt6";
        const old: Ctr = {
            id: "0e1d2c3b4a59",
            name: `${app}.1.k3m4n5p6q7r8s9t0u1v2w3x4y`,
            image: IMG("v2"),
            state: "running",
            health: "healthy",
            probes: probes(0, 4, 2, true),
        };
        const fresh = (over: Partial<Ctr>): Ctr => ({
            id: "5a6b7c8d9e0f",
            name: `${app}.1.a1b2c3d4e5f6g7h8i9j0k1l2m`,
            image: IMG("v2"),
            state: "running",
            health: "starting",
            ...over,
        });

        it("the same image is not success until a NEW container is healthy and the old one is gone", () => {
            const ctx = context(app, IMG("v2"), [old.id], settingsOf("short"));
            const before = run(ctx, [{ snap: snapshot(0.4, IMG("v2"), app, [old]) }]);
            expect(before.last.outcome).to.equal(undefined);
            const r = run(ctx, [
                { snap: snapshot(0.4, IMG("v2"), app, [old]) },
                { snap: snapshot(1.5, IMG("v2"), app, [fresh({}), old]) },
                {
                    snap: snapshot(3.1, IMG("v2"), app, [
                        fresh({ health: "healthy", probes: [{ t: 2.98, ok: true }] }),
                        old,
                    ]),
                },
                {
                    snap: snapshot(6.5, IMG("v2"), app, [
                        fresh({ health: "healthy", probes: probes(2.98, 4.98, 2, true) }),
                        { ...old, state: "exited", health: "unhealthy", exitCode: 143 },
                    ]),
                },
                {
                    snap: snapshot(24.5, IMG("v2"), app, [
                        fresh({ health: "healthy", probes: probes(2.98, 22.98, 2, true) }),
                        { ...old, state: "exited", health: "unhealthy", exitCode: 143 },
                    ]),
                },
            ]);
            expect(r.last.outcome).to.equal("completed");
            expect(r.decidedAt).to.equal(24.5);
        });

        it("a new container failing its health check is a rollback although the image never flips (§1.4 short timings)", () => {
            const ctx = context(app, IMG("v2"), [old.id], settingsOf("short"));
            const failing = fresh({
                state: "exited",
                health: "unhealthy",
                streak: 2,
                exitCode: 143,
                probes: probes(3.4, 9.4, 2, false),
            });
            const r = run(ctx, [
                { snap: snapshot(1.5, IMG("v2"), app, [fresh({}), old]) },
                { snap: snapshot(11.6, IMG("v2"), app, [failing, old]) },
            ]);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.decidedAt).to.equal(11.6);
            expect(r.last.reason).to.include("unhealthy container");
            expect(r.last.servingImage).to.equal(IMG("v2"));
        });

        it("with failureAction pause the same failure is a paused update", () => {
            const s = settingsOf("short");
            const ctx = context(app, IMG("bad"), [old.id], { ...s, update: { ...s.update, failureAction: "pause" } });
            const r = run(ctx, [
                {
                    snap: snapshot(11.6, IMG("bad"), app, [
                        fresh({ image: IMG("bad"), state: "exited", health: "unhealthy", streak: 2, exitCode: 143 }),
                        old,
                    ]),
                },
            ]);
            expect(r.last.outcome).to.equal("paused");
        });
    });

    describe("§2 v025-r2-short: 2 replicas", () => {
        const app = "rollout-facts-r2r2r2";
        const mk = (id: string, slot: number, image: string, over: Partial<Ctr> = {}): Ctr => ({
            id,
            name: `${app}.${slot}.${id}task0000000000a`,
            image,
            state: "running",
            health: "healthy",
            probes: probes(0, 2, 2, true),
            ...over,
        });
        const o1 = mk("aaaaaaaaaaa1", 1, IMG("v1"));
        const o2 = mk("aaaaaaaaaaa2", 2, IMG("v1"));
        const gone = (c: Ctr): Ctr => ({ ...c, state: "exited", health: "unhealthy", exitCode: 143 });

        it("a: completes only after slot 2 is replaced (10 s later) and its Delay + Monitor passed", () => {
            const ctx = context(app, IMG("v2"), [o1.id, o2.id], settingsOf("short", 2));
            const n1 = (t: number): Ctr => mk("bbbbbbbbbbb1", 1, IMG("v2"), { probes: probes(2.89, t, 2, true) });
            const n2 = (t: number): Ctr => mk("bbbbbbbbbbb2", 2, IMG("v2"), { probes: probes(15.9, t, 2, true) });
            const r = run(ctx, [
                { snap: snapshot(3.0, IMG("v2"), app, [n1(2.89), o1, o2]) },
                { snap: snapshot(7.0, IMG("v2"), app, [n1(6.89), gone(o1), o2]) },
                // One new task healthy, one old still serving: not done, whatever the time.
                { snap: snapshot(14.0, IMG("v2"), app, [n1(12.89), gone(o1), o2]) },
                { snap: snapshot(16.0, IMG("v2"), app, [n2(15.9), n1(14.89), gone(o1), o2]) },
                { snap: snapshot(20.0, IMG("v2"), app, [n2(19.9), n1(18.89), gone(o1), gone(o2)]) },
                { snap: snapshot(36.0, IMG("v2"), app, [n2(35.9), n1(34.89), gone(o1), gone(o2)]) },
                { snap: snapshot(37.2, IMG("v2"), app, [n2(35.9), n1(36.89), gone(o1), gone(o2)]) },
            ]);
            expect(r.last.outcome).to.equal("completed");
            expect(r.decidedAt).to.equal(37.2);
        });

        it("b: the rollback starts 0.3 s after the failure and is seen as the spec flip", () => {
            const ctx = context(app, IMG("bad"), [o1.id, o2.id], settingsOf("short", 2));
            const b1 = mk("ccccccccccc1", 1, IMG("bad"), {
                state: "exited",
                health: "unhealthy",
                streak: 2,
                exitCode: 143,
                probes: probes(3.4, 9.4, 2, false),
            });
            const r = run(ctx, [
                { snap: snapshot(9.5, IMG("bad"), app, [b1, o1, o2]) },
                { snap: snapshot(12.0, IMG("v1"), app, [b1, o1, o2]) },
            ]);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.decidedAt).to.equal(12.0);
            expect(r.last.servingImage).to.equal(IMG("v1"));
        });
    });

    describe("§2 v025-main-short/d: v2 → slow under the short check (503 for 15 s)", () => {
        it("unhealthy at +9.16 s, rolled back when the spec flips at +21.36 s; v2 serves throughout", () => {
            const app = "rollout-facts-zmfwt6";
            const v2: Ctr = {
                id: "0f0f0f0f0f0f",
                name: `${app}.1.v2v2v2v2v2v2v2v2v2v2v2v2v`,
                image: IMG("v2"),
                state: "running",
                health: "healthy",
                probes: probes(0, 20, 2, true),
            };
            const slow = (over: Partial<Ctr>): Ctr => ({
                id: "5105105105aa",
                name: `${app}.1.s1s1s1s1s1s1s1s1s1s1s1s1s`,
                image: IMG("slow"),
                state: "running",
                health: "starting",
                ...over,
            });
            const ctx = context(app, IMG("slow"), [v2.id], settingsOf("short"));
            const r = run(ctx, [
                { snap: snapshot(0.4, IMG("slow"), app, [slow({}), v2]) },
                {
                    snap: snapshot(9.3, IMG("slow"), app, [
                        slow({ health: "unhealthy", streak: 2, probes: probes(3.16, 9.16, 2, false) }),
                        v2,
                    ]),
                },
                {
                    snap: snapshot(11.5, IMG("slow"), app, [
                        slow({ state: "exited", health: "unhealthy", streak: 2, exitCode: 143 }),
                        v2,
                    ]),
                },
                { snap: snapshot(16.5, IMG("slow"), app, [slow({ state: "exited", exitCode: 143 }), v2]) },
                { snap: snapshot(21.5, IMG("v2"), app, [slow({ state: "exited", exitCode: 143 }), v2]) },
            ]);
            expect(r.last.outcome).to.equal("rolled_back");
            expect(r.decidedAt).to.equal(21.5);
            expect(r.last.servingImage).to.equal(IMG("v2"));
            expect(r.last.reason).to.include("unhealthy container");
        });
    });

    describe("deadline and traps", () => {
        const app = "rollout-facts-mejoou";
        const old: Ctr = {
            id: "4b0d22017871",
            name: `${app}.1.ed37uf1sy73n0000000000000`,
            image: IMG("v2"),
            state: "running",
            health: "healthy",
            probes: probes(0, 30, 30, true),
        };

        it("§2 v025-guide/d (slow, healthy at +31 s) fails at a deadline shorter than that, naming what is missing", () => {
            const ctx = context(app, IMG("slow"), [old.id], settingsOf("guide"), { deadlineMs: 20_000 });
            const slow: Ctr = {
                id: "dddddddddddd",
                name: `${app}.1.n1tbkudolefu0000000000000`,
                image: IMG("slow"),
                state: "running",
                health: "starting",
            };
            const r = run(ctx, [
                { snap: snapshot(1.0, IMG("slow"), app, [slow, old]) },
                { snap: snapshot(20.0, IMG("slow"), app, [slow, old]) },
            ]);
            expect(r.last.outcome).to.equal("deadline");
            expect(r.last.reason).to.include("0 of 1 new task(s) healthy").and.include("1 old task(s) still running");
            expect(r.last.servingImage).to.equal(IMG("v2"));
        });

        it("a still-starting bad task of an earlier rollout in the baseline is not reported as serving (§8: only healthy tasks are in DNS)", () => {
            const leftover: Ctr = {
                id: "bad0bad0bad0",
                name: `${app}.1.b4db4db4db4db4db4db4db4db`,
                image: IMG("bad"),
                state: "running",
                health: "starting",
            };
            const ctx = context(app, IMG("slow"), [old.id, leftover.id], settingsOf("guide"), { deadlineMs: 20_000 });
            const slow: Ctr = {
                id: "dddddddddddd",
                name: `${app}.1.n1tbkudolefu0000000000000`,
                image: IMG("slow"),
                state: "running",
                health: "starting",
            };
            const r = run(ctx, [
                { snap: snapshot(1.0, IMG("slow"), app, [slow, leftover, old]) },
                { snap: snapshot(20.0, IMG("slow"), app, [slow, leftover, old]) },
            ]);
            expect(r.last.outcome).to.equal("deadline");
            expect(r.last.servingImage).to.equal(IMG("v2"));
        });

        it("another app whose name starts with ours (§4.4 grep) is ignored, in containers and services", () => {
            const ctx = context(app, IMG("v3"), [old.id], settingsOf("short"));
            const other: Ctr = {
                ...old,
                id: "eeeeeeeeeeee",
                name: `${app}-2.1.zzzzzzzzzzzz0000000000000`,
                image: IMG("bad"),
                state: "exited",
                health: "unhealthy",
                streak: 3,
                exitCode: 143,
            };
            const otherService = {
                ID: "x",
                Image: IMG("v1"),
                Mode: "replicated",
                Name: `${app}-2`,
                Ports: "",
                Replicas: "1/1",
            };
            const r = run(ctx, [{ snap: snapshot(1.0, IMG("v3"), app, [other, old], undefined, [otherService]) }]);
            expect(r.last.outcome).to.equal(undefined);
            expect(kinds(r.events)).to.deep.equal([]);
        });
    });
});

describe("rollout deadline and settings", () => {
    it("derives the deadline from the guide settings and names every part", () => {
        const d = rolloutDeadline(settingsOf("guide"));
        // 60 pull + (40 start + 30 × (3 + 1) + 10 timeout + 10 delay) + 60 monitor + 10 settle
        expect(d.ms).to.equal(310_000);
        expect(d.text).to.include("start period 40 s").and.include("monitor 60 s").and.include("interval 30 s");
        const two = rolloutDeadline(settingsOf("short", 2));
        // 60 + 2 × (5 + 2 × 3 + 2 + 10) + 10 + 10
        expect(two.ms).to.equal(126_000);
        expect(two.text).to.include("2 batches");
    });

    it("reads Dokploy's stored settings (§4.1 application.one)", () => {
        const s = settingsFromApplication({
            replicas: 1,
            modeSwarm: null,
            healthCheckSwarm: {
                Test: ["CMD-SHELL", "curl -f http://localhost:3000/api/health || exit 1"],
                Interval: 30000000000,
                Timeout: 10000000000,
                StartPeriod: 40000000000,
                Retries: 3,
            },
            updateConfigSwarm: {
                Parallelism: 1,
                Delay: 10000000000,
                FailureAction: "rollback",
                Monitor: 60000000000,
                MaxFailureRatio: 0,
                Order: "start-first",
            },
        });
        expect(s).to.deep.equal(settingsOf("guide"));
        const none = settingsFromApplication({
            replicas: 2,
            modeSwarm: null,
            healthCheckSwarm: null,
            updateConfigSwarm: null,
        });
        expect(none.update).to.include({ failureAction: "pause", monitorMs: 5000, order: "stop-first" });
        expect(none.replicas).to.equal(2);
    });

    it("compares image references as the engine shows them", () => {
        expect(sameImage("nginx", "docker.io/library/nginx:latest")).to.equal(true);
        expect(sameImage(IMG("v2"), `${IMG("v2")}@sha256:abc`)).to.equal(true);
        expect(sameImage(IMG("v2"), IMG("v1"))).to.equal(false);
        expect(sameImage(undefined, IMG("v1"))).to.equal(false);
    });
});
