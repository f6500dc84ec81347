/**
 * `--plan` on the committed stack configs (offline: the engine must not be touched), the status
 * table's cells, and option parsing.
 */
import { expect } from "chai";
import { OFFLINE_ENGINE } from "../automation/cli";
import { parsePromoteArgs, rerunCommand, targets } from "../automation/options";
import { promote } from "../automation/orchestrator";
import { PlainProgress } from "../automation/progress";
import { configReadiness, summariseAreas } from "../automation/readiness";
import { REPO } from "./support/promoteHarness";

async function plan(args: string[] = []): Promise<{ code: number; text: string }> {
    const lines: string[] = [];
    const o = parsePromoteArgs(["--plan", "--state-dir", "/nonexistent/promotion-state", ...args], {}, REPO);
    const r = await promote(o, {
        engine: OFFLINE_ENGINE,
        progress: new PlainProgress((l) => lines.push(l)),
        isTTY: false,
        confirm: async () => false,
    });
    return { code: r.exitCode, text: lines.join("\n") };
}

describe("promote --plan (committed configs, offline)", () => {
    it("exits 0, shows dev ready and qa/prod waiting, and names each missing key with its fix", async () => {
        const { code, text } = await plan();
        expect(code).to.equal(0);
        expect(text).to.match(/\| AWS account\s+\| ✅\s+\| ⏳\s+\| ⏳\s+\|/);
        expect(text).to.match(/\| Config\s+\| ✅ complete\s+\| ⏳ 9 to fix\s+\| ⏳ 9 to fix\s+\|/);
        expect(text).to.include("dev: ✅ config complete");
        expect(text).to.include("qa: ⏳ waiting for 9 config value(s) in Pulumi.qa.yaml");
        for (const key of ["accountId", "dokployUrl", "dokployHost", "sshHostKey", "clerkPublishableKey"]) {
            expect(text).to.include(`pulumi config set ${key} `);
        }
        for (const key of ["dokployApiToken", "sshPrivateKey", "clerkSecretKey", "databaseUrl"]) {
            expect(text).to.include(`pulumi config set --secret ${key} `);
        }
        expect(text).to.include("pulumi config set accountId <12-digit account id> -s prod");
        expect(text).to.match(/1\. dev\s+ready: deploys latest/);
        expect(text).to.match(/2\. qa\s+⏳ waits for its config \(9 value\(s\)\) and dev to verify/);
        expect(text).to.include("Next: npm run promote -- --to dev");
    });

    it("follows --only and --image-tag", async () => {
        const { text } = await plan(["--only", "qa", "--image-tag", "v1.0.0"]);
        expect(text).to.include("Plan: qa");
        expect(text).to.include("waits for its config (9 value(s)) and dev to verify v1.0.0");
    });

    it("marks an area ❌ for a wrong value and ⏳ for a missing one", () => {
        const areas = summariseAreas([
            { stack: "qa", key: "accountId", kind: "missing", message: "", fix: "" },
            { stack: "qa", key: "bucketName", kind: "invalid", message: "", fix: "" },
            { stack: "qa", key: "typoKey", kind: "unknown-key", message: "", fix: "" },
        ]);
        expect(areas).to.include({ stack: "broken", bucket: "broken", registry: "ready" });
        expect(
            summariseAreas([{ stack: "qa", key: "domain", kind: "missing", message: "", fix: "" }]).dokployApp,
        ).to.equal("waiting");
    });

    it("reports a missing stack file as waiting with the command that creates the stack", async () => {
        const r = await configReadiness("/nonexistent", "qa");
        expect(r.ok).to.equal(false);
        expect(r.problems[0]).to.include({ key: "(stack file)", fix: "pulumi stack init qa" });
    });
});

describe("promote options", () => {
    it("parses every option", () => {
        const o = parsePromoteArgs(
            [
                "--to",
                "qa",
                "--yes",
                "--image-tag",
                "v1.2.3",
                "--verbose",
                "--allow-replace",
                "--dry-run",
                "--health-timeout",
                "30",
                "--allowed-downtime",
                "500",
                "--probe-interval",
                "100",
                "--state-dir",
                "/tmp/s",
                "--pulumi-root",
                "/opt/pulumi",
            ],
            {},
            REPO,
        );
        expect(o).to.include({
            to: "qa",
            yes: true,
            imageTag: "v1.2.3",
            verbose: true,
            allowReplace: true,
            dryRun: true,
            healthDeadlineMs: 30_000,
            allowedDowntimeMs: 500,
            probeIntervalMs: 100,
            stateDir: "/tmp/s",
            pulumiRoot: "/opt/pulumi",
        });
        expect(targets(o)).to.deep.equal(["dev", "qa"]);
        expect(rerunCommand(o)).to.equal("npm run promote -- --dry-run --to qa --image-tag v1.2.3 --allow-replace");
    });

    it("takes the state dir from PROMOTION_STATE_DIR and defaults to .promotion/", () => {
        expect(parsePromoteArgs([], { PROMOTION_STATE_DIR: "/var/promo" }, REPO).stateDir).to.equal("/var/promo");
        expect(parsePromoteArgs([], {}, REPO).stateDir).to.equal(`${REPO}/.promotion`);
    });

    it("rejects unknown environments, bad tags and conflicting options", () => {
        const stderr = process.stderr.write.bind(process.stderr);
        process.stderr.write = () => true; // commander prints its own message; keep test output clean
        try {
            expect(() => parsePromoteArgs(["--to", "staging"], {}, REPO)).to.throw(/not an environment/);
            expect(() => parsePromoteArgs(["--image-tag", "v 1"], {}, REPO)).to.throw(/whitespace/);
            expect(() => parsePromoteArgs(["--only", "qa", "--to", "prod"], {}, REPO)).to.throw(/cannot be used with/);
            expect(() => parsePromoteArgs(["--rollback", "qa", "--only", "qa"], {}, REPO)).to.throw(
                /cannot be used with/,
            );
        } finally {
            process.stderr.write = stderr;
        }
    });
});
