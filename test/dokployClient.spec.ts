import { expect } from "chai";
import { startFakeDokploy, FakeDokploy, Fault } from "./support/dokploy";
import { createDokployClient, DokployClient } from "../components/dokploy/client";
import {
    DokployConflictError,
    DokployError,
    DokployNetworkError,
    DokployNotFoundError,
    DokployProtocolError,
    DokployServerError,
    DokployTimeoutError,
    DokployUnauthorizedError,
    DokployValidationError,
} from "../components/dokploy/errors";
import { errorFromResponse } from "../components/dokploy/envelope";
import { backoffDelayMs } from "../components/dokploy/http";
import {
    parseContainerConfig,
    parseContainerRows,
    parseServiceTaskRows,
    parseSwarmServices,
} from "../components/dokploy/rollout/wire";
import { appArgs, fakeTuning, fastProvider } from "./support/dokployProviderHarness";

const SENTINEL_KEY = "sentinel-key-5e1d0c";
const id = (s: string): string => s;

function client(srv: FakeDokploy, over: Partial<Parameters<typeof createDokployClient>[0]> = {}): DokployClient {
    return createDokployClient({
        baseUrl: srv.url,
        apiKey: srv.apiKey,
        timeoutMs: 1000,
        maxAttempts: 3,
        backoffBaseMs: 2,
        backoffMaxMs: 10,
        ...over,
    });
}

/**
 * An attempt's timeout that fires once the fake has taken a fault for it (so a held request times
 * out at once instead of after timeoutMs of real time), else AbortSignal.timeout(timeoutMs). It
 * aborts with the same TimeoutError DOMException as AbortSignal.timeout. The provider fault matrix
 * below still waits real httpTimeoutMs, so the tuning's wiring to AbortSignal.timeout stays tested.
 */
function heldAttemptTimeout(srv: FakeDokploy): (timeoutMs: number) => AbortSignal {
    const left = (): number => srv.faults.pending().reduce((n, f) => n + (f.times ?? 1), 0);
    return (timeoutMs) => {
        const before = left();
        if (before === 0) return AbortSignal.timeout(timeoutMs);
        const controller = new AbortController();
        const check = (tries: number): void => {
            if (left() < before || tries * 2 >= timeoutMs)
                controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
            else setTimeout(() => check(tries + 1), 2);
        };
        setTimeout(() => check(0), 0);
        return controller.signal;
    };
}

async function rejection(p: Promise<unknown>): Promise<DokployError> {
    return p.then(
        () => expect.fail("expected a rejection"),
        (e: unknown) => e as DokployError,
    );
}

describe("Dokploy container endpoints: parsing the recorded bodies (real-rollout-log §4.2)", () => {
    it("v0.30.2 rows (status, currentState, quoted task error) and v0.25.6 rows", () => {
        const rows = parseContainerRows([
            {
                containerId: "a97e04647132",
                name: "rollout-facts-uzx4mk.1.yaqfd1u3smjocv68c9b5l1ldx",
                state: "running",
                status: "Up Less than a second (health: starting)",
            },
        ]);
        expect(rows[0]).to.deep.equal({
            containerId: "a97e04647132",
            name: "rollout-facts-uzx4mk.1.yaqfd1u3smjocv68c9b5l1ldx",
            state: "running",
            status: "Up Less than a second (health: starting)",
        });
        const tasks = parseServiceTaskRows([
            {
                containerId: "yaqfd1u3smjocv68c9b5l1ldx",
                name: "rollout-facts-uzx4mk.1",
                state: "shutdown",
                currentState: "Failed 33 seconds ago",
                node: "vm",
                error: '"task: non-zero exit (143): dockerexec: unhealthy container"',
            },
            {
                containerId: "z1892arulfev4isa83b7afg2y",
                name: "rollout-facts-uzx4mk.1",
                state: "shutdown",
                currentState: "Shutdown about a minute ago",
                node: "vm",
                error: "Error:",
            },
            { containerId: "myg8v6e8rz2h", name: "rollout-facts-kggbx7.1", state: "running", node: "vm" },
        ]);
        expect(tasks.map((t) => t.error)).to.deep.equal([
            "task: non-zero exit (143): dockerexec: unhealthy container",
            undefined,
            undefined,
        ]);
        expect(tasks[2]).to.include({ taskId: "myg8v6e8rz2h", desiredState: "running" });
        expect(
            parseSwarmServices([
                {
                    ID: "7xxyvwteqgs4",
                    Image: "127.0.0.1:5000/app:bad",
                    Mode: "replicated",
                    Name: "rollout-facts-uzx4mk",
                    Ports: "",
                    Replicas: "1/1",
                },
            ])[0],
        ).to.deep.equal({
            id: "7xxyvwteqgs4",
            name: "rollout-facts-uzx4mk",
            image: "127.0.0.1:5000/app:bad",
            mode: "replicated",
            replicas: "1/1",
        });
        expect(parseContainerConfig(null)).to.equal(undefined);
    });
});

describe("Dokploy error envelope (pure)", () => {
    it("reads zod 3 issues (v0.25) and zod 4 issues with data (v0.30) as path: message", () => {
        const v25 = errorFromResponse(
            "project.create",
            400,
            JSON.stringify({
                message: "Input validation failed",
                code: "BAD_REQUEST",
                issues: [
                    {
                        code: "invalid_type",
                        expected: "string",
                        received: "undefined",
                        path: ["name"],
                        message: "Required",
                    },
                ],
            }),
            id,
        );
        expect(v25).to.be.instanceOf(DokployValidationError);
        expect(v25.message).to.include("name: Required");
        const v30 = errorFromResponse(
            "application.update",
            400,
            JSON.stringify({
                message: "Input validation failed",
                code: "BAD_REQUEST",
                data: {
                    code: "BAD_REQUEST",
                    httpStatus: 400,
                    path: "application.update",
                    zodError: { formErrors: [], fieldErrors: { updateConfigSwarm: ["Invalid input"] } },
                },
                issues: [
                    {
                        expected: "number",
                        code: "invalid_type",
                        path: ["updateConfigSwarm", "Parallelism"],
                        message: "Invalid input: expected number, received NaN",
                    },
                ],
            }),
            id,
        );
        expect((v30 as DokployValidationError).issues).to.deep.equal([
            { path: "updateConfigSwarm.Parallelism", message: "Invalid input: expected number, received NaN" },
        ]);
        const onlyData = errorFromResponse(
            "x.y",
            400,
            JSON.stringify({
                message: "Input validation failed",
                code: "BAD_REQUEST",
                data: { zodError: { fieldErrors: { host: ["Add a hostname"] } } },
            }),
            id,
        );
        expect(onlyData.message).to.include("host: Add a hostname");
    });
    it("classifies by status and code, handles plain text and HTML bodies", () => {
        expect(errorFromResponse("p", 400, "Invalid JSON", id))
            .to.be.instanceOf(DokployValidationError)
            .and.have.property("message")
            .that.includes("Invalid JSON");
        const proxy = errorFromResponse("p", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", id);
        expect(proxy).to.be.instanceOf(DokployServerError).and.include({ transient: true });
        expect(proxy.message).to.include("502 Bad Gateway").and.not.include("<h1>");
        expect(
            errorFromResponse("p", 500, '{"message":"No values to set","code":"INTERNAL_SERVER_ERROR"}', id),
        ).to.include({ transient: false, code: "INTERNAL_SERVER_ERROR" });
        expect(errorFromResponse("p", 404, '{"message":"Not found","code":"NOT_FOUND"}', id)).to.be.instanceOf(
            DokployNotFoundError,
        );
        expect(errorFromResponse("p", 409, '{"message":"x","code":"CONFLICT"}', id)).to.be.instanceOf(
            DokployConflictError,
        );
        const unauth = errorFromResponse("p", 401, '{"message":"Unauthorized"}', id);
        expect(unauth).to.be.instanceOf(DokployUnauthorizedError);
        expect(unauth.message).to.include("rate-limited").and.include("rate limiting off").and.include("wrong");
    });
    it("backs off exponentially with jitter, capped", () => {
        expect(backoffDelayMs(1, 100, 1000, () => 0)).to.equal(50);
        expect(backoffDelayMs(3, 100, 1000, () => 1)).to.equal(400);
        expect(backoffDelayMs(10, 100, 1000, () => 1)).to.equal(1000);
    });
});

for (const version of ["v0.25.6", "v0.30.2"] as const) {
    describe(`Dokploy client against the fake ${version}`, function () {
        this.timeout(20000);
        let srv: FakeDokploy;
        beforeEach(async () => {
            srv = await startFakeDokploy({ version, apiKeys: [{ key: SENTINEL_KEY }], deployDurationMs: 1 });
        });
        afterEach(() => srv.close());

        it("sends x-api-key, GET queries and JSON POSTs; reads the version once; handles empty deploy bodies", async () => {
            const c = client(srv);
            expect((await c.version()).raw).to.equal(version);
            await c.version();
            expect(srv.callCount("settings.getDokployVersion")).to.equal(1);
            const { environment } = await c.projectCreate("p", "d");
            const app = await c.applicationCreate(
                { name: "Web", environmentId: environment.environmentId, appName: "web", description: null },
                new Set(),
            );
            await c.saveDockerProvider(app.applicationId, "nginx:1");
            await c.deploy(app.applicationId, "deploy", "t");
            const post = srv.requests.find((r) => r.procedure === "application.saveDockerProvider")!;
            expect(post).to.include({ method: "POST", status: 200 });
            expect(post.body).to.deep.equal({
                applicationId: app.applicationId,
                dockerImage: "nginx:1",
                username: null,
                password: null,
                registryUrl: null,
            });
            expect(srv.requests.find((r) => r.procedure === "application.deploy")?.status).to.equal(200);
            await c.applicationOne(app.applicationId);
            expect(srv.requests.at(-1)).to.include({ method: "GET" });
            expect(srv.requests.at(-1)?.query).to.deep.equal({ applicationId: app.applicationId });
        });

        it("reads the container endpoints a rollout watch needs, with their traps handled", async () => {
            const c = client(srv);
            const { environment } = await c.projectCreate("p", "d");
            const env = environment.environmentId;
            const web = await c.applicationCreate(
                { name: "Web", environmentId: env, appName: "web", description: null },
                new Set(),
            );
            // A second app whose name starts with the first one's (the grep trap of §4.4).
            const longer = await c.applicationCreate(
                { name: "Web2", environmentId: env, appName: web.appName, description: null },
                new Set(),
            );
            for (const a of [web, longer]) {
                await c.saveDockerProvider(a.applicationId, "nginx:1");
                await c.deploy(a.applicationId, "deploy", "t");
            }
            for (let i = 0; i < 200 && !(await c.swarmService(longer.appName)); i++)
                await new Promise((r) => setTimeout(r, 5));
            const svc = await c.swarmService(web.appName);
            expect(svc).to.include({ name: web.appName, image: "nginx:1" });
            expect(await c.swarmService("no-such-app")).to.equal(undefined);
            const rows = await c.containersByAppNameMatch(web.appName);
            // Dokploy's list holds the other app's container too; the watcher filters by exact name.
            expect(rows.map((r) => r.name.split(".")[0]).sort()).to.deep.equal([web.appName, longer.appName].sort());
            expect(rows.every((r) => r.containerId.length === 12)).to.equal(true);
            expect(rows.every((r) => (r.status !== undefined) === (version === "v0.30.2"))).to.equal(true);
            const mine = rows.find((r) => r.name.startsWith(`${web.appName}.`))!;
            const config = await c.containerConfig(mine.containerId);
            expect(config).to.include({ image: "nginx:1", name: mine.name });
            expect(mine.name.endsWith(`.${config!.taskId}`)).to.equal(true);
            const tasks = await c.serviceContainersByAppName(web.appName);
            // Task ids, not container ids: 12 characters on v0.25.6, 25 on v0.30.2.
            expect(tasks.map((t) => t.taskId.length)).to.deep.equal([version === "v0.25.6" ? 12 : 25]);
            expect(config!.taskId!.startsWith(tasks[0].taskId)).to.equal(true);
            // An unknown container: 200 with a 0-byte body.
            expect(await c.containerConfig("0123456789ab")).to.equal(undefined);
        });

        it("never puts the key in errors or messages", async () => {
            const c = createDokployClient({ baseUrl: srv.url, apiKey: "wrong-" + SENTINEL_KEY, maxAttempts: 1 });
            const err = await rejection(c.projectAll());
            expect(err).to.be.instanceOf(DokployUnauthorizedError);
            expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).to.not.include(SENTINEL_KEY);
            srv.faults.inject({
                procedure: "project.all",
                kind: "status",
                status: 500,
                body: { message: `echo ${SENTINEL_KEY}`, code: "INTERNAL_SERVER_ERROR" },
            });
            const echoed = await rejection(client(srv).projectAll());
            expect(echoed.message).to.include("[redacted]").and.not.include(SENTINEL_KEY);
        });

        it("reports a rate-limited key (401 after 5 requests) with the rate-limit hint", async () => {
            const limited = await startFakeDokploy({ version, apiKeys: [{ key: "limited-key", rateLimitMax: 10 }] });
            try {
                const c = createDokployClient({
                    baseUrl: limited.url,
                    apiKey: "limited-key",
                    maxAttempts: 3,
                    backoffBaseMs: 1,
                });
                for (let i = 0; i < 5; i++) await c.projectAll();
                const err = await rejection(c.projectAll());
                expect(err).to.be.instanceOf(DokployUnauthorizedError);
                expect(err.message).to.include("rate limiting off");
                expect(limited.callCount("project.all")).to.equal(6); // 401 is never retried
            } finally {
                await limited.close();
            }
        });

        const transient: [string, Fault][] = [
            ["502", { procedure: "application.one", kind: "status", status: 502 }],
            ["503", { procedure: "application.one", kind: "status", status: 503 }],
            ["504", { procedure: "application.one", kind: "status", status: 504 }],
            ["a dropped connection", { procedure: "application.one", kind: "drop" }],
            // Held for 20 s (close() ends the hold); the attempt ends when the server holds it (below).
            ["a slow answer (timeout)", { procedure: "application.one", kind: "delay", ms: 20000 }],
        ];
        for (const [what, fault] of transient) {
            it(`retries a read after ${what}, bounded`, async () => {
                const c = client(srv, fault.kind === "delay" ? { timeoutSignal: heldAttemptTimeout(srv) } : {});
                const { environment } = await c.projectCreate("p", "d");
                const app = await c.applicationCreate(
                    { name: "Web", environmentId: environment.environmentId, appName: "web", description: null },
                    new Set(),
                );
                srv.faults.inject({ ...fault, times: 2 });
                expect((await c.applicationOne(app.applicationId)).applicationId).to.equal(app.applicationId);
                expect(srv.callCount("application.one")).to.equal(3);
                srv.faults.inject({ ...fault, times: 3 });
                const err = await rejection(c.applicationOne(app.applicationId));
                expect(err.transient).to.equal(true);
                expect(err).to.be.instanceOf(
                    fault.kind === "delay"
                        ? DokployTimeoutError
                        : fault.kind === "drop"
                          ? DokployNetworkError
                          : DokployServerError,
                );
                expect(srv.callCount("application.one")).to.equal(6);
            });
        }

        for (const status of [400, 401, 404, 409, 500] as const) {
            it(`does not retry ${status}`, async () => {
                srv.faults.inject({ procedure: "project.all", kind: "status", status, times: 1 });
                await rejection(client(srv).projectAll());
                expect(srv.callCount("project.all")).to.equal(1);
            });
        }

        it("treats a malformed 200 body as a protocol error", async () => {
            srv.faults.inject({ procedure: "project.all", kind: "malformed", times: 1 });
            expect(await rejection(client(srv).projectAll())).to.be.instanceOf(DokployProtocolError);
        });

        for (const fault of [
            { kind: "status", status: 502, phase: "after" },
            { kind: "drop", phase: "after" },
            { kind: "malformed", phase: "after" },
            { kind: "status", status: 503, phase: "before" },
        ] as const) {
            it(`after an uncertain create (${fault.kind} ${fault.phase}) looks up before creating again: exactly one app`, async () => {
                const c = client(srv);
                const { environment } = await c.projectCreate("p", "d");
                srv.faults.inject({ procedure: "application.create", times: 1, ...fault } as Fault);
                const app = await c.applicationCreate(
                    { name: "Web", environmentId: environment.environmentId, appName: "web", description: null },
                    new Set(),
                );
                expect(app.appName).to.match(/^web-/);
                expect(srv.store.applications.size).to.equal(1);
                srv.faults.inject({ procedure: "project.create", times: 1, ...fault } as Fault);
                await c.projectCreate("q", "d");
                expect([...srv.store.projects.values()].filter((p) => p.name === "q")).to.have.length(1);
            });
        }

        it("maps an unknown application on update to NotFound on both versions", async () => {
            const err = await rejection(client(srv).applicationUpdate("does-not-exist-123456", { description: "x" }));
            expect(err).to.be.instanceOf(DokployNotFoundError);
        });
    });
}

describe("Dokploy provider: each fault class on each operation", function () {
    this.timeout(30000);
    type Op = "create" | "read" | "update" | "delete";
    type Failure = Error & { id?: string; properties?: Record<string, unknown> };
    // 502, 503 and 504 are one fault class: errorFromResponse (envelope.ts) maps all three to the
    // same transient DokployServerError, and the client tests above retry each of them. Here each
    // operation gets one of the three, so every one still reaches the provider.
    const ops: { op: Op; proc: string; gateway: 502 | 503 | 504 }[] = [
        { op: "create", proc: "application.saveEnvironment", gateway: 502 },
        { op: "read", proc: "application.one", gateway: 503 },
        { op: "update", proc: "application.saveDockerProvider", gateway: 504 },
        { op: "delete", proc: "application.delete", gateway: 503 },
    ];
    const faults = (gateway: number): { name: string; fault: Partial<Fault>; ok: boolean }[] => [
        { name: "401", fault: { kind: "status", status: 401 }, ok: false },
        { name: "404", fault: { kind: "status", status: 404 }, ok: false },
        { name: "409", fault: { kind: "status", status: 409 }, ok: false },
        { name: "500", fault: { kind: "status", status: 500 }, ok: false },
        { name: String(gateway), fault: { kind: "status", status: gateway }, ok: true },
        // Answered after 200 ms: past the 100 ms httpTimeoutMs of these cases (real AbortSignal.timeout).
        { name: "slow", fault: { kind: "delay", ms: 200 }, ok: true },
        { name: "drop", fault: { kind: "drop" }, ok: true },
        { name: "malformed", fault: { kind: "malformed" }, ok: false },
    ];
    // The recorded runs' short Swarm settings (real-rollout-log.md §0): the rollouts around the
    // fault end within a couple of poll rounds; the faults are what this matrix is about.
    const short = {
        healthCheck: { intervalSeconds: 2, timeoutSeconds: 2, startPeriodSeconds: 5, retries: 2 },
        updateConfig: { delaySeconds: 10, monitorSeconds: 10 },
    };
    const start = (): Promise<FakeDokploy> => startFakeDokploy({ deployDurationMs: 1, swarm: { clock: "manual" } });
    const provider = (srv: FakeDokploy, slow = false): ReturnType<typeof fastProvider> =>
        fastProvider(srv.apiKey, { httpTimeoutMs: slow ? 100 : 2000, ...fakeTuning(srv) });
    const inputsOf = async (p: Awaited<ReturnType<typeof fastProvider>>, srv: FakeDokploy) => ({
        ...(await p.check({}, appArgs(srv.url, short))).inputs,
        __provider: "t",
    });

    for (const { op, proc, gateway } of ops) {
        describe(op, () => {
            // read and update start from one deployed application per operation, made once: a read
            // changes nothing on the server, and each update takes the state the previous one left
            // (its outputs, or a failure's partial state, as the engine records them) to a new
            // image, as successive `pulumi up`s do. create and delete make their own application, on
            // their own server.
            let shared: { srv: FakeDokploy; id: string; outs: Record<string, unknown> } | undefined;
            let images = 1;
            if (op === "read" || op === "update") {
                before(async () => {
                    const srv = await start();
                    const p = await provider(srv);
                    const { id, outs } = await p.create(await inputsOf(p, srv));
                    shared = { srv, id, outs: outs as Record<string, unknown> };
                });
                // A slow case's first attempt is still held by the server when the retry has succeeded.
                // An update's, answered late, must not land in the next case (it would set back the
                // image); a read's changes nothing.
                if (op === "update") afterEach(() => shared?.srv.idle());
                after(async () => {
                    if (!shared) return;
                    try {
                        // Delete cleans up after whatever the faults left.
                        await (await provider(shared.srv)).delete(shared.id, shared.outs);
                        expect(shared.srv.store.applications.size).to.equal(0);
                    } finally {
                        await shared.srv.close();
                    }
                });
            }

            for (const f of faults(gateway)) {
                it(`with ${f.name} on ${proc}`, async () => {
                    const srv = shared?.srv ?? (await start());
                    try {
                        const p = await provider(srv, f.name === "slow");
                        const inputs = await inputsOf(p, srv);
                        let id = shared?.id ?? "";
                        let outs: Record<string, unknown> = shared?.outs ?? {};
                        // Delete never looks at deployments (application.delete, project.one, project.remove):
                        // its application is configured but not deployed, which skips the deploy and rollout watch.
                        if (op === "delete") ({ id, outs } = await p.create({ ...inputs, deployPolicy: "never" }));
                        srv.faults.inject({ procedure: proc, times: 1, ...f.fault } as Fault);
                        const run = (): Promise<unknown> =>
                            op === "create"
                                ? p.create(inputs).then((r) => (outs = r.outs))
                                : op === "read"
                                  ? p.read(id, outs)
                                  : op === "update"
                                    ? p
                                          .update(id, outs, { ...inputs, dockerImage: `nginx:${++images}` })
                                          .then((r) => (outs = r.outs))
                                    : p.delete(id, outs);
                        // A 404 on delete means "already gone" and on read "gone from the server": no error.
                        const expectOk = f.ok || ((op === "delete" || op === "read") && f.name === "404");
                        const result = await run().then(
                            () => undefined,
                            (e: unknown) => e as Failure,
                        );
                        if (expectOk) {
                            expect(result, String(result)).to.equal(undefined);
                        } else {
                            expect(result).to.be.an("error");
                            expect(result?.message).to.not.include(srv.apiKey);
                            // After application.create, a failure is partial state carrying the id. An update that
                            // failed before changing anything keeps the old state (no id needed).
                            if (op === "create") expect(result?.id).to.be.a("string");
                        }
                        // The fault hit this operation.
                        expect(srv.faults.pending()).to.deep.equal([]);
                        const state = (result?.properties as Record<string, unknown> | undefined) ?? outs;
                        if (shared) {
                            // The shared application is still the only one; the next case starts from here.
                            expect([...srv.store.applications.keys()]).to.deep.equal([shared.id]);
                            shared.outs = state;
                            return;
                        }
                        // Whatever happened, one application at most, and delete can always clean up.
                        expect(srv.store.applications.size).to.be.at.most(1);
                        const last = [...srv.store.applications.keys()][0];
                        if (last) await p.delete(last, state);
                        expect(srv.store.applications.size).to.equal(0);
                    } finally {
                        if (!shared) await srv.close();
                    }
                });
            }
        });
    }
});
