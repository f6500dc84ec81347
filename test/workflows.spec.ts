/**
 * The GitHub workflows, parsed with `yaml`: permissions, the matrix, stack names, pinned action
 * versions, and the PR-preview "not configured yet" step, run for real with bash.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO } from "./support/promoteHarness";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}
interface Job {
    if?: string;
    permissions?: Record<string, string>;
    strategy?: { "fail-fast"?: boolean; matrix?: Record<string, unknown> };
    env?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
}

const load = (name: string): Workflow =>
    parse(readFileSync(path.join(REPO, ".github", "workflows", name), "utf8")) as Workflow;
const allSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

for (const file of ["ci.yml", "pr-preview.yml"]) {
    describe(`workflow ${file}`, () => {
        it("pins every action to a version tag and grants only contents: read at the top", () => {
            const w = load(file);
            const uses = allSteps(w)
                .map((s) => s.uses)
                .filter((u): u is string => u !== undefined);
            expect(uses).to.not.be.empty;
            for (const u of uses) expect(u, u).to.match(/^[\w.-]+\/[\w.-]+@v\d+(\.\d+){0,2}$/);
            expect(w.permissions).to.deep.equal({ contents: "read" });
        });
    });
}

describe("workflow ci.yml", () => {
    it("installs, typechecks and tests on Node 20 and 22 for pushes and pull requests", () => {
        const w = load("ci.yml");
        expect(w.on).to.have.keys("push", "pull_request");
        const job = w.jobs.test;
        expect(job.strategy?.matrix?.node).to.deep.equal([20, 22]);
        expect(job.steps.find((s) => s.uses === "actions/setup-node@v4")?.with?.["node-version"]).to.equal(
            "${{ matrix.node }}",
        );
        expect(job.steps.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci", "npm run typecheck", "npm test"]);
    });
});

describe("workflow pr-preview.yml", () => {
    const w = load("pr-preview.yml");
    const job = w.jobs.preview;
    const step = (uses: string) => job.steps.find((s) => s.uses === uses);

    it("previews every stack on pull requests, same-repo only, with OIDC and PR-comment permissions", () => {
        expect(w.on).to.have.keys("pull_request");
        expect(job.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
        expect(job.permissions).to.deep.equal({ "id-token": "write", contents: "read", "pull-requests": "write" });
        expect(w.jobs.fork.if).to.equal("github.event.pull_request.head.repo.full_name != github.repository");
        expect(w.jobs.fork.permissions).to.deep.equal({});
    });

    it("has a fail-fast: false matrix over the project's stacks", () => {
        expect(job.strategy?.["fail-fast"]).to.equal(false);
        const stacks = job.strategy?.matrix?.stack as string[];
        expect(stacks).to.deep.equal(["dev", "qa", "prod"]);
        for (const s of stacks) expect(existsSync(path.join(REPO, `Pulumi.${s}.yaml`)), s).to.equal(true);
        const include = job.strategy?.matrix?.include as { stack: string; upper: string }[];
        expect(include.map((i) => `${i.stack}:${i.upper}`)).to.deep.equal(["dev:DEV", "qa:QA", "prod:PROD"]);
    });

    it("runs npm ci, assumes the environment's preview role, then pulumi/actions@v7 preview with one comment per stack", () => {
        const uses = job.steps.map((s) => s.uses ?? s.run);
        const order = [
            "actions/checkout@v4",
            "npm ci",
            "aws-actions/configure-aws-credentials@v4",
            "pulumi/actions@v7",
        ].map((u) => uses.indexOf(u));
        expect(
            order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])),
            uses.join(", "),
        ).to.equal(true);
        expect(step("aws-actions/configure-aws-credentials@v4")?.with?.["role-to-assume"]).to.equal(
            "${{ env.ROLE_ARN }}",
        );
        expect(job.env?.ROLE_ARN).to.include("AWS_PREVIEW_ROLE_ARN_{0}', matrix.upper");
        expect(step("pulumi/actions@v7")?.with).to.include({
            command: "preview",
            "stack-name": "${{ matrix.stack }}",
            "comment-on-pr": true,
            "edit-pr-comment": true,
        });
    });

    it("gives the passphrase to the Pulumi step only, and gates every step after the settings check", () => {
        expect(JSON.stringify(job.env)).to.not.include("PASSPHRASE");
        expect(step("pulumi/actions@v7")?.env?.PULUMI_CONFIG_PASSPHRASE).to.include("PULUMI_CONFIG_PASSPHRASE_{0}");
        expect(job.steps[0].id).to.equal("settings");
        for (const s of job.steps.slice(1))
            expect(s.if, s.uses ?? s.run).to.equal("steps.settings.outputs.configured == 'true'");
    });

    describe("the settings check, run with bash", () => {
        const script = job.steps[0].run ?? "";
        const run = (env: Record<string, string>) => {
            const dir = mkdtempSync(path.join(tmpdir(), "gha-"));
            try {
                const files = { GITHUB_OUTPUT: path.join(dir, "out"), GITHUB_STEP_SUMMARY: path.join(dir, "summary") };
                writeFileSync(files.GITHUB_OUTPUT, "");
                writeFileSync(files.GITHUB_STEP_SUMMARY, "");
                writeFileSync(path.join(dir, "step.sh"), script);
                // Exactly how GitHub runs a `run:` step on Linux.
                const stdout = execFileSync(
                    "bash",
                    ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "step.sh")],
                    {
                        env: { PATH: process.env.PATH, STACK: "prod", UPPER: "PROD", ...files, ...env },
                        encoding: "utf8",
                    },
                );
                return {
                    stdout,
                    output: readFileSync(files.GITHUB_OUTPUT, "utf8"),
                    summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
                };
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        };

        it("skips an environment whose settings are missing, with a warning and a step-summary note", () => {
            const r = run({ ROLE_ARN: "", HAS_PASSPHRASE: "false", PULUMI_BACKEND_URL: "s3://state" });
            expect(r.output).to.equal("configured=false\n");
            expect(r.stdout).to.match(
                /^::warning title=prod preview skipped::not configured yet: AWS_PREVIEW_ROLE_ARN_PROD .* PULUMI_CONFIG_PASSPHRASE_PROD/,
            );
            expect(r.summary).to.include("### ⏭️ prod: preview skipped");
            expect(r.summary).to.include("- `AWS_PREVIEW_ROLE_ARN_PROD (variable or secret)`");
            expect(r.summary).to.not.include("PULUMI_BACKEND_URL");
        });

        it("previews an environment whose settings are all there", () => {
            const r = run({
                ROLE_ARN: "arn:aws:iam::123456789012:role/PulumiPreview-Prod",
                HAS_PASSPHRASE: "true",
                PULUMI_BACKEND_URL: "s3://state",
            });
            expect(r.output).to.equal("configured=true\n");
            expect(r.summary).to.equal("");
        });
    });
});
