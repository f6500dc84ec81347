import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { imageReferenceProblem, parseImageReference } from "../components/dokploy/image";
import {
    fromHealthCheckSwarm,
    fromUpdateConfigSwarm,
    nanosToSeconds,
    secondsToNanos,
    toHealthCheckSwarm,
    toUpdateConfigSwarm,
    effectiveReplicas,
} from "../components/dokploy/swarm";
import { DEFAULTS, deriveAppName, normalizeSpec, UNKNOWN } from "../components/dokploy/spec";
import { parseDotenv, sameEnv, toDotenv } from "../components/dokploy/dotenv";
import { diffSpec, planUpdate, AppState } from "../components/dokploy/plan";
import { applicationOptions, applicationProps } from "../components/dokploy/application";
import { featuresOf, parseDokployVersion } from "../components/dokploy/version";

const base = {
    serverUrl: "https://dokploy.example.com/",
    projectName: "nextstack",
    environmentName: "qa",
    name: "Web App",
    dockerImage: "nginx:1.27",
};

describe("Dokploy pure modules", () => {
    describe("image references", () => {
        for (const ok of [
            "nginx",
            "nginx:1.27-alpine",
            "ghcr.io/org/app:sha-abc",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/nextstack/web:1.0.0",
            "localhost:5000/a/b",
            `repo@sha256:${"a".repeat(64)}`,
            `r.io/x:1@sha256:${"0".repeat(64)}`,
        ]) {
            it(`accepts ${ok}`, () => expect(imageReferenceProblem(ok)).to.equal(undefined));
        }
        for (const [bad, why] of [
            ["nginx :1", "whitespace"],
            ["Nginx:1", "upper case"],
            ["ghcr.io/Org/app", "upper case"],
            ["app:", "invalid tag"],
            ["app@sha256:zz", "invalid digest"],
            ["a//b", "path component"],
            ["", "empty"],
            ["app:-x", "invalid tag"],
        ]) {
            it(`rejects "${bad}" (${why})`, () => expect(imageReferenceProblem(bad)).to.include(why));
        }
        it("splits registry, repository, tag", () => {
            expect(parseImageReference("ghcr.io/org/app:1")).to.deep.equal({
                registry: "ghcr.io",
                repository: "org/app",
                tag: "1",
                digest: undefined,
            });
        });
    });

    describe("swarm mapping", () => {
        it("maps seconds to nanoseconds and back without float noise", () => {
            expect(secondsToNanos(10)).to.equal(10_000_000_000);
            expect(nanosToSeconds(secondsToNanos(0.1))).to.equal(0.1);
        });
        it("round-trips health, update and rollback settings", () => {
            const { spec } = normalizeSpec(base);
            expect(toHealthCheckSwarm(spec.healthCheck)).to.deep.equal({
                Test: ["CMD-SHELL", "curl -f http://localhost:3000/api/health || exit 1"],
                Interval: 30e9,
                Timeout: 10e9,
                StartPeriod: 40e9,
                Retries: 3,
            });
            expect(fromHealthCheckSwarm(toHealthCheckSwarm(spec.healthCheck))).to.deep.equal(spec.healthCheck);
            expect(toUpdateConfigSwarm(spec.updateConfig)).to.deep.equal({
                Parallelism: 1,
                Delay: 10e9,
                FailureAction: "rollback",
                Monitor: 60e9,
                MaxFailureRatio: 0,
                Order: "start-first",
            });
            expect(toUpdateConfigSwarm(spec.rollbackConfig)).to.deep.equal({
                Parallelism: 1,
                Delay: 5e9,
                FailureAction: "pause",
                Monitor: 10e9,
                MaxFailureRatio: 0.3,
                Order: "stop-first",
            });
            expect(fromUpdateConfigSwarm(toUpdateConfigSwarm(spec.rollbackConfig))).to.deep.equal(spec.rollbackConfig);
            expect(fromHealthCheckSwarm(null)).to.equal(null);
        });
        it("reads replicas from a replicated mode", () => {
            expect(effectiveReplicas(1, { Replicated: { Replicas: 4 } })).to.equal(4);
            expect(effectiveReplicas(2, null)).to.equal(2);
        });
    });

    describe("check (normalizeSpec)", () => {
        it("applies defaults", () => {
            const { spec, failures } = normalizeSpec({ ...base, domain: { host: "qa.example.com", port: 8080 } });
            expect(failures).to.deep.equal([]);
            expect(spec).to.include({
                serverUrl: "https://dokploy.example.com",
                appName: "web-app",
                replicas: 1,
                deployPolicy: "onChange",
                deployTimeoutSeconds: 600,
            });
            expect(spec.domain).to.deep.equal({
                host: "qa.example.com",
                port: 8080,
                https: true,
                certificateType: "letsencrypt",
                path: "/",
            });
            expect(spec.healthCheck.test[1]).to.equal("curl -f http://localhost:8080/api/health || exit 1");
            expect(spec.updateConfig).to.deep.equal(DEFAULTS.updateConfig);
        });
        it("returns every failure with a clear reason, never an env value", () => {
            const { failures } = normalizeSpec({
                serverUrl: "ftp://x",
                name: "",
                dockerImage: "Bad Image",
                replicas: 1.5,
                env: { "1BAD": "secret-value" },
                domain: { host: "https://x.com", port: 70000 },
                deployPolicy: "sometimes",
                appName: "Bad--Name",
            });
            const props = failures.map((f) => f.property);
            expect(props).to.include.members([
                "serverUrl",
                "projectName",
                "environmentName",
                "name",
                "dockerImage",
                "replicas",
                "env.1BAD",
                "domain.host",
                "domain.port",
                "deployPolicy",
                "appName",
            ]);
            expect(JSON.stringify(failures)).to.not.include("secret-value");
            expect(failures.find((f) => f.property === "dockerImage")?.reason).to.include("whitespace");
        });
        it("keeps unknown (preview) values and diff treats them as changes", () => {
            const { spec, failures } = normalizeSpec({ ...base, dockerImage: UNKNOWN, projectName: UNKNOWN });
            expect(failures).to.deep.equal([]);
            const known = normalizeSpec(base).spec;
            const olds = { ...known, appNamePrefix: known.appName } as unknown as AppState;
            const d = diffSpec({ ...olds, lastDeploymentStatus: "done", lastDeploymentId: "d" }, spec);
            expect(d.replaces).to.deep.equal(["projectName"]);
            expect(d.changes).to.include("dockerImage");
        });
        it("derives appName prefixes Dokploy accepts", () => {
            expect(deriveAppName("My Web App!")).to.equal("my-web-app");
            expect(deriveAppName("123")).to.equal("app-123");
            expect(deriveAppName("x".repeat(80))).to.have.length(56);
        });
    });

    describe("env", () => {
        it("writes dotenv and compares semantically", () => {
            const text = toDotenv({ A: "1", B: "two words", C: "line1\nline2", D: 'it\'s "q"' });
            expect([...parseDotenv(text)]).to.deep.equal([
                ["A", "1"],
                ["B", "two words"],
                ["C", "line1\nline2"],
                ["D", 'it\'s "q"'],
            ]);
            // A quote plus a literal backslash-n: double quotes would turn it into a newline.
            const literal = { E: "it's C:\\new", F: "it's `x`" };
            expect(Object.fromEntries(parseDotenv(toDotenv(literal)))).to.deep.equal(literal);
            expect(sameEnv(toDotenv(literal), toDotenv(literal))).to.equal(true);
            expect(sameEnv("A=1\nB=2", "# c\nB=2\n\nA='1'")).to.equal(true);
            expect(sameEnv("A=1", "A=2")).to.equal(false);
            expect(sameEnv(null, "")).to.equal(true);
        });
    });

    describe("update plan", () => {
        const spec = normalizeSpec(base).spec;
        const olds = {
            ...spec,
            appNamePrefix: spec.appName,
            appName: "web-app-abc123",
            domainId: null,
            lastDeploymentId: "d1",
            lastDeploymentStatus: "done",
        } as unknown as AppState;
        it("needs nothing for equal specs", () => {
            expect(planUpdate(olds, spec)).to.deep.equal({
                appFields: null,
                saveImage: false,
                saveEnv: false,
                domain: "none",
                rollout: "none",
            });
        });
        it("reloads for swarm-only changes and redeploys for image changes; never deploys with deployPolicy never", () => {
            expect(planUpdate(olds, { ...spec, replicas: 3 }).rollout).to.equal("reload");
            expect(planUpdate(olds, { ...spec, dockerImage: "nginx:2" }).rollout).to.equal("redeploy");
            expect(planUpdate(olds, { ...spec, dockerImage: "nginx:2", deployPolicy: "never" }).rollout).to.equal(
                "none",
            );
            expect(planUpdate({ ...olds, lastDeploymentId: null, lastDeploymentStatus: null }, spec).rollout).to.equal(
                "deploy",
            );
        });
    });

    describe("versions", () => {
        it("parses and derives features", () => {
            expect(featuresOf(parseDokployVersion("v0.25.6"))).to.deep.equal({
                environments: true,
                updateUnknownIs400: false,
                emptyListForUnknownApp: false,
                bigIntReadBug: true,
            });
            expect(featuresOf(parseDokployVersion("v0.30.2"))).to.include({
                updateUnknownIs400: true,
                emptyListForUnknownApp: true,
                bigIntReadBug: false,
            });
            expect(featuresOf(parseDokployVersion("v0.24.1")).environments).to.equal(false);
            expect(parseDokployVersion(42).known).to.equal(false);
        });
    });

    describe("resource wiring", () => {
        it("marks env secret and lists it in additionalSecretOutputs; seeds outputs undefined", async () => {
            const props = applicationProps({
                serverUrl: "u",
                projectName: "p",
                environmentName: "e",
                name: "n",
                dockerImage: "nginx",
                env: { A: "1" },
            });
            expect(await pulumi.isSecret(props.env as pulumi.Output<unknown>)).to.equal(true);
            expect(props).to.have.property("applicationId", undefined);
            expect(props).to.not.have.property("apiToken");
            expect(applicationOptions({ protect: true }))
                .to.include({ protect: true })
                .and.have.property("additionalSecretOutputs")
                .that.includes("env");
        });
    });
});
