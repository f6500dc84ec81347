// Tests of the fake Dokploy server itself, over real HTTP with Node's fetch. Expected bodies
// come from /work/shared/dokploy/real-server-log.md (v0.25.6) and v0.30-differences.md.
import { expect } from "chai";
import { startFakeDokploy, type FakeDokploy, type FakeDokployOptions } from "./support/dokploy";

interface Reply {
  status: number;
  contentType: string | null;
  text: string;
  json: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`not an array: ${JSON.stringify(value)}`);
  return value;
}

class Client {
  constructor(readonly server: FakeDokploy, readonly key: string | null = server.apiKey) {}

  async call(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(this.key ? { "x-api-key": this.key } : {}), ...init.headers };
    const res = await fetch(`${this.server.url}${path}`, { method, headers, body: init.body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, contentType: res.headers.get("content-type"), text, json };
  }

  get(procedure: string, query: Record<string, string> = {}): Promise<Reply> {
    const qs = new URLSearchParams(query).toString();
    return this.call("GET", `/api/${procedure}${qs ? `?${qs}` : ""}`);
  }

  post(procedure: string, body: unknown): Promise<Reply> {
    return this.call("POST", `/api/${procedure}`, { body: JSON.stringify(body), headers: { "content-type": "application/json" } });
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

async function setup(c: Client): Promise<{ projectId: string; environmentId: string; applicationId: string; appName: string }> {
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
    const bearer = await new Client(server(), null).call("GET", "/api/project.all", { headers: { authorization: `Bearer ${server().apiKey}` } });
    expect(bearer.status).to.equal(401);
    expect(bearer.json).to.deep.equal({ message: "Unauthorized" });
  });

  it("routes case-insensitively, drops a trailing slash, 404s unknown procedures and wrong methods", async () => {
    expect((await client().call("GET", "/api/PROJECT.ALL/")).json).to.deep.equal([]);
    const unknown = await client().get("nope.nothing");
    expect(unknown.status).to.equal(404);
    expect(unknown.json).to.deep.equal({ message: "Not found", code: "NOT_FOUND" });
    const wrong = await client().post("project.all", {});
    expect(wrong.status).to.equal(404);
    expect(wrong.json).to.deep.equal({ message: "Not found", code: "NOT_FOUND" });
    expect((await client().get("project.create")).status).to.equal(404);
  });

  it("records requests without the key", async () => {
    await client().post("project.create", { name: "x" });
    const recorded = server().requests.at(-1)!;
    expect(recorded).to.include({ method: "POST", procedure: "project.create", status: 200 });
    expect(recorded.body).to.deep.equal({ name: "x" });
    expect(recorded.at).to.match(ISO);
    expect(JSON.stringify(server().requests)).not.to.contain(server().apiKey);
    expect(server().callCount("project.create")).to.equal(1);
  });
});

describe("fake Dokploy v0.25.6: application lifecycle", () => {
  const { client } = useServer();

  it("creates, configures, deploys and deletes an application", async () => {
    const c = client();
    const { applicationId, appName } = await setup(c);
    expect(appName).to.match(/^peer-app-[a-z0-9]{6}$/);
    expect(await c.post("application.saveDockerProvider", { applicationId, dockerImage: "nginx:alpine" })).to.include({ status: 200, text: "true" });
    expect(await c.post("application.saveEnvironment", { applicationId, env: "A=1" })).to.include({ status: 200, text: "true" });
    const deploy = await c.post("application.deploy", { applicationId });
    expect(deploy).to.include({ status: 200, text: "", contentType: "application/json" });
    const row = await waitFor(async () => {
      const latest = await latestDeployment(c, applicationId);
      return latest && latest.status !== "running" ? latest : undefined;
    }, "deployment to finish");
    expect(row).to.include({ status: "done", title: "Manual deployment", description: "" });
    const app = await c.one("application.one", { applicationId });
    expect(app).to.include({ sourceType: "docker", dockerImage: "nginx:alpine", env: "A=1", applicationStatus: "done" });
    const deleted = await c.ok("application.delete", { applicationId });
    expect(deleted).to.have.property("environment");
    expect((await c.post("application.delete", { applicationId })).status).to.equal(404);
  });
});
