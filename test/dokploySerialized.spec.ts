import { expect } from "chai";
import { startFakeDokploy, FakeDokploy } from "./support/dokploy";
import { startSerializedProvider, SerializedProvider, SerializedCallError } from "./support/serializedProvider";
import { createDokployProvider } from "../components/dokploy/provider";
import { FAST_TUNING, appArgs } from "./support/dokployProviderHarness";

const SENTINEL_TOKEN = "sentinel-token-7f3a9c1e5b";
const SENTINEL_ENV = "sentinel-env-value-4d2b8e6a";

type Obj = Record<string, unknown>;

describe("Dokploy provider, serialized and run in a fresh node process", function () {
    this.timeout(30000);
    // One child process serves both versions: the text does not depend on the server's version,
    // and one process is what the engine runs for all resources of a stack.
    // The child cannot share the fake's manual clock: scaled, 1 simulated s = 1 real ms. The watch
    // keeps fakeTuning's pace in simulated time (a poll round per 15 s, 15 real ms), and a 1 ms
    // deployment is polled for after 1 ms: the two lifecycles make ~120 requests, not ~190.
    const TIME_SCALE = 0.001;
    const servers = new Map<string, FakeDokploy>();
    let sp: SerializedProvider;
    before(async () => {
        for (const version of ["v0.25.6", "v0.30.2"] as const) {
            servers.set(
                version,
                await startFakeDokploy({
                    version,
                    apiKeys: [{ key: SENTINEL_TOKEN }],
                    deployDurationMs: 1,
                    swarm: { timeScale: TIME_SCALE },
                }),
            );
        }
        sp = await startSerializedProvider(
            createDokployProvider({
                ...FAST_TUNING,
                pollInitialMs: 1,
                rolloutCallIntervalMs: 5000,
                rolloutPollMinMs: 5000,
                rolloutTimeScale: TIME_SCALE,
            }),
        );
    });
    after(async () => {
        await sp?.close();
        for (const srv of servers.values()) await srv.close();
    });

    it("contains no token, no env value and no require of a package", () => {
        expect(sp.text).to.not.include(SENTINEL_TOKEN);
        expect(sp.text).to.not.include(SENTINEL_ENV);
        expect(sp.text).to.not.match(/require\("@pulumi/);
        expect(sp.text).to.include("exports.handler");
    });

    it("fails clearly without a token", async () => {
        const srv = servers.get("v0.25.6")!;
        await sp.call("configure", {}); // no token in the stack config (and none in the child's env)
        const checked = await sp.call<{ inputs: Obj }>("check", {}, appArgs(srv.url));
        const missing = await sp.call("create", { ...checked.inputs, __provider: sp.text }).then(
            () => undefined,
            (e: SerializedCallError) => e,
        );
        expect(missing?.message)
            .to.include("nextstack:dokployApiToken")
            .and.include("pulumi config set --secret dokployApiToken <key> -s <stack>");
        expect(srv.requests).to.deep.equal([]);
    });

    for (const version of ["v0.25.6", "v0.30.2"] as const) {
        describe(version, () => {
            it("drives the full lifecycle", async () => {
                const srv = servers.get(version)!;
                const args = appArgs(srv.url, { env: { SECRET: SENTINEL_ENV } });
                const checked = await sp.call<{ inputs: Obj; failures: unknown[] }>("check", {}, args);
                expect(checked.failures).to.deep.equal([]);
                const inputs = { ...checked.inputs, __provider: sp.text };
                await sp.call("configure", { "nextstack:dokployApiToken": SENTINEL_TOKEN });
                const created = await sp.call<{ id: string; outs: Obj }>("create", inputs);
                expect(created.outs.lastDeploymentStatus).to.equal("done");
                // The rollout watch ran inside the serialized text too (no module state lost).
                expect(created.outs).to.include({ rolloutStatus: "completed", runningImage: args.dockerImage });
                expect(srv.store.applications.get(created.id)?.env).to.include(SENTINEL_ENV);
                const outsWithoutEnv = JSON.stringify({ ...created.outs, env: undefined });
                expect(outsWithoutEnv).to.not.include(SENTINEL_ENV).and.not.include(SENTINEL_TOKEN);

                const noop = await sp.call<{ changes: boolean }>("diff", created.id, created.outs, checked.inputs);
                expect(noop.changes).to.equal(false);

                // Drift made out of band shows in read and is corrected by update.
                srv.store.applications.get(created.id)!.dockerImage = "nginx:drifted";
                const read = await sp.call<{ id: string; props: Obj }>("read", created.id, created.outs);
                expect(read.props.dockerImage).to.equal("nginx:drifted");
                const drift = await sp.call<{ changes: boolean; replaces: string[] }>(
                    "diff",
                    created.id,
                    read.props,
                    checked.inputs,
                );
                expect(drift).to.include({ changes: true });
                expect(drift.replaces).to.deep.equal([]);
                const updated = await sp.call<{ outs: Obj }>("update", created.id, read.props, inputs);
                expect(srv.store.applications.get(created.id)?.dockerImage).to.equal(args.dockerImage);
                expect(updated.outs.lastDeploymentStatus).to.equal("done");

                // A failed deployment on update reports the partial state across the process boundary.
                srv.deployments.setOutcome("error");
                const img2 = await sp.call<{ inputs: Obj }>(
                    "check",
                    {},
                    appArgs(srv.url, { env: { SECRET: SENTINEL_ENV }, dockerImage: "nginx:2" }),
                );
                const failed = await sp
                    .call("update", created.id, updated.outs, { ...img2.inputs, __provider: sp.text })
                    .then(
                        () => undefined,
                        (e: SerializedCallError) => e,
                    );
                expect(failed?.details.message).to.match(/ended with status "error"/);
                expect(failed?.details.id).to.equal(created.id);
                expect(failed?.details.properties?.__provider).to.equal(sp.text);
                expect(failed?.details.properties?.lastDeploymentStatus).to.equal("error");
                expect(failed?.message).to.not.include(SENTINEL_ENV).and.not.include(SENTINEL_TOKEN);
                srv.deployments.setOutcome("done");

                // A transient 503 is retried inside the serialized client too.
                srv.faults.inject({ procedure: "application.one", times: 1, kind: "status", status: 503 });
                const reread = await sp.call<{ id: string; props: Obj }>(
                    "read",
                    created.id,
                    failed?.details.properties,
                );
                expect(reread.id).to.equal(created.id);

                // Errors keep their class and message in the serialized form.
                srv.faults.inject({ procedure: "application.one", times: 1, kind: "status", status: 401 });
                const unauthorized = await sp.call("read", created.id, created.outs).then(
                    () => undefined,
                    (e: SerializedCallError) => e,
                );
                expect(unauthorized?.details.name).to.equal("DokployUnauthorizedError");
                expect(unauthorized?.details.kind).to.equal("unauthorized");
                expect(unauthorized?.message).to.include("rate limiting off").and.not.include(SENTINEL_TOKEN);

                await sp.call("delete", created.id, reread.props);
                expect(srv.store.applications.size).to.equal(0);
                expect(srv.store.projects.size).to.equal(0);
                const gone = await sp.call<{ id: string }>("read", created.id, reread.props);
                expect(gone.id).to.equal("");
                const logged = JSON.stringify(srv.requests);
                expect(logged).to.not.include(SENTINEL_TOKEN);
            });
        });
    }
});
