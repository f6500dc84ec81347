// Tests of the fake Dokploy server itself, over real HTTP with a node:http helper (httpCall.ts: not
// fetch, for CPU; the product's client keeps fetch). Expected bodies come from
// /work/shared/dokploy/real-server-log.md (v0.25.6) and v0.30-differences.md.
import { expect } from "chai";
import { startFakeDokploy, type FakeDokploy, type FakeDokployOptions } from "./support/dokploy";
import { httpCall } from "./support/dokploy/httpCall";

interface Reply {
    status: number;
    contentType: string | null;
    text: string;
    json: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
        throw new Error(`not an object: ${JSON.stringify(value)}`);
    return value as Record<string, unknown>;
}

function asArray(value: unknown): unknown[] {
    if (!Array.isArray(value)) throw new Error(`not an array: ${JSON.stringify(value)}`);
    return value;
}

class Client {
    constructor(
        readonly server: FakeDokploy,
        readonly key: string | null = server.apiKey,
    ) {}

    async call(
        method: string,
        path: string,
        init: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
    ): Promise<Reply> {
        const headers: Record<string, string> = { ...(this.key ? { "x-api-key": this.key } : {}), ...init.headers };
        const res = await httpCall(`${this.server.url}${path}`, {
            method,
            headers,
            body: init.body,
            timeoutMs: init.timeoutMs,
        });
        const text = res.text;
        let json: unknown;
        try {
            json = text === "" ? undefined : JSON.parse(text);
        } catch {
            json = undefined;
        }
        const contentType = res.headers["content-type"];
        return { status: res.status, contentType: typeof contentType === "string" ? contentType : null, text, json };
    }

    get(procedure: string, query: Record<string, string> = {}): Promise<Reply> {
        const qs = new URLSearchParams(query).toString();
        return this.call("GET", `/api/${procedure}${qs ? `?${qs}` : ""}`);
    }

    post(procedure: string, body: unknown): Promise<Reply> {
        return this.call("POST", `/api/${procedure}`, {
            body: JSON.stringify(body),
            headers: { "content-type": "application/json" },
        });
    }

    async ok(procedure: string, body: unknown): Promise<Record<string, unknown>> {
        const reply = await this.post(procedure, body);
        expect(reply.status, reply.text).to.equal(200);
        return asRecord(reply.json);
    }

    async one(procedure: string, query: Record<string, string>): Promise<Record<string, unknown>> {
        const reply = await this.get(procedure, query);
        expect(reply.status, reply.text).to.equal(200);
        return asRecord(reply.json);
    }
}

/** Polls until `check` returns a value, with a deadline; never a fixed sleep. */
async function waitFor<T>(check: () => Promise<T | undefined>, what: string, deadlineMs = 2000): Promise<T> {
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; attempt < 1000; attempt++) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`timed out waiting for ${what}`);
}

/** The columns of "application.create without appName" in real-server-log.md, minus the random ones. */
const CREATED_APP_COLUMNS: Record<string, unknown> = {
    description: null,
    env: null,
    previewEnv: null,
    watchPaths: null,
    previewBuildArgs: null,
    previewBuildSecrets: null,
    previewLabels: null,
    previewWildcard: null,
    previewPort: 3000,
    previewHttps: false,
    previewPath: "/",
    previewCertificateType: "none",
    previewCustomCertResolver: null,
    previewLimit: 3,
    isPreviewDeploymentsActive: false,
    previewRequireCollaboratorPermissions: true,
    rollbackActive: false,
    buildArgs: null,
    buildSecrets: null,
    memoryReservation: null,
    memoryLimit: null,
    cpuReservation: null,
    cpuLimit: null,
    title: null,
    enabled: null,
    subtitle: null,
    command: null,
    sourceType: "github",
    cleanCache: false,
    repository: null,
    owner: null,
    branch: null,
    buildPath: "/",
    triggerType: "push",
    autoDeploy: true,
    gitlabProjectId: null,
    gitlabRepository: null,
    gitlabOwner: null,
    gitlabBranch: null,
    gitlabBuildPath: "/",
    gitlabPathNamespace: null,
    giteaRepository: null,
    giteaOwner: null,
    giteaBranch: null,
    giteaBuildPath: "/",
    bitbucketRepository: null,
    bitbucketOwner: null,
    bitbucketBranch: null,
    bitbucketBuildPath: "/",
    username: null,
    password: null,
    dockerImage: null,
    registryUrl: null,
    customGitUrl: null,
    customGitBranch: null,
    customGitBuildPath: null,
    customGitSSHKeyId: null,
    enableSubmodules: false,
    dockerfile: null,
    dockerContextPath: null,
    dockerBuildStage: null,
    dropBuildPath: null,
    healthCheckSwarm: null,
    restartPolicySwarm: null,
    placementSwarm: null,
    updateConfigSwarm: null,
    rollbackConfigSwarm: null,
    modeSwarm: null,
    labelsSwarm: null,
    networkSwarm: null,
    stopGracePeriodSwarm: null,
    replicas: 1,
    applicationStatus: "idle",
    buildType: "nixpacks",
    railpackVersion: "0.2.2",
    herokuVersion: "24",
    publishDirectory: null,
    isStaticSpa: null,
    registryId: null,
    githubId: null,
    gitlabId: null,
    giteaId: null,
    bitbucketId: null,
    serverId: null,
};

const ID = /^[A-Za-z0-9_-]{21}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function useServer(options: FakeDokployOptions = {}): { server: () => FakeDokploy; client: () => Client } {
    let server: FakeDokploy | undefined;
    beforeEach(async () => {
        server = await startFakeDokploy(options);
    });
    afterEach(async () => {
        await server?.close();
    });
    return {
        server: () => server!,
        client: () => new Client(server!),
    };
}

async function setup(
    c: Client,
): Promise<{ projectId: string; environmentId: string; applicationId: string; appName: string }> {
    const created = await c.ok("project.create", { name: "peer-test" });
    const projectId = String(asRecord(created.project).projectId);
    const environmentId = String(asRecord(created.environment).environmentId);
    const app = await c.ok("application.create", { name: "Peer App", appName: "peer-app", environmentId });
    return { projectId, environmentId, applicationId: String(app.applicationId), appName: String(app.appName) };
}

async function latestDeployment(c: Client, applicationId: string): Promise<Record<string, unknown> | undefined> {
    const reply = await c.get("deployment.all", { applicationId });
    const rows = asArray(reply.json);
    return rows.length > 0 ? asRecord(rows[0]) : undefined;
}

const invalid = (issues: unknown[]): unknown => ({ message: "Input validation failed", code: "BAD_REQUEST", issues });
const required = (path: (string | number)[], expected = "string"): unknown => ({
    code: "invalid_type",
    expected,
    received: "undefined",
    path,
    message: "Required",
});

describe("fake Dokploy v0.25.6: transport, auth and routing", () => {
    const { client, server } = useServer();

    it("answers /api/health without a key", async () => {
        const reply = await new Client(server(), null).get("health");
        expect(reply.status).to.equal(200);
        expect(reply.json).to.deep.equal({ ok: true });
    });

    it("rejects a missing key, an unknown key and Authorization: Bearer with a code-less 401", async () => {
        for (const c of [new Client(server(), null), new Client(server(), "wrong")]) {
            const reply = await c.get("project.all");
            expect(reply.status).to.equal(401);
            expect(reply.json).to.deep.equal({ message: "Unauthorized" });
        }
        const bearer = await new Client(server(), null).call("GET", "/api/project.all", {
            headers: { authorization: `Bearer ${server().apiKey}` },
        });
        expect(bearer.status).to.equal(401);
        expect(bearer.json).to.deep.equal({ message: "Unauthorized" });
        // auth comes before routing
        expect((await new Client(server(), null).get("nope.nothing")).status).to.equal(401);
    });

    it("routes case-insensitively, drops a trailing slash, 404s unknown procedures and wrong methods", async () => {
        expect((await client().call("GET", "/api/PROJECT.ALL/")).json).to.deep.equal([]);
        const notFound = { message: "Not found", code: "NOT_FOUND" };
        expect(await client().get("nope.nothing")).to.deep.include({ status: 404, json: notFound });
        expect(await client().post("project.all", {})).to.deep.include({ status: 404, json: notFound });
        expect(await client().get("project.create")).to.deep.include({ status: 404, json: notFound });
    });

    it("400s a POST without Content-Type: application/json with a Required issue per required field", async () => {
        const reply = await client().call("POST", "/api/project.create", {
            // no content-type header: the body goes without any Content-Type
            body: JSON.stringify({ name: "no-content-type" }),
        });
        expect(reply.status).to.equal(400);
        expect(reply.json).to.deep.equal(invalid([required(["name"])]));
        const text = await client().call("POST", "/api/project.create", {
            body: JSON.stringify({ name: "text" }),
            headers: { "content-type": "text/plain" },
        });
        expect(text.json).to.deep.equal(invalid([required(["name"])]));
        const charset = await client().call("POST", "/api/project.create", {
            body: JSON.stringify({ name: "x" }),
            headers: { "content-type": "application/json; charset=utf-8" },
        });
        expect(charset.status).to.equal(200);
    });

    it("answers malformed JSON with Next's plain-text 400", async () => {
        const reply = await client().call("POST", "/api/project.create", {
            body: '{"name": "broken"',
            headers: { "content-type": "application/json" },
        });
        expect(reply.status).to.equal(400);
        expect(reply.text).to.equal("Invalid JSON");
    });

    it("validates query strings and bodies with zod-3-shaped issues", async () => {
        expect(await client().get("application.one")).to.deep.include({
            status: 400,
            json: invalid([required(["applicationId"])]),
        });
        expect((await client().post("project.create", { description: "x" })).json).to.deep.equal(
            invalid([required(["name"])]),
        );
        const wrongType = await client().post("project.create", { name: 5 });
        expect(wrongType.json).to.deep.equal(
            invalid([
                {
                    code: "invalid_type",
                    expected: "string",
                    received: "number",
                    path: ["name"],
                    message: "Expected string, received number",
                },
            ]),
        );
    });

    it("silently drops unknown top-level keys", async () => {
        const created = await client().ok("project.create", { name: "probe2", unknownField: 1 });
        expect(asRecord(created.project)).not.to.have.property("unknownField");
        expect(server().requests.at(-1)!.body).to.deep.equal({ name: "probe2", unknownField: 1 });
    });

    it("records every request without the key value, and counts calls", async () => {
        await client().post("project.create", { name: "x" });
        await new Client(server(), "wrong").get("project.all");
        const [first, second] = server().requests;
        expect(first).to.include({ method: "POST", procedure: "project.create", status: 200 });
        expect(first!.body).to.deep.equal({ name: "x" });
        expect(first!.at).to.match(ISO);
        expect(second).to.include({ method: "GET", procedure: "project.all", status: 401 });
        expect(JSON.stringify(server().requests)).not.to.contain(server().apiKey);
        expect(server().callCount("project.create")).to.equal(1);
        expect(server().callCount()).to.equal(2);
    });

    it("returns the version as a JSON string", async () => {
        expect((await client().get("settings.getDokployVersion")).json).to.equal("v0.25.6");
    });
});

describe("fake Dokploy: rate-limited API key", () => {
    const { server } = useServer({ apiKeys: [{ key: "unlimited" }, { key: "limited", rateLimitMax: 10 }] });

    it("allows 5 requests for 10 verifications, then answers 401 like an unknown key", async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) statuses.push((await new Client(server(), "limited").get("project.all")).status);
        expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 401, 401]);
        expect((await new Client(server(), "limited").get("project.all")).json).to.deep.equal({
            message: "Unauthorized",
        });
        expect(server().apiKey).to.equal("unlimited");
        expect((await new Client(server(), "unlimited").get("project.all")).status).to.equal(200);
    });
});

describe("fake Dokploy v0.25.6: projects and environments", () => {
    const { client, server } = useServer();

    it("project.create returns {project, environment} and adds production", async () => {
        const created = await client().ok("project.create", {
            name: "peer-test",
            description: "d",
            env: "PROJECT_LEVEL=1",
        });
        const project = asRecord(created.project);
        const environment = asRecord(created.environment);
        expect(Object.keys(project)).to.deep.equal([
            "projectId",
            "name",
            "description",
            "createdAt",
            "organizationId",
            "env",
        ]);
        expect(project.projectId).to.match(ID);
        expect(project.createdAt).to.match(ISO);
        expect(environment).to.deep.include({
            name: "production",
            description: "Production environment",
            env: "",
            projectId: project.projectId,
        });
        expect(Object.keys(environment)).to.deep.equal([
            "environmentId",
            "name",
            "description",
            "createdAt",
            "env",
            "projectId",
        ]);
        const one = await client().one("project.one", { projectId: String(project.projectId) });
        const envs = asArray(one.environments).map(asRecord);
        expect(envs.map((e) => e.name)).to.deep.equal(["production"]);
        expect(envs[0]).to.deep.include({
            applications: [],
            mariadb: [],
            mongo: [],
            mysql: [],
            postgres: [],
            redis: [],
            compose: [],
        });
    });

    it("environment.create refuses production, creates others; one/byProjectId/update/remove", async () => {
        const { projectId } = await setup(client());
        const refused = await client().post("environment.create", { name: "production", projectId });
        expect(refused).to.deep.include({
            status: 400,
            json: { message: "Environment name cannot be production", code: "BAD_REQUEST" },
        });
        const staging = await client().ok("environment.create", { name: "staging", description: "stg", projectId });
        expect(staging).to.deep.include({ name: "staging", description: "stg", env: "", projectId });
        const environmentId = String(staging.environmentId);
        const updated = await client().ok("environment.update", { environmentId, env: "ENV_LEVEL=staging" });
        expect(updated).to.deep.include({ env: "ENV_LEVEL=staging", name: "staging" });
        const one = await client().one("environment.one", { environmentId });
        expect(asRecord(one.project).projectId).to.equal(projectId);
        expect(one).to.have.property("applications");
        const list = asArray((await client().get("environment.byProjectId", { projectId })).json).map(asRecord);
        expect(list.map((e) => e.name)).to.deep.equal(["production", "staging"]);
        expect((await client().get("environment.byProjectId", { projectId: "nope" })).json).to.deep.equal([]);
        expect(await client().ok("environment.remove", { environmentId })).to.deep.include({
            environmentId,
            env: "ENV_LEVEL=staging",
        });
        const missing = await client().get("environment.one", { environmentId });
        expect(missing).to.deep.include({ status: 404, json: { message: "Environment not found", code: "NOT_FOUND" } });
        expect((await client().post("environment.remove", { environmentId })).status).to.equal(404);
    });

    it("project.update returns the row; project.remove cascades and project.all forgets it", async () => {
        const { projectId, applicationId } = await setup(client());
        expect(await client().ok("project.update", { projectId, env: "PROJECT_LEVEL=2" })).to.deep.include({
            env: "PROJECT_LEVEL=2",
            name: "peer-test",
        });
        expect(asArray((await client().get("project.all")).json)).to.have.length(1);
        expect(await client().ok("project.remove", { projectId })).to.deep.include({ projectId });
        expect((await client().get("project.all")).json).to.deep.equal([]);
        expect(server().store.applications.has(applicationId)).to.equal(false);
        expect(await client().get("project.one", { projectId })).to.deep.include({
            status: 404,
            json: { message: "Project not found", code: "NOT_FOUND" },
        });
        expect((await client().post("project.remove", { projectId })).status).to.equal(404);
    });
});

describe("fake Dokploy v0.25.6: applications", () => {
    const { client, server } = useServer();

    it("creates with the real defaults, 21-char ids and ISO timestamps", async () => {
        const { environmentId } = await setup(client());
        const app = await client().ok("application.create", { name: "No AppName", environmentId });
        const { applicationId, appName, refreshToken, createdAt, name, environmentId: envId, ...columns } = app;
        expect(columns).to.deep.equal(CREATED_APP_COLUMNS);
        expect(Object.keys(app)[0]).to.equal("applicationId");
        expect(applicationId).to.match(ID);
        expect(refreshToken).to.match(ID);
        expect(createdAt).to.match(ISO);
        expect(name).to.equal("No AppName");
        expect(envId).to.equal(environmentId);
        expect(appName).to.match(/^app-[a-z0-9-]+-[a-z0-9]{6}$/);
    });

    it("suffixes appName, allows duplicates and 404s an unknown environment", async () => {
        const { environmentId } = await setup(client());
        const a = await client().ok("application.create", { name: "A", appName: " My App ", environmentId });
        const b = await client().ok("application.create", { name: "B", appName: " My App ", environmentId });
        expect(a.appName).to.match(/^my-app-[a-z0-9]{6}$/);
        expect(b.appName).to.match(/^my-app-[a-z0-9]{6}$/);
        expect(a.appName).not.to.equal(b.appName);
        const bad = await client().post("application.create", { name: "x", environmentId: "does-not-exist" });
        expect(bad).to.deep.include({ status: 404, json: { message: "Environment not found", code: "NOT_FOUND" } });
        expect((await client().post("application.create", { environmentId })).json).to.deep.equal(
            invalid([required(["name"])]),
        );
    });

    it("application.one embeds the relations of the log", async () => {
        const { applicationId, projectId } = await setup(client());
        const one = await client().one("application.one", { applicationId });
        const relations = Object.keys(one).slice(Object.keys(one).indexOf("serverId") + 1);
        expect(relations).to.deep.equal([
            "environment",
            "domains",
            "deployments",
            "mounts",
            "redirects",
            "security",
            "ports",
            "registry",
            "gitlab",
            "github",
            "bitbucket",
            "gitea",
            "server",
            "previewDeployments",
            "hasGitProviderAccess",
            "unauthorizedProvider",
        ]);
        expect(asRecord(asRecord(one.environment).project).projectId).to.equal(projectId);
        expect(await client().get("application.one", { applicationId: "does-not-exist" })).to.deep.include({
            status: 404,
            json: { message: "Application not found", code: "NOT_FOUND" },
        });
    });

    it("update is partial, null clears, appName is ignored, nothing to set is a 500", async () => {
        const { applicationId, appName } = await setup(client());
        expect(
            await client().post("application.update", { applicationId, description: "d", command: "run", replicas: 2 }),
        ).to.include({ status: 200, text: "true" });
        expect(
            await client().post("application.update", { applicationId, command: null, appName: "renamed" }),
        ).to.include({ text: "true" });
        const app = await client().one("application.one", { applicationId });
        expect(app).to.include({ description: "d", command: null, replicas: 2, appName });
        const noValues = { message: "No values to set", code: "INTERNAL_SERVER_ERROR" };
        for (const body of [
            { applicationId },
            { applicationId, appName: "renamed" },
            { applicationId, notAColumn: true },
        ]) {
            expect(await client().post("application.update", body)).to.deep.include({ status: 500, json: noValues });
        }
        expect(
            await client().post("application.update", { applicationId: "does-not-exist", description: "x" }),
        ).to.deep.include({ status: 404, json: { message: "Application not found", code: "NOT_FOUND" } });
    });

    it("keeps swarm JSON verbatim, rejects unknown keys and missing Parallelism/Order, clears with null", async () => {
        const { applicationId } = await setup(client());
        const healthCheckSwarm = {
            Test: ["CMD", "curl", "-f", "http://localhost/"],
            Interval: 30000000000,
            Timeout: 10000000000,
            StartPeriod: 5000000000,
            Retries: 3,
        };
        const updateConfigSwarm = {
            Parallelism: 1,
            Delay: 10000000000,
            FailureAction: "rollback",
            Order: "start-first",
        };
        const placementSwarm = {
            Constraints: ["node.role==manager"],
            Preferences: [{ Spread: { SpreadDescriptor: "node.id", Extra: 1 } }],
        };
        expect(
            (
                await client().post("application.update", {
                    applicationId,
                    healthCheckSwarm,
                    updateConfigSwarm,
                    placementSwarm,
                })
            ).text,
        ).to.equal("true");
        const bogus = await client().post("application.update", {
            applicationId,
            healthCheckSwarm: { Test: ["CMD"], Bogus: 1 },
        });
        expect(bogus).to.deep.include({
            status: 400,
            json: invalid([
                {
                    code: "unrecognized_keys",
                    keys: ["Bogus"],
                    path: ["healthCheckSwarm"],
                    message: "Unrecognized key(s) in object: 'Bogus'",
                },
            ]),
        });
        const partial = await client().post("application.update", { applicationId, updateConfigSwarm: { Delay: 1 } });
        expect(partial.json).to.deep.equal(
            invalid([
                required(["updateConfigSwarm", "Parallelism"], "number"),
                required(["updateConfigSwarm", "Order"]),
            ]),
        );
        const stopGrace = await client().post("application.update", { applicationId, stopGracePeriodSwarm: 1000 });
        expect(asArray(asRecord(stopGrace.json).issues)[0]).to.deep.include({
            expected: "bigint",
            message: "Expected bigint, received number",
        });
        let app = await client().one("application.one", { applicationId });
        expect(app.healthCheckSwarm).to.deep.equal(healthCheckSwarm);
        expect(app.updateConfigSwarm).to.deep.equal(updateConfigSwarm);
        // inner Spread is not strict: its unknown key is dropped
        expect(app.placementSwarm).to.deep.equal({
            Constraints: ["node.role==manager"],
            Preferences: [{ Spread: { SpreadDescriptor: "node.id" } }],
        });
        expect((await client().post("application.update", { applicationId, healthCheckSwarm: null })).text).to.equal(
            "true",
        );
        app = await client().one("application.one", { applicationId });
        expect(app.healthCheckSwarm).to.equal(null);
    });

    it("saveDockerProvider sets sourceType docker; saveEnvironment keeps omitted keys", async () => {
        const { applicationId } = await setup(client());
        expect(
            (
                await client().post("application.saveDockerProvider", {
                    applicationId,
                    dockerImage: "nginx:alpine",
                    username: "u",
                    password: "p",
                    registryUrl: null,
                })
            ).text,
        ).to.equal("true");
        expect(
            (await client().post("application.saveDockerProvider", { applicationId, dockerImage: "nginx:1" })).text,
        ).to.equal("true");
        expect(
            (
                await client().post("application.saveEnvironment", {
                    applicationId,
                    env: "A=1",
                    buildArgs: "B=2",
                    buildSecrets: "S=3",
                })
            ).text,
        ).to.equal("true");
        expect((await client().post("application.saveEnvironment", { applicationId, env: "A=2" })).text).to.equal(
            "true",
        );
        const app = await client().one("application.one", { applicationId });
        expect(app).to.include({
            sourceType: "docker",
            dockerImage: "nginx:1",
            username: "u",
            password: "p",
            registryUrl: null,
            env: "A=2",
            buildArgs: "B=2",
            buildSecrets: "S=3",
        });
        for (const procedure of [
            "application.saveDockerProvider",
            "application.saveEnvironment",
            "application.reload",
            "application.redeploy",
            "application.stop",
            "application.start",
        ]) {
            const reply = await client().post(procedure, { applicationId: "does-not-exist", appName: "x" });
            expect(reply.status, procedure).to.equal(404);
        }
    });

    it("delete returns the pre-delete object with relations, then 404s", async () => {
        const { applicationId } = await setup(client());
        await client().ok("domain.create", { host: "peer.example.test", applicationId, domainType: "application" });
        const deleted = await client().ok("application.delete", { applicationId });
        expect(asArray(deleted.domains)).to.have.length(1);
        expect(deleted).to.have.property("environment");
        expect(deleted).not.to.have.property("hasGitProviderAccess");
        expect(await client().post("application.delete", { applicationId })).to.deep.include({
            status: 404,
            json: { message: "Application not found", code: "NOT_FOUND" },
        });
        expect((await client().get("application.one", { applicationId })).status).to.equal(404);
        expect(server().store.domains.size).to.equal(0);
    });

    it("serves out-of-band store edits and the v0.25.6 BigInt 500", async () => {
        const { applicationId } = await setup(client());
        server().store.applications.get(applicationId)!.env = "X=2";
        expect((await client().one("application.one", { applicationId })).env).to.equal("X=2");
        server().store.applications.get(applicationId)!.stopGracePeriodSwarm = 10n;
        expect(await client().get("application.one", { applicationId })).to.deep.include({
            status: 500,
            json: { message: "Internal server error", code: "INTERNAL_SERVER_ERROR" },
        });
        server().store.applications.delete(applicationId);
        expect((await client().get("application.one", { applicationId })).status).to.equal(404);
    });

    it("reload returns true; start needs a service; stop sets idle", async () => {
        const { applicationId, appName } = await setup(client());
        const start = await client().post("application.start", { applicationId });
        expect(start.status).to.equal(500);
        expect(asRecord(start.json).code).to.equal("INTERNAL_SERVER_ERROR");
        expect((await client().post("application.reload", { applicationId, appName })).text).to.equal("true");
        expect(await client().ok("application.start", { applicationId })).to.include({ applicationId });
        expect((await client().one("application.one", { applicationId })).applicationStatus).to.equal("done");
        await client().ok("application.stop", { applicationId });
        expect((await client().one("application.one", { applicationId })).applicationStatus).to.equal("idle");
    });
});

describe("fake Dokploy v0.25.6: domains and ports", () => {
    const { client } = useServer();

    it("creates domains with the real defaults and accepts duplicates", async () => {
        const { applicationId } = await setup(client());
        const domain = await client().ok("domain.create", {
            host: "peer.example.test",
            applicationId,
            domainType: "application",
        });
        const { domainId, createdAt, uniqueConfigKey, ...rest } = domain;
        expect(domainId).to.match(ID);
        expect(createdAt).to.match(ISO);
        expect(uniqueConfigKey).to.equal(1);
        expect(rest).to.deep.equal({
            host: "peer.example.test",
            https: false,
            port: 3000,
            path: "/",
            serviceName: null,
            domainType: "application",
            composeId: null,
            customCertResolver: null,
            applicationId,
            previewDeploymentId: null,
            certificateType: "none",
            internalPath: "/",
            stripPath: false,
        });
        expect(Object.keys(domain)).to.deep.equal([
            "domainId",
            "host",
            "https",
            "port",
            "path",
            "serviceName",
            "domainType",
            "uniqueConfigKey",
            "createdAt",
            "composeId",
            "customCertResolver",
            "applicationId",
            "previewDeploymentId",
            "certificateType",
            "internalPath",
            "stripPath",
        ]);
        const again = await client().ok("domain.create", { host: "peer.example.test", https: true, applicationId });
        expect(again).to.include({ uniqueConfigKey: 2, https: true, certificateType: "none" });
        expect(asArray((await client().get("domain.byApplicationId", { applicationId })).json)).to.have.length(2);
    });

    it("rejects an empty host, a port above 65535 and an unknown application like the real server", async () => {
        const { applicationId } = await setup(client());
        const empty = await client().post("domain.create", { host: "", applicationId });
        expect(asArray(asRecord(empty.json).issues)[0]).to.deep.include({
            code: "too_small",
            path: ["host"],
            message: "Add a hostname",
        });
        const port = await client().post("domain.create", { host: "z.example.test", port: 70000, applicationId });
        expect(asArray(asRecord(port.json).issues)[0]).to.deep.include({
            code: "too_big",
            path: ["port"],
            message: "Port must be 65535 or below",
        });
        const ghost = await client().post("domain.create", {
            host: "ghost.example.test",
            applicationId: "does-not-exist",
            domainType: "application",
        });
        expect(ghost).to.deep.include({ status: 400, json: { message: "Application not found", code: "BAD_REQUEST" } });
    });

    it("domain.one/update/delete and 404s", async () => {
        const { applicationId } = await setup(client());
        const { domainId } = await client().ok("domain.create", { host: "a.example.test", applicationId });
        const updated = await client().ok("domain.update", { domainId, host: "b.example.test", port: 81 });
        expect(updated).to.include({ host: "b.example.test", port: 81, path: "/" });
        const one = await client().one("domain.one", { domainId: String(domainId) });
        expect(asRecord(one.application)).to.include({ applicationId, sourceType: "github" });
        expect(await client().ok("domain.delete", { domainId })).to.include({ domainId, host: "b.example.test" });
        const gone = { message: "Domain not found", code: "NOT_FOUND" };
        expect(await client().post("domain.delete", { domainId })).to.deep.include({ status: 404, json: gone });
        expect(await client().get("domain.one", { domainId: String(domainId) })).to.deep.include({
            status: 404,
            json: gone,
        });
        expect((await client().post("domain.update", { domainId, host: "c" })).status).to.equal(404);
        expect((await client().get("domain.byApplicationId", { applicationId: "nope" })).status).to.equal(404);
    });

    it("port.create returns true; update resets omitted modes; delete returns the row", async () => {
        const { applicationId } = await setup(client());
        expect(
            (
                await client().post("port.create", {
                    applicationId,
                    publishedPort: 8080,
                    targetPort: 80,
                    publishMode: "host",
                    protocol: "udp",
                })
            ).text,
        ).to.equal("true");
        const ports = asArray((await client().one("application.one", { applicationId })).ports).map(asRecord);
        expect(ports[0]).to.include({
            publishedPort: 8080,
            targetPort: 80,
            publishMode: "host",
            protocol: "udp",
            applicationId,
        });
        const portId = String(ports[0]!.portId);
        expect(await client().ok("port.update", { portId, publishedPort: 8081, targetPort: 81 })).to.include({
            publishMode: "ingress",
            protocol: "tcp",
            publishedPort: 8081,
        });
        expect(await client().ok("port.delete", { portId })).to.include({ portId });
        expect(await client().post("port.delete", { portId })).to.deep.include({
            status: 404,
            json: { message: "Port not found", code: "NOT_FOUND" },
        });
    });
});

describe("fake Dokploy v0.25.6: deployments", () => {
    const { client, server } = useServer({ deployDurationMs: 5 });

    async function finished(c: Client, applicationId: string, after?: unknown): Promise<Record<string, unknown>> {
        return waitFor(async () => {
            const latest = await latestDeployment(c, applicationId);
            return latest && latest.deploymentId !== after && latest.status !== "running" ? latest : undefined;
        }, "the deployment to end");
    }

    it("deploy answers 200 with an empty JSON body; the row runs, then ends done", async () => {
        const { applicationId, appName } = await setup(client());
        server().deployments.setOutcome("hold");
        const deploy = await client().post("application.deploy", { applicationId, title: "walkthrough deploy" });
        expect(deploy).to.include({ status: 200, text: "", contentType: "application/json" });
        const running = await waitFor(() => latestDeployment(client(), applicationId), "the row to appear");
        expect(running).to.include({
            status: "running",
            title: "walkthrough deploy",
            description: "",
            finishedAt: null,
            errorMessage: null,
            applicationId,
        });
        expect(Object.keys(running)).to.deep.equal([
            "deploymentId",
            "title",
            "description",
            "status",
            "logPath",
            "pid",
            "applicationId",
            "composeId",
            "serverId",
            "isPreviewDeployment",
            "previewDeploymentId",
            "createdAt",
            "startedAt",
            "finishedAt",
            "errorMessage",
            "scheduleId",
            "backupId",
            "rollbackId",
            "volumeBackupId",
        ]);
        expect(running.startedAt).to.equal(running.createdAt);
        expect(running.logPath).to.match(
            new RegExp(`^/etc/dokploy/logs/${appName}/${appName}-\\d{4}-\\d{2}-\\d{2}:\\d{2}:\\d{2}:\\d{2}\\.log$`),
        );
        expect((await client().one("application.one", { applicationId })).applicationStatus).to.equal("running");
        server().deployments.release("done");
        const done = await finished(client(), applicationId);
        expect(done.status).to.equal("done");
        expect(done.finishedAt).to.match(ISO);
        const app = await client().one("application.one", { applicationId });
        expect(app.applicationStatus).to.equal("done");
        expect(asArray(app.deployments)).to.have.length(1);
    });

    it("ends in error or cancelled on request, newest first, redeploy title, at most 10 rows", async () => {
        const { applicationId } = await setup(client());
        expect((await client().one("application.one", { applicationId })).applicationStatus).to.equal("idle");
        server().deployments.setOutcome("error");
        await client().post("application.deploy", { applicationId });
        const failed = await finished(client(), applicationId);
        expect(failed).to.include({ status: "error", errorMessage: null, title: "Manual deployment" });
        expect((await client().one("application.one", { applicationId })).applicationStatus).to.equal("error");
        server().deployments.setOutcome("cancelled");
        await client().post("application.redeploy", { applicationId });
        const cancelled = await finished(client(), applicationId, failed.deploymentId);
        expect(cancelled).to.include({ status: "cancelled", title: "Rebuild deployment" });
        server().deployments.setOutcome("done");
        let last: unknown = cancelled.deploymentId;
        for (let i = 0; i < 9; i++) {
            await client().post("application.deploy", { applicationId, title: `d${i}` });
            last = (await finished(client(), applicationId, last)).deploymentId;
        }
        const rows = asArray((await client().get("deployment.all", { applicationId })).json).map(asRecord);
        expect(rows).to.have.length(10);
        expect(rows[0]!.title).to.equal("d8");
        expect(rows.at(-1)!.title).to.equal("Rebuild deployment");
        expect(await client().get("deployment.all", { applicationId: "nope" })).to.deep.include({
            status: 404,
            json: { message: "Application not found", code: "NOT_FOUND" },
        });
        expect(await client().post("application.deploy", { applicationId: "does-not-exist" })).to.deep.include({
            status: 404,
            json: { message: "Application not found", code: "NOT_FOUND" },
        });
    });

    it("runs one job at a time: a held job keeps the next one queued", async () => {
        const { applicationId } = await setup(client());
        server().deployments.setOutcome("hold");
        await client().post("application.deploy", { applicationId, title: "first" });
        await client().post("application.deploy", { applicationId, title: "second" });
        const first = await waitFor(() => latestDeployment(client(), applicationId), "first row");
        expect(first.title).to.equal("first");
        server().deployments.setOutcome("done");
        server().deployments.release("error");
        const second = await waitFor(async () => {
            const latest = await latestDeployment(client(), applicationId);
            return latest?.title === "second" && latest.status === "done" ? latest : undefined;
        }, "second row done");
        expect(second.status).to.equal("done");
        const rows = asArray((await client().get("deployment.all", { applicationId })).json).map(asRecord);
        expect(rows.map((r) => `${r.title}:${r.status}`)).to.deep.equal(["second:done", "first:error"]);
    });
});

describe("fake Dokploy: faults", () => {
    const { client, server } = useServer();

    it("status before: the action does not happen; default bodies; times; pending/clear", async () => {
        server().faults.inject({ procedure: "project.create", kind: "status", status: 500, times: 2 });
        expect(server().faults.pending()).to.deep.equal([
            { procedure: "project.create", kind: "status", status: 500, times: 2 },
        ]);
        for (let i = 0; i < 2; i++) {
            expect(await client().post("project.create", { name: "x" })).to.deep.include({
                status: 500,
                json: { message: "Internal server error", code: "INTERNAL_SERVER_ERROR" },
            });
        }
        expect(server().store.projects.size).to.equal(0);
        expect((await client().post("project.create", { name: "x" })).status).to.equal(200);
        server().faults.inject({ procedure: "*", kind: "status", status: 502 });
        expect((await new Client(server(), null).get("health")).status).to.equal(200);
        expect(await client().get("project.all")).to.include({ status: 502, text: "Bad Gateway" });
        server().faults.inject({ procedure: "project.all", kind: "status", status: 404 });
        expect((await client().get("project.all")).json).to.deep.equal({ message: "Not found", code: "NOT_FOUND" });
        server().faults.inject({
            procedure: "project.all",
            kind: "status",
            status: 409,
            body: { message: "custom", code: "CONFLICT" },
        });
        expect((await client().get("project.all")).json).to.deep.equal({ message: "custom", code: "CONFLICT" });
        server().faults.inject({ procedure: "project.all", kind: "status", status: 401 });
        expect((await client().get("project.all")).json).to.deep.equal({ message: "Unauthorized" });
        server().faults.inject({ procedure: "project.all", kind: "drop", times: 3 });
        server().faults.clear();
        expect(server().faults.pending()).to.deep.equal([]);
        expect((await client().get("project.all")).status).to.equal(200);
    });

    it("status after: the create happens, the response is lost (an uncertain create)", async () => {
        const { environmentId } = await setup(client());
        server().faults.inject({ procedure: "application.create", kind: "status", status: 504, phase: "after" });
        expect(await client().post("application.create", { name: "uncertain", environmentId })).to.include({
            status: 504,
            text: "Gateway Timeout",
        });
        expect([...server().store.applications.values()].map((a) => a.name)).to.include("uncertain");
    });

    it("drop destroys the socket; after a drop in phase after the action is applied", async () => {
        server().faults.inject({ procedure: "project.create", kind: "drop" });
        let error: unknown;
        await client()
            .post("project.create", { name: "dropped" })
            .catch((e: unknown) => {
                error = e;
            });
        expect(error).to.be.instanceOf(Error);
        expect(server().store.projects.size).to.equal(0);
        expect(server().requests.at(-1)!.status).to.equal(0);
        server().faults.inject({ procedure: "project.create", kind: "drop", phase: "after" });
        await client()
            .post("project.create", { name: "kept" })
            .catch(() => undefined);
        expect([...server().store.projects.values()].map((p) => p.name)).to.deep.equal(["kept"]);
    });

    it("malformed answers 200 with a body that is not JSON", async () => {
        server().faults.inject({ procedure: "project.all", kind: "malformed" });
        const reply = await client().get("project.all");
        expect(reply.status).to.equal(200);
        expect(() => JSON.parse(reply.text)).to.throw();
        server().faults.inject({ procedure: "project.create", kind: "malformed", phase: "after" });
        expect((await client().post("project.create", { name: "m" })).json).to.equal(undefined);
        expect(server().store.projects.size).to.equal(1);
    });

    it("delay responds normally afterwards, so a client timeout can fire first", async () => {
        server().faults.inject({ procedure: "project.all", kind: "delay", ms: 300 });
        let aborted: unknown;
        await client()
            .call("GET", "/api/project.all", { timeoutMs: 20 })
            .catch((e: unknown) => {
                aborted = e;
            });
        expect(aborted).to.be.instanceOf(Error);
        expect((aborted as Error).message).to.contain("no complete answer within 20 ms");
        server().faults.inject({ procedure: "project.all", kind: "delay", ms: 5 });
        expect((await client().get("project.all")).json).to.deep.equal([]);
        server().faults.inject({ procedure: "project.create", kind: "delay", ms: 5, phase: "after" });
        expect((await client().post("project.create", { name: "late" })).status).to.equal(200);
    });
});

describe("fake Dokploy: close()", () => {
    it("clears deployment and delay timers and closes open sockets", async () => {
        const server = await startFakeDokploy({ deployDurationMs: 60_000 });
        const c = new Client(server);
        const { applicationId } = await setup(c);
        await c.post("application.deploy", { applicationId });
        await waitFor(() => latestDeployment(c, applicationId), "running row");
        server.faults.inject({ procedure: "project.all", kind: "delay", ms: 60_000 });
        const pending = c.get("project.all").catch((e: unknown) => e);
        await waitFor(
            async () => (server.callCount("project.all") > 0 ? true : undefined),
            "the delayed request to arrive",
        );
        await server.close();
        expect(await pending).to.be.instanceOf(Error);
        let refused: unknown;
        await c.get("project.all").catch((e: unknown) => {
            refused = e;
        });
        expect(refused).to.be.instanceOf(Error);
        await server.close(); // idempotent
    });
});

describe("fake Dokploy v0.30.2 differences", () => {
    const { client, server } = useServer({ version: "v0.30.2", deployDurationMs: 5 });

    it("adds data to error bodies but keeps the key check's bare 401", async () => {
        expect(await new Client(server(), "wrong").get("project.all")).to.deep.include({
            status: 401,
            json: { message: "Unauthorized" },
        });
        expect((await client().get("nope.nothing")).json).to.deep.equal({
            message: "Not found",
            code: "NOT_FOUND",
            data: { code: "NOT_FOUND", httpStatus: 404, zodError: null },
        });
        const missing = await client().get("application.one", { applicationId: "does-not-exist" });
        expect(missing.json).to.deep.equal({
            message: "Application not found",
            code: "NOT_FOUND",
            data: { code: "NOT_FOUND", httpStatus: 404, path: "application.one", zodError: null },
        });
        const reply = await client().post("project.create", {});
        expect(reply.json).to.deep.equal({
            message: "Input validation failed",
            code: "BAD_REQUEST",
            data: {
                code: "BAD_REQUEST",
                httpStatus: 400,
                path: "project.create",
                zodError: {
                    formErrors: [],
                    fieldErrors: { name: ["Invalid input: expected string, received undefined"] },
                },
            },
            issues: [
                {
                    expected: "string",
                    code: "invalid_type",
                    path: ["name"],
                    message: "Invalid input: expected string, received undefined",
                },
            ],
        });
        expect(
            (
                await client().call("POST", "/api/project.create", {
                    body: "{",
                    headers: { "content-type": "application/json" },
                })
            ).text,
        ).to.equal("Invalid JSON");
        expect((await client().get("settings.getDokployVersion")).json).to.equal("v0.30.2");
        expect(await client().call("HEAD", "/api/x.y")).to.include({ status: 204, text: "" });
    });

    it("answers 415 without a JSON content type", async () => {
        // no content-type header: httpCall sends no Content-Type at all (fetch needed a type-less Blob)
        const none = await client().call("POST", "/api/project.create", { body: "{}" });
        expect(none.status).to.equal(415);
        expect(asRecord(none.json)).to.include({
            message: "Missing content-type header",
            code: "UNSUPPORTED_MEDIA_TYPE",
        });
        const text = await client().call("POST", "/api/project.create", {
            body: "{}",
            headers: { "content-type": "text/plain" },
        });
        expect(asRecord(text.json)).to.include({
            message: 'Unsupported content-type "text/plain',
            code: "UNSUPPORTED_MEDIA_TYPE",
        });
    });

    it("uses zod 4 issues: nonoptional, NaN for nested numbers, new unrecognized-key text, sizes", async () => {
        const { applicationId } = await setup(client());
        const save = await client().post("application.saveEnvironment", { applicationId, env: "A=1" });
        expect(asRecord(save.json).issues).to.deep.equal(
            ["buildArgs", "buildSecrets", "createEnvFile"].map((k) => ({
                code: "invalid_type",
                expected: "nonoptional",
                path: [k],
                message: "Invalid input: expected nonoptional, received undefined",
            })),
        );
        const nullFile = await client().post("application.saveEnvironment", {
            applicationId,
            env: null,
            buildArgs: null,
            buildSecrets: null,
            createEnvFile: null,
        });
        expect(nullFile.status).to.equal(400);
        expect(
            (
                await client().post("application.saveEnvironment", {
                    applicationId,
                    env: "A=1",
                    buildArgs: null,
                    buildSecrets: null,
                    createEnvFile: false,
                })
            ).text,
        ).to.equal("true");
        const docker = await client().post("application.saveDockerProvider", { applicationId, dockerImage: "nginx" });
        expect(asArray(asRecord(docker.json).issues).map((i) => asRecord(i).path)).to.deep.equal([
            ["username"],
            ["password"],
            ["registryUrl"],
        ]);
        const swarm = await client().post("application.update", {
            applicationId,
            updateConfigSwarm: { Delay: 1 },
            healthCheckSwarm: { Bogus: 1 },
        });
        expect(asRecord(swarm.json).issues).to.deep.equal([
            {
                code: "unrecognized_keys",
                keys: ["Bogus"],
                path: ["healthCheckSwarm"],
                message: 'Unrecognized key: "Bogus"',
            },
            {
                expected: "number",
                code: "invalid_type",
                received: "NaN",
                path: ["updateConfigSwarm", "Parallelism"],
                message: "Invalid input: expected number, received NaN",
            },
            {
                expected: "string",
                code: "invalid_type",
                path: ["updateConfigSwarm", "Order"],
                message: "Invalid input: expected string, received undefined",
            },
        ]);
        const host = await client().post("domain.create", { host: "", port: 70000, applicationId });
        expect(asRecord(host.json).issues).to.deep.equal([
            {
                origin: "string",
                code: "too_small",
                minimum: 1,
                inclusive: true,
                path: ["host"],
                message: "Add a hostname",
            },
            {
                origin: "number",
                code: "too_big",
                maximum: 65535,
                inclusive: true,
                path: ["port"],
                message: "Port must be 65535 or below",
            },
        ]);
    });

    it("coerces nested numbers and validates appName", async () => {
        const { applicationId, environmentId } = await setup(client());
        expect(
            (
                await client().post("application.update", {
                    applicationId,
                    replicas: "2",
                    updateConfigSwarm: { Parallelism: "1", Order: "start-first" },
                })
            ).text,
        ).to.equal("true");
        const app = await client().one("application.one", { applicationId });
        expect(app).to.deep.include({ replicas: 2, updateConfigSwarm: { Parallelism: 1, Order: "start-first" } });
        const domain = await client().ok("domain.create", { host: "n.example.test", port: "8080", applicationId });
        expect(domain.port).to.equal(8080);
        const spaced = await client().post("application.create", { name: "x", appName: "a b", environmentId });
        expect(asArray(asRecord(spaced.json).issues)[0]).to.deep.include({
            code: "invalid_format",
            message: "App name can only contain letters, numbers, dots, underscores and hyphens",
        });
        expect(
            asArray(
                asRecord(
                    (await client().post("application.create", { name: "x", appName: "a".repeat(64), environmentId }))
                        .json,
                ).issues,
            )[0],
        ).to.include({ code: "too_big" });
        expect(
            (await client().ok("application.create", { name: "x", appName: "Peer_App.V2", environmentId })).appName,
        ).to.match(/^peer_app\.v2-[a-z0-9]{6}$/);
    });

    it("changes statuses and messages for unknown ids and production", async () => {
        const { applicationId, projectId } = await setup(client());
        const update = await client().post("application.update", { applicationId: "does-not-exist", description: "x" });
        expect(update.status).to.equal(400);
        expect(asRecord(update.json)).to.include({ message: "Error updating application", code: "BAD_REQUEST" });
        expect((await client().post("application.update", { applicationId })).status).to.equal(500);
        const domain = await client().post("domain.create", {
            host: "g.example.test",
            applicationId: "does-not-exist",
        });
        expect(domain.status).to.equal(400);
        expect(String(asRecord(domain.json).message)).to.match(/^Failed query: insert into "domain"/);
        expect(await client().get("deployment.all", { applicationId: "nope" })).to.deep.include({
            status: 200,
            json: [],
        });
        expect(await client().get("domain.byApplicationId", { applicationId: "nope" })).to.deep.include({
            status: 200,
            json: [],
        });
        const production = await client().post("environment.create", { name: "production", projectId });
        expect(asRecord(production.json).message).to.equal(
            "You cannot create a environment with the name 'production'",
        );
        const environment = await client().post("environment.create", { name: "qa", projectId: "nope" });
        expect(environment.status).to.equal(400);
        expect(String(asRecord(environment.json).message)).to.match(/^Error creating the environment: Failed query/);
    });

    it("adds and trims fields as v0.30.2 does", async () => {
        const c = client();
        const created = await c.ok("project.create", { name: "p" });
        expect(asRecord(created.environment).isDefault).to.equal(true);
        const projectId = String(asRecord(created.project).projectId);
        const environmentId = String(asRecord(created.environment).environmentId);
        expect((await c.ok("environment.create", { name: "qa", projectId })).isDefault).to.equal(false);
        const project = await c.one("project.one", { projectId });
        expect(project.projectTags).to.deep.equal([]);
        expect(asRecord(asArray(project.environments)[0]).libsql).to.deep.equal([]);
        const listed = asRecord(asArray((await c.get("environment.byProjectId", { projectId })).json)[0]);
        expect(listed).not.to.have.any.keys("createdAt", "env", "projectId");
        expect(listed).to.include({ isDefault: true, name: "production" });
        expect(await c.one("environment.one", { environmentId })).not.to.have.property("createdAt");
        const app = await c.ok("application.create", { name: "a", environmentId });
        expect(app).to.deep.include({
            createEnvFile: true,
            dockerfile: "Dockerfile",
            railpackVersion: "0.15.4",
            networkIds: [],
            detachDokployNetwork: false,
            ulimitsSwarm: null,
            endpointSpecSwarm: null,
        });
        const applicationId = String(app.applicationId);
        const one = await c.one("application.one", { applicationId });
        expect(one).to.include({ buildRegistry: null, rollbackRegistry: null });
        const domain = await c.ok("domain.create", { host: "d.example.test", applicationId });
        expect(domain).to.deep.include({
            customEntrypoint: null,
            middlewares: [],
            forwardAuthEnabled: false,
            enabled: true,
        });
        const domainOne = await c.one("domain.one", { domainId: String(domain.domainId) });
        expect(domainOne.application).to.deep.equal({ applicationId, appName: app.appName, name: "a" });
        await c.post("application.deploy", { applicationId });
        const row = await waitFor(async () => {
            const latest = await latestDeployment(c, applicationId);
            return latest && latest.status !== "running" ? latest : undefined;
        }, "the deployment to end");
        expect(row).to.include({ status: "done", buildServerId: null });
        // stopGracePeriodSwarm became a number in v0.29: settable and readable
        expect((await c.post("application.update", { applicationId, stopGracePeriodSwarm: 1000 })).text).to.equal(
            "true",
        );
        expect((await c.one("application.one", { applicationId })).stopGracePeriodSwarm).to.equal(1000);
        // port.create requires publishMode and protocol since v0.29
        expect((await c.post("port.create", { applicationId, publishedPort: 1, targetPort: 2 })).status).to.equal(400);
    });
});
