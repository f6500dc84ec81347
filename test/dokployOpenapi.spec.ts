import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { vendoredDocumentPath } from "./support/dokploy/openapi";

/** shared/ beside the repository, as laid out for developers and CI. */
const SHARED = join(__dirname, "..", "..", "shared", "dokploy");

type Operation = { requestBody?: unknown; parameters?: unknown[] };
type Document = { paths: Record<string, Partial<Record<"get" | "post", Operation>>> };

/** What the fake server uses of an operation: its request body schema and query parameters. */
function requestShape(op: Operation | undefined): string {
    return JSON.stringify({
        requestBody: op?.requestBody,
        parameters: op?.parameters?.length ? op.parameters : undefined,
    });
}

describe("vendored Dokploy OpenAPI extracts", () => {
    for (const version of ["v0.25.6", "v0.30.2"] as const) {
        it(`${version}: every procedure's request schema equals the document the real server serves`, function () {
            const full = join(SHARED, `openapi-${version}.json`);
            // Only where shared/ sits beside the clone (developers and CI); a newcomer's clone has just the extract.
            // The reason goes into the title, so every reporter prints it on the skipped line.
            if (!existsSync(full)) {
                if (this.test)
                    this.test.title += ` (skipped: ${relative(process.cwd(), full)} is not beside this clone)`;
                this.skip();
            }
            const real = JSON.parse(readFileSync(full, "utf8")) as Document;
            const vendored = JSON.parse(readFileSync(vendoredDocumentPath(version), "utf8")) as Document;
            const differing: string[] = [];
            for (const [path, ops] of Object.entries(real.paths)) {
                for (const method of ["get", "post"] as const) {
                    if (!ops[method]) continue;
                    if (requestShape(ops[method]) !== requestShape(vendored.paths[path]?.[method]))
                        differing.push(`${method} ${path}`);
                }
            }
            expect(differing).to.deep.equal([]);
            expect(Object.keys(vendored.paths)).to.have.length(Object.keys(real.paths).length);
        });
    }

    // What a remote client uses to watch a rollout (real-rollout-log.md §4): GET procedures with
    // these query parameters in both versions; the fake validates their input against them.
    const WATCH: Record<string, string[]> = {
        "/docker.getContainersByAppNameMatch": ["appName", "appType", "serverId"],
        "/docker.getServiceContainersByAppName": ["appName", "serverId"],
        "/docker.getContainersByAppLabel": ["appName", "serverId", "type"],
        "/docker.getConfig": ["containerId", "serverId"],
        "/swarm.getNodeApps": ["serverId"],
    };
    for (const version of ["v0.25.6", "v0.30.2"] as const) {
        it(`${version}: the extract carries the rollout-watch procedures as GET with their query parameters`, () => {
            const vendored = JSON.parse(readFileSync(vendoredDocumentPath(version), "utf8")) as Document;
            for (const [path, params] of Object.entries(WATCH)) {
                const op = vendored.paths[path]?.get;
                expect(op, path).to.not.equal(undefined);
                const names = (op!.parameters ?? []).map((p) => (p as { name: string }).name).sort();
                expect(names, path).to.deep.equal(params);
            }
        });
    }
});
