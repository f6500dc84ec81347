/**
 * The program under an outside auditor's NAIVE mocks: resources echo their inputs (or nothing),
 * invokes echo, return nothing or throw. No output the cloud computes (arn, repositoryUrl,
 * applicationId…) exists there, so this proves the program neither throws nor hangs without them
 * and that every policy still names this stack's concrete resources, derived from config.
 * The runs happen in this process (test/support/naiveMockRun.ts says how); setMocks is
 * process-global, so the `after` hook makes test/mocks.ts's shared mocks current again for the
 * spec files that run after this one in the same mocha worker.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { Document, list } from "./helpers";
import { resetRegistrations, useStack } from "./mocks";
import { secretKeysOf, SENTINEL_MARKERS, stackEntries, StackName } from "./stacks";
import {
    CallMode,
    NaiveRegistration,
    NaiveRunRequest,
    NaiveRunResult,
    runNaivePrograms,
    StateMode,
} from "./support/naiveMockRun";

/** Ten runs, each with up to 5 s for hung outputs and 5 s for registrations in flight. */
const RUN_TIMEOUT_MS = 90_000;

const ACCOUNTS = { dev: "123456789012", qa: "222222222222", prod: "333333333333" } as const;
const TITLES = { dev: "Dev", qa: "QA", prod: "Prod" } as const;
const USERS = {
    dev: "nextstack-saas-starter-s3-uploader",
    qa: "nextstack-saas-starter-s3-uploader-qa",
    prod: "nextstack-saas-starter-s3-uploader-prod",
} as const;
const DOMAINS = {
    dev: "dev.nextstack-saas-starter.com",
    qa: "qa.nextstack-saas-starter.com",
    prod: "nextstack-saas-starter.com",
} as const;

/** Outputs only the cloud (AWS, Dokploy) knows: a naive mock may leave them undefined. */
const CLOUD_ONLY = ["activeAccessKeyId", "dokployApplicationId", "dokployAppName", "deploymentStatus", "deploymentId"];

function expectedFor(stack: StackName) {
    const account = ACCOUNTS[stack];
    const repo = `nextstack-saas-starter-${stack}`;
    const bucket = `nextstack-saas-starter-${stack}-assets`;
    const iam = (kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;
    return {
        repo,
        bucket,
        repoArn: `arn:aws:ecr:us-west-2:${account}:repository/${repo}`,
        repoUrl: `${account}.dkr.ecr.us-west-2.amazonaws.com/${repo}`,
        bucketArn: `arn:aws:s3:::${bucket}`,
        oidcArn: iam("oidc-provider", "token.actions.githubusercontent.com"),
        pushRole: `GitHubActionsECRPush-${TITLES[stack]}`,
        previewRole: `GitHubActionsPulumiPreview-${TITLES[stack]}`,
        pushRoleArn: iam("role", `GitHubActionsECRPush-${TITLES[stack]}`),
        previewRoleArn: iam("role", `GitHubActionsPulumiPreview-${TITLES[stack]}`),
        userArn: iam("user", USERS[stack]),
    };
}

interface Case {
    readonly stack: StackName;
    readonly call: CallMode;
    readonly state: StateMode;
    readonly overrides?: Record<string, string>;
    /** Drop keys the committed stack files do not set (prod reviewers are opt-in and need an invoke). */
    readonly committedOnly?: boolean;
}

const label = (c: Case) =>
    `${c.stack}, invokes ${c.call}, state ${c.state}${c.overrides ? ` ${JSON.stringify(c.overrides)}` : ""}`;

function requestFor(c: Case): NaiveRunRequest {
    const entries = stackEntries(c.stack, c.overrides);
    if (c.committedOnly) delete entries.prodReviewers;
    const q = (k: string) => (k.includes(":") ? k : `nextstack:${k}`);
    return {
        stack: c.stack,
        call: c.call,
        state: c.state,
        config: Object.fromEntries(Object.entries(entries).map(([k, v]) => [q(k), v])),
        secretKeys: secretKeysOf(entries).map(q),
    };
}

/** Policy documents registered in a run, by `<resource>.<input>`. */
function policies(regs: readonly NaiveRegistration[]): Map<string, Document> {
    const out = new Map<string, Document>();
    for (const r of regs) {
        if (!r.type.startsWith("aws:iam/") && !r.type.startsWith("aws:s3/")) continue;
        for (const key of ["policy", "assumeRolePolicy"]) {
            const v = r.inputs[key];
            if (v !== undefined) out.set(`${r.name}.${key}`, (typeof v === "string" ? JSON.parse(v) : v) as Document);
        }
    }
    return out;
}

function one(regs: readonly NaiveRegistration[], type: string, name: string): NaiveRegistration {
    const found = regs.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).to.have.length(1);
    return found[0];
}

const CASES: Case[] = [
    ...(["dev", "qa", "prod"] as const).flatMap((stack): Case[] => [
        { stack, call: "echo", state: "inputs" },
        { stack, call: "empty", state: "none" },
        { stack, call: "throw", state: "inputs", committedOnly: true },
    ]),
    { stack: "qa", call: "echo", state: "inputs", overrides: { createOidcProvider: "false" } },
];

describe("index.ts under naive, independent mocks (in this process, shared mocks restored after)", function () {
    this.timeout(RUN_TIMEOUT_MS);
    const results = new Map<Case, NaiveRunResult>();
    const giveUp = new AbortController();
    let sharedStack = "dev";
    before(async () => {
        sharedStack = pulumi.getStack();
        const all = await runNaivePrograms(CASES.map(requestFor), giveUp.signal);
        expect(all, "one result per case").to.have.length(CASES.length);
        CASES.forEach((c, i) => results.set(c, all[i]));
    });
    after(async () => {
        // If `before` timed out, its runs stop at the next case instead of replacing the mocks again.
        giveUp.abort();
        // The naive registrations also reached test/mocks.ts's log (its monitor hook sees every mock monitor).
        resetRegistrations();
        await useStack(sharedStack);
    });

    for (const c of CASES) {
        describe(label(c), () => {
            const e = expectedFor(c.stack);
            const run = () => results.get(c) as NaiveRunResult;

            it("completes: no unhandled rejection or exception, no output left pending", () => {
                expect(run().errors).to.deep.equal([]);
                expect(run().pending).to.deep.equal([]);
                expect(run().registrations.length).to.be.greaterThan(20);
                // The committed config's only invoke is the registry lookup of the image; its failure is "not checked".
                if (c.call === "throw") expect(run().invokes).to.deep.equal(["aws:ecr/getImage:getImage"]);
                // No lookup answer names a digest here, so the app is configured but not deployed.
                const app = one(run().registrations, "pulumi-nodejs:dynamic/dokploy:Application", `${c.stack}-app`);
                expect(app.inputs.deploy).to.equal(false);
            });

            it("every output is this stack's concrete value, except the few only the cloud knows", () => {
                const outputs = run().outputs;
                expect(outputs).to.deep.include({
                    environment: c.stack,
                    accountId: ACCOUNTS[c.stack],
                    region: "us-west-2",
                    ecrRepositoryUrl: e.repoUrl,
                    image: `${e.repoUrl}:latest`,
                    imageDigest: "",
                    imageTag: "latest",
                    pushRoleArn: e.pushRoleArn,
                    previewRoleArn: e.previewRoleArn,
                    bucketName: e.bucket,
                    runtimeUserName: USERS[c.stack],
                    appUrl: `https://${DOMAINS[c.stack]}`,
                    healthUrl: `https://${DOMAINS[c.stack]}/api/health`,
                });
                expect(run().secretOutputs).to.deep.equal([]);
                for (const name of CLOUD_ONLY) expect(outputs[name] ?? "", name).to.be.a("string");
                const text = JSON.stringify(outputs);
                expect(text).to.not.match(/undefined|NaN|\[object /);
                for (const marker of SENTINEL_MARKERS) expect(text, marker).to.not.include(marker);
            });

            it("every IAM, trust and bucket policy names concrete ARNs of this stack's resources", () => {
                const docs = policies(run().registrations);
                const s = c.stack;
                expect([...docs.keys()]).to.have.members([
                    `${s}-oidc-push-role.assumeRolePolicy`,
                    `${s}-oidc-preview-role.assumeRolePolicy`,
                    `${s}-oidc-push-policy.policy`,
                    `${s}-oidc-preview-policy.policy`,
                    `${s}-runtime-policy.policy`,
                    `${s}-assets-tls-only.policy`,
                ]);
                const allowed = new Set(["*", e.repoArn, e.bucketArn, `${e.bucketArn}/*`, e.pushRoleArn]);
                for (const arn of [e.previewRoleArn, e.userArn, e.oidcArn]) allowed.add(arn);
                for (const [from, doc] of docs) {
                    expect(JSON.stringify(doc), from).to.not.match(/undefined|null|NaN|""/);
                    for (const st of doc.Statement) {
                        if (from.endsWith(".assumeRolePolicy")) {
                            expect(st.Principal, from).to.deep.equal({ Federated: e.oidcArn });
                            continue;
                        }
                        const resources = list(st.Resource);
                        expect(resources, `${from} ${st.Sid}`).to.not.be.empty;
                        for (const r of resources) expect(allowed.has(r), `${from} ${st.Sid}: ${r}`).to.equal(true);
                    }
                }
                const resourcesOf = (key: string) => (docs.get(key) as Document).Statement.map((x) => x.Resource);
                expect(resourcesOf(`${s}-oidc-push-policy.policy`)).to.deep.equal([e.repoArn, "*"]);
                expect(resourcesOf(`${s}-runtime-policy.policy`)).to.deep.equal([`${e.bucketArn}/*`, e.repoArn, "*"]);
                expect(resourcesOf(`${s}-assets-tls-only.policy`)).to.deep.equal([[e.bucketArn, `${e.bucketArn}/*`]]);
                expect(resourcesOf(`${s}-oidc-preview-policy.policy`)).to.deep.equal([
                    e.repoArn,
                    [e.pushRoleArn, e.previewRoleArn, e.userArn, e.oidcArn],
                    e.bucketArn,
                ]);
            });

            it("policies and companions attach to this stack's named resources, not to mock ids", () => {
                const regs = run().registrations;
                const s = c.stack;
                expect(one(regs, "aws:iam/rolePolicy:RolePolicy", `${s}-oidc-push-policy`).inputs.role).to.equal(
                    e.pushRole,
                );
                expect(one(regs, "aws:iam/rolePolicy:RolePolicy", `${s}-oidc-preview-policy`).inputs.role).to.equal(
                    e.previewRole,
                );
                expect(one(regs, "aws:iam/userPolicy:UserPolicy", `${s}-runtime-policy`).inputs.user).to.equal(
                    USERS[s],
                );
                for (const k of regs.filter((r) => r.type === "aws:iam/accessKey:AccessKey"))
                    expect(k.inputs.user, k.name).to.equal(USERS[s]);
                const companions = regs.filter(
                    (r) => r.type.startsWith("aws:s3/") && r.type !== "aws:s3/bucket:Bucket",
                );
                expect(companions).to.have.length(7);
                for (const r of companions) expect(r.inputs.bucket, r.name).to.equal(e.bucket);
                const lifecycle = one(regs, "aws:ecr/lifecyclePolicy:LifecyclePolicy", `${s}-registry-lifecycle`);
                expect(lifecycle.inputs.repository).to.equal(e.repo);
                const login = one(regs, "command:remote:Command", `${s}-dokploy-host-ecr-login`);
                expect(String(login.inputs.create)).to.include(
                    `registry=${ACCOUNTS[s]}.dkr.ecr.us-west-2.amazonaws.com\n`,
                );
                const app = one(regs, "pulumi-nodejs:dynamic/dokploy:Application", `${s}-app`);
                expect(app.inputs.dockerImage).to.equal(`${e.repoUrl}:latest`);
            });
        });
    }
});
