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

    it("gives the passphrase and the Pulumi Cloud token to the Pulumi step only, and gates every step after the settings check", () => {
        expect(JSON.stringify(job.env)).to.not.include("PASSPHRASE");
        expect(JSON.stringify(job.env)).to.not.include("ACCESS_TOKEN");
        expect(step("pulumi/actions@v7")?.env).to.deep.equal({
            PULUMI_CONFIG_PASSPHRASE: "${{ secrets[format('PULUMI_CONFIG_PASSPHRASE_{0}', matrix.upper)] }}",
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        });
        // An empty cloud-url makes pulumi/actions log in to Pulumi Cloud (pulumi/actions src/login.ts).
        expect(step("pulumi/actions@v7")?.with?.["cloud-url"]).to.equal("${{ env.PULUMI_BACKEND_URL }}");
        expect(job.steps[0].uses).to.equal("actions/checkout@v4");
        expect(job.steps[1].id).to.equal("settings");
        for (const s of job.steps.slice(2))
            expect(s.if, s.uses ?? s.run).to.equal("steps.settings.outputs.configured == 'true'");
    });

    describe("the settings check, run with bash", () => {
        const script = job.steps.find((s) => s.id === "settings")?.run ?? "";
        const committedDev = readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
        /** `stackFile`: the checked-out Pulumi.dev.yaml the check reads (the committed one uses a passphrase). */
        const run = (env: Record<string, string>, stackFile = committedDev) => {
            const dir = mkdtempSync(path.join(tmpdir(), "gha-"));
            try {
                const files = { GITHUB_OUTPUT: path.join(dir, "out"), GITHUB_STEP_SUMMARY: path.join(dir, "summary") };
                writeFileSync(files.GITHUB_OUTPUT, "");
                writeFileSync(files.GITHUB_STEP_SUMMARY, "");
                writeFileSync(path.join(dir, "step.sh"), script);
                writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackFile);
                // Exactly how GitHub runs a `run:` step on Linux, in the checked-out workspace.
                const stdout = execFileSync(
                    "bash",
                    ["--noprofile", "--norc", "-eo", "pipefail", path.join(dir, "step.sh")],
                    {
                        cwd: dir,
                        env: { PATH: process.env.PATH, STACK: "dev", UPPER: "DEV", ...files, ...env },
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
        const ROLE = "arn:aws:iam::123456789012:role/GitHubActionsPulumiPreview-Dev";
        const BACKEND =
            "- `PULUMI_ACCESS_TOKEN (secret, Pulumi Cloud) or PULUMI_BACKEND_URL (variable, self-managed backend)`";
        /** A stack on Pulumi Cloud's secrets provider: no encryptionsalt, so no passphrase. */
        const cloudSecrets = committedDev.replace(/^encryptionsalt:.*\n/m, "");

        it("skips an environment whose settings are missing, naming each one in a warning and the step summary", () => {
            const r = run({ ROLE_ARN: "", HAS_PASSPHRASE: "false", HAS_ACCESS_TOKEN: "false", PULUMI_BACKEND_URL: "" });
            expect(r.output).to.equal("configured=false\n");
            expect(r.stdout).to.equal(
                "::warning title=dev preview skipped::not configured yet: AWS_PREVIEW_ROLE_ARN_DEV (variable or secret) PULUMI_ACCESS_TOKEN (secret, Pulumi Cloud) or PULUMI_BACKEND_URL (variable, self-managed backend) PULUMI_CONFIG_PASSPHRASE_DEV (secret)\n",
            );
            expect(r.summary).to.include("### ⏭️ dev: preview skipped");
            expect(r.summary.split("\n").filter((l) => l.startsWith("- "))).to.deep.equal([
                "- `AWS_PREVIEW_ROLE_ARN_DEV (variable or secret)`",
                BACKEND,
                "- `PULUMI_CONFIG_PASSPHRASE_DEV (secret)`",
            ]);
        });

        it("previews on a self-managed backend with the role and the passphrase", () => {
            const r = run({
                ROLE_ARN: ROLE,
                HAS_PASSPHRASE: "true",
                HAS_ACCESS_TOKEN: "false",
                PULUMI_BACKEND_URL: "s3://state",
            });
            expect(r.output).to.equal("configured=true\n");
            expect(r.summary).to.equal("");
        });

        it("previews on Pulumi Cloud with PULUMI_ACCESS_TOKEN and no backend URL", () => {
            const r = run({ ROLE_ARN: ROLE, HAS_PASSPHRASE: "true", HAS_ACCESS_TOKEN: "true", PULUMI_BACKEND_URL: "" });
            expect(r.output).to.equal("configured=true\n");
        });

        it("needs no passphrase for a stack whose secrets are not passphrase-encrypted", () => {
            const r = run(
                { ROLE_ARN: ROLE, HAS_PASSPHRASE: "false", HAS_ACCESS_TOKEN: "true", PULUMI_BACKEND_URL: "" },
                cloudSecrets,
            );
            expect(r.output).to.equal("configured=true\n");
        });

        it("names only the passphrase when a passphrase-encrypted stack on Pulumi Cloud lacks it", () => {
            const r = run({
                ROLE_ARN: ROLE,
                HAS_PASSPHRASE: "false",
                HAS_ACCESS_TOKEN: "true",
                PULUMI_BACKEND_URL: "",
            });
            expect(r.output).to.equal("configured=false\n");
            expect(r.summary.split("\n").filter((l) => l.startsWith("- "))).to.deep.equal([
                "- `PULUMI_CONFIG_PASSPHRASE_DEV (secret)`",
            ]);
        });
    });
});
