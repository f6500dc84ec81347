import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { allInvocations, findResource, plainTextOutputs, ProgramRun, Registration, resolve, settle } from "./mocks";
import { Environment } from "../components/environment";
import { allStatements, committedStackRun, list, runStack } from "./helpers";
import { SENTINEL, SENTINEL_MARKERS, stackConfig } from "./stacks";

/** The stack outputs the promotion tooling reads. */
const OUTPUT_NAMES = [
    "environment",
    "accountId",
    "region",
    "ecrRepositoryUrl",
    "image",
    "imageDigest",
    "nextStep",
    "imageTag",
    "pushRoleArn",
    "previewRoleArn",
    "bucketName",
    "runtimeUserName",
    "activeAccessKeyId",
    "dokployApplicationId",
    "dokployAppName",
    "appUrl",
    "healthUrl",
    "deploymentStatus",
    "deploymentId",
];

const ACCOUNTS = { dev: "123456789012", qa: "222222222222", prod: "333333333333" } as const;
const DOMAINS = {
    dev: "dev.nextstack-saas-starter.com",
    qa: "qa.nextstack-saas-starter.com",
    prod: "nextstack-saas-starter.com",
} as const;
const APP = "pulumi-nodejs:dynamic/dokploy:Application";
const OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";

function providerUrn(run: ProgramRun, type: string): string {
    const p = run.registrations.filter((r) => r.type === type);
    expect(p, type).to.have.length(1);
    return p[0].urn;
}

function carriesSentinel(value: unknown): boolean {
    const text = JSON.stringify(value) ?? "";
    return SENTINEL_MARKERS.some((m) => text.includes(m));
}

describe("Environment and index.ts", () => {
    for (const stack of ["dev", "qa", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            before(async () => {
                run = await committedStackRun(stack);
            });

            it("exports exactly the outputs the promotion tooling reads, none of them secret", () => {
                expect(Object.keys(run.outputs)).to.have.members(OUTPUT_NAMES);
                expect(run.secretOutputs).to.deep.equal([]);
                // imageDigest stays "" until the registry holds the image (a fresh account: freshAccount.spec).
                for (const name of OUTPUT_NAMES.filter((n) => n !== "imageDigest"))
                    expect(run.outputs[name], name).to.be.a("string").and.not.equal("");
            });

            it("exports this environment's values", () => {
                const repo = `${ACCOUNTS[stack]}.dkr.ecr.us-west-2.amazonaws.com/nextstack-saas-starter-${stack}`;
                expect(run.outputs).to.deep.include({
                    environment: stack,
                    accountId: ACCOUNTS[stack],
                    region: "us-west-2",
                    ecrRepositoryUrl: repo,
                    image: `${repo}:latest`,
                    imageTag: "latest",
                    bucketName: `nextstack-saas-starter-${stack}-assets`,
                    appUrl: `https://${DOMAINS[stack]}`,
                    healthUrl: `https://${DOMAINS[stack]}/api/health`,
                });
            });

            it("sends Dokploy the app's name and exports the name Dokploy made of it", () => {
                // What Dokploy answers is the mock's; what is asserted is what the program sent and passed on.
                expect(findResource(APP, `${stack}-app`).inputs.appName).to.equal("nextstack-saas-starter");
                expect(run.outputs.dokployAppName).to.match(/^nextstack-saas-starter-[a-z0-9]{6}$/);
            });

            it("plain-text stack outputs contain none of the secrets", () => {
                const text = plainTextOutputs(run);
                for (const marker of SENTINEL_MARKERS) expect(text, marker).to.not.include(marker);
            });

            it("every resource input that carries a secret is a Pulumi secret", () => {
                const carriers: string[] = [];
                for (const r of run.registrations) {
                    for (const [key, value] of Object.entries(r.inputs)) {
                        if (!carriesSentinel(value)) continue;
                        carriers.push(`${r.name}.${key}`);
                        expect(
                            r.secretInputs.has(key),
                            `${r.type} ${r.name}.${key} carries a secret in plain text`,
                        ).to.equal(true);
                    }
                }
                // The check above must have had something to check: each secret reaches its consumers.
                expect(carriers).to.include.members([
                    `${stack}-ci-secrets-dokploy-token.value`,
                    `${stack}-ci-secrets-clerk-secret-key.value`,
                    `${stack}-dokploy-host-ecr-login.connection`,
                    `${stack}-dokploy-host-ecr-login.stdin`,
                    `${stack}-app.env`,
                ]);
            });

            it("every AWS resource and invoke goes through the explicit provider pinned to this account", () => {
                const aws = findResource("pulumi:providers:aws", `${stack}-aws`);
                expect(aws.inputs.region).to.equal("us-west-2");
                expect(JSON.parse(String(aws.inputs.allowedAccountIds))).to.deep.equal([ACCOUNTS[stack]]);
                const urn = providerUrn(run, "pulumi:providers:aws");
                const awsResources = run.registrations.filter((r) => r.type.startsWith("aws:"));
                expect(awsResources.length).to.be.greaterThan(15);
                for (const r of awsResources) expect(r.provider.startsWith(`${urn}::`), r.name).to.equal(true);
                // Invokes only come from opt-in settings (an existing OIDC provider; prod reviewers), and
                // those go through the pinned provider too (githubOidc.spec, ciSecrets.spec).
                const awsInvokes = allInvocations().filter((i) => i.token.startsWith("aws:"));
                for (const i of awsInvokes) expect(i.provider.startsWith(`${urn}::`), i.token).to.equal(true);
            });

            it("its only AWS invoke is the image lookup in its own repository (accountId is the pinned, configured account)", () => {
                expect(
                    allInvocations()
                        .filter((i) => i.token.startsWith("aws:"))
                        .map((i) => [i.token, i.inputs]),
                ).to.deep.equal([
                    [
                        "aws:ecr/getImage:getImage",
                        { repositoryName: `nextstack-saas-starter-${stack}`, imageTag: "latest" },
                    ],
                ]);
                expect(run.outputs.accountId).to.equal(ACCOUNTS[stack]);
            });

            it("GitHub and remote-command resources use their explicit providers too", () => {
                const gh = providerUrn(run, "pulumi:providers:github");
                const cmd = providerUrn(run, "pulumi:providers:command");
                const uses = (r: Registration, urn: string) => r.provider.startsWith(`${urn}::`);
                for (const r of run.registrations.filter((x) => x.type.startsWith("github:")))
                    expect(uses(r, gh), r.name).to.equal(true);
                for (const r of run.registrations.filter((x) => x.type.startsWith("command:")))
                    expect(uses(r, cmd), r.name).to.equal(true);
                for (const i of allInvocations().filter((x) => x.token.startsWith("github:")))
                    expect(i.provider.startsWith(`${gh}::`)).to.equal(true);
            });

            it("ecr:GetAuthorizationToken is the only action on Resource `*` in any policy", () => {
                const statements = allStatements(run.registrations);
                expect(statements.length).to.be.greaterThan(8);
                for (const { from, statement } of statements) {
                    const star = list(statement.Resource).includes("*");
                    if (statement.Effect === "Allow" && star) {
                        expect(list(statement.Action), from).to.deep.equal(["ecr:GetAuthorizationToken"]);
                    }
                    if (statement.Effect === "Allow")
                        expect(
                            list(statement.Action).some((a) => a.endsWith(":*") || a === "*"),
                            from,
                        ).to.equal(false);
                }
            });

            it("children follow the naming and parenting conventions", () => {
                for (const r of run.registrations.filter((x) => x.type !== "nextstack:env:Environment")) {
                    expect(r.name.startsWith(`${stack}-`), r.name).to.equal(true);
                    expect(r.parent, r.name).to.not.equal("");
                }
                const tokens = run.registrations.filter((r) => !r.custom).map((r) => r.type);
                expect(tokens).to.have.members([
                    "nextstack:env:Environment",
                    "nextstack:aws:ImageRegistry",
                    "nextstack:aws:AssetsBucket",
                    "nextstack:aws:GithubOidc",
                    "nextstack:aws:RuntimeAccess",
                    "nextstack:dokploy:DokployHost",
                    "nextstack:github:CiSecrets",
                ]);
            });

            it("runs the app from this registry with the stack's environment, health check and HTTPS domain", () => {
                const app = findResource(APP, `${stack}-app`);
                expect(app.inputs).to.deep.include({
                    serverUrl: `https://dokploy-${stack}.nextstack-saas-starter.com`,
                    projectName: "nextstack-saas-starter",
                    environmentName: stack === "prod" ? "production" : stack,
                    dockerImage: run.outputs.image,
                    replicas: 1,
                    healthCheck: { path: "/api/health", port: 3000 },
                    domain: { host: DOMAINS[stack], port: 3000, https: true },
                });
                const env = app.inputs.env as Record<string, string>;
                expect(env).to.deep.include({
                    NODE_ENV: "production",
                    PORT: "3000",
                    AWS_REGION: "us-west-2",
                    S3_BUCKET_NAME: `nextstack-saas-starter-${stack}-assets`,
                    DATABASE_URL: SENTINEL.databaseUrl,
                    CLERK_SECRET_KEY: SENTINEL.clerkSecretKey,
                    AWS_ACCESS_KEY_ID: run.outputs.activeAccessKeyId,
                });
                expect(env.AWS_SECRET_ACCESS_KEY).to.match(/SENTINEL-.*-runtime-key-blue$/);
                // The serialized provider code is stored in state in plain text: it must capture no secret.
                expect(String(app.inputs.__provider)).to.not.match(/SENTINEL/);
                // Dokploy must not pull before the host is logged in to ECR.
                expect(app.dependencies).to.include(
                    findResource("command:remote:Command", `${stack}-dokploy-host-ecr-login`).urn,
                );
            });

            it("names come from config, yet each dependent resource still waits for what it names", () => {
                const urn = (type: string, role: string) => findResource(type, `${stack}-${role}`).urn;
                const expectAfter = (r: Registration, type: string, role: string) =>
                    expect(r.dependencies, `${r.name} after ${role}`).to.include(urn(type, role));
                const bucket = "aws:s3/bucket:Bucket";
                const companions = run.registrations.filter((r) => r.type.startsWith("aws:s3/") && r.type !== bucket);
                expect(companions).to.have.length(7);
                for (const r of companions) expectAfter(r, bucket, "assets-bucket");
                const role = "aws:iam/role:Role";
                expectAfter(
                    findResource("aws:iam/rolePolicy:RolePolicy", `${stack}-oidc-push-policy`),
                    role,
                    "oidc-push-role",
                );
                const previewPolicy = findResource("aws:iam/rolePolicy:RolePolicy", `${stack}-oidc-preview-policy`);
                expectAfter(previewPolicy, role, "oidc-preview-role");
                for (const name of ["oidc-push-role", "oidc-preview-role"])
                    expectAfter(findResource(role, `${stack}-${name}`), OIDC_PROVIDER, "oidc-provider");
                const user = "aws:iam/user:User";
                expectAfter(
                    findResource("aws:iam/userPolicy:UserPolicy", `${stack}-runtime-policy`),
                    user,
                    "runtime-user",
                );
                for (const k of run.registrations.filter((r) => r.type === "aws:iam/accessKey:AccessKey"))
                    expectAfter(k, user, "runtime-user");
                // The app pulls from the repository and writes to the bucket: both exist before it.
                const app = findResource(APP, `${stack}-app`);
                expectAfter(app, "aws:ecr/repository:Repository", "registry-repository");
                expectAfter(app, bucket, "assets-bucket");
                expectAfter(
                    findResource("github:index/actionsSecret:ActionsSecret", `${stack}-ci-secrets-aws-oidc-role-arn`),
                    role,
                    "oidc-push-role",
                );
            });

            it("feeds the application's id and URL into DOKPLOY_<ENV>_APP_ID / _APP_URL", () => {
                const ENV = stack.toUpperCase();
                const secrets = run.registrations.filter((r) => r.type === "github:index/actionsSecret:ActionsSecret");
                const value = (n: string) => secrets.find((s) => s.inputs.secretName === n)?.inputs.value;
                // The id Dokploy gave the application is the one the app's workflow gets, and the one exported.
                expect(value(`DOKPLOY_${ENV}_APP_ID`))
                    .to.be.a("string")
                    .and.equal(run.outputs.dokployApplicationId);
                expect(value(`DOKPLOY_${ENV}_APP_URL`)).to.equal(`https://${DOMAINS[stack]}`);
            });
        });
    }

    it("a fresh run of a committed stack registers what its shared run did (the condition for sharing it)", async () => {
        for (const stack of ["dev", "qa", "prod"] as const) {
            const shared = await committedStackRun(stack);
            const invokesShared = allInvocations();
            const fresh = await runStack(stack);
            expect(fresh.registrations, stack).to.deep.equal(shared.registrations);
            expect(fresh.outputs, stack).to.deep.equal(shared.outputs);
            expect(fresh.secretOutputs, stack).to.deep.equal(shared.secretOutputs);
            expect(allInvocations(), stack).to.deep.equal(invokesShared);
        }
    });

    it("resource counts per stack: prod adds the protected GitHub environment", async () => {
        const counts: Record<string, number> = {};
        for (const stack of ["dev", "qa", "prod"] as const)
            counts[stack] = (await committedStackRun(stack)).registrations.length;
        expect(counts.prod).to.equal(counts.dev + 1);
        expect(counts.qa).to.equal(counts.dev);
    });

    // An appEnv entry naming a variable the stack owns is refused by config validation (config.spec).
    it("config.image overrides <repositoryUrl>:<imageTag>; appEnv reaches the app next to what the stack sets", async () => {
        const image =
            "123456789012.dkr.ecr.us-west-2.amazonaws.com/nextstack-saas-starter-dev@sha256:" + "a".repeat(64);
        const run = await runStack("dev", { image, appEnv: '{"LOG_LEVEL":"info"}' });
        expect(run.outputs.image).to.equal(image);
        const env = findResource(APP, "dev-app").inputs.env as Record<string, string>;
        expect(env).to.deep.include({ LOG_LEVEL: "info", NODE_ENV: "production" });
    });

    it("component outputs that carry secrets are Pulumi secrets", async () => {
        const env = new Environment("direct", { config: stackConfig("qa") });
        const checks = {
            appEnv: await pulumi.isSecret(env.appEnv),
            activeSecretAccessKey: await pulumi.isSecret(env.runtime.activeSecretAccessKey),
            commandStdout: await pulumi.isSecret(env.dokployHost.command.stdout),
        };
        expect(await resolve(env.runtime.activeSecretAccessKey)).to.include("SENTINEL");
        await settle();
        expect(checks).to.deep.equal({ appEnv: true, activeSecretAccessKey: true, commandStdout: true });
    });
});
