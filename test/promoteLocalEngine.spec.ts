/**
 * The real LocalWorkspace adapter on this machine, which has no Pulumi CLI (PULUMI.md §6):
 * every call must end quickly in the one clear message, in-process and through the real
 * `promote`/`status` entry points, never in a hang or a stack trace.
 */
import { expect } from "chai";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CommandError, ConcurrentUpdateError, StackNotFoundError } from "@pulumi/pulumi/automation";
import { findPulumiCli } from "../automation/cliPresence";
import { CliMissingError, StackLockedError, StackMissingError } from "../automation/errors";
import { LocalEngine, translate } from "../automation/localEngine";
import { REPO } from "./support/promoteHarness";

interface Ran {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs an automation entry point as a user would; execa reports the exit code and output without throwing. */
async function runEntry(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
    const { execa } = await import("execa");
    const r = await execa(process.execPath, ["--import", "tsx", path.join(REPO, "automation", entry), ...args], {
        cwd: REPO,
        env,
        reject: false,
        // A hang guard, not a timing check: three of these start at once on a busy machine.
        timeout: 30_000,
    });
    if (r.timedOut) throw new Error(`${entry} ${args.join(" ")} did not finish in 30 s\n${r.stderr}`);
    return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe("LocalEngine without a Pulumi CLI", function () {
    this.timeout(40_000);
    let stateDir: string;
    // No pulumi anywhere on PATH: this machine has none, and a developer's would be hidden.
    const noCli = { PATH: path.dirname(process.execPath) };
    // The three entry points run at once (each its own node process and state folder), so their
    // loads overlap; each test below asserts its own run.
    let runs: Promise<{ promote: Ran; plan: Ran; status: Ran }>;
    before(async () => {
        stateDir = await mkdtemp(path.join(tmpdir(), "promote-local-"));
        const dir = (name: string) => path.join(stateDir, name);
        runs = Promise.all([
            runEntry("promote.ts", ["--only", "dev", "--yes", "--state-dir", dir("promote")], noCli),
            runEntry("promote.ts", ["--plan", "--state-dir", dir("plan")], noCli),
            runEntry("status.ts", ["--state-dir", dir("status")], noCli),
        ]).then(([promote, plan, status]) => ({ promote, plan, status }));
        // Settled here, so a failure is reported by the tests that read it, not as an unhandled rejection.
        runs.catch(() => undefined);
    });
    after(() => rm(stateDir, { recursive: true, force: true }));

    it("cliVersion and stack calls reject with CliMissingError and the install command", async () => {
        const saved = process.env.PATH;
        process.env.PATH = noCli.PATH;
        try {
            const engine = new LocalEngine({ projectDir: REPO });
            const err = await engine.cliVersion().then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(err).to.be.instanceOf(CliMissingError);
            expect((err as Error).message).to.include("curl -fsSL https://get.pulumi.com | sh");
            expect(
                await engine.stackExists("dev").then(
                    () => undefined,
                    (e: unknown) => e,
                ),
            ).to.be.instanceOf(CliMissingError);
            const rooted = new LocalEngine({ projectDir: REPO, pulumiRoot: "/nonexistent/pulumi" });
            expect(
                await rooted.cliVersion().then(
                    () => undefined,
                    (e: unknown) => e,
                ),
            ).to.be.instanceOf(CliMissingError);
        } finally {
            process.env.PATH = saved;
        }
    });

    it("npm run promote stops with the clear message (exit 1, no stack trace)", async () => {
        const r = (await runs).promote;
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.include("Pulumi CLI not found");
        expect(r.stdout).to.include("Next: curl -fsSL https://get.pulumi.com | sh");
        expect(r.stdout + r.stderr).to.not.match(/\n\s+at /);
    });

    it("npm run promote -- --plan needs no CLI and exits 0", async () => {
        const r = (await runs).plan;
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.include("dev: ✅ config complete");
    });

    it("npm run status prints the table and says in one line that live status is skipped", async () => {
        const r = (await runs).status;
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.match(/\| Component\s+\| DEV/);
        expect(
            r.stdout.split("\n").filter((l) => l.startsWith("Live status skipped: Pulumi CLI not found")),
        ).to.have.length(1);
        expect(r.stdout + r.stderr).to.not.match(/\n\s+at /);
    });
});

describe("finding the Pulumi CLI as the SDK's spawn would", () => {
    let dir: string;
    before(async () => {
        dir = await mkdtemp(path.join(tmpdir(), "cli-presence-"));
        for (const d of ["a", "b", "root/bin", "plain/bin"]) await mkdir(path.join(dir, d), { recursive: true });
        await writeFile(path.join(dir, "b", "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
        await writeFile(path.join(dir, "root", "bin", "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
        // Present but not executable: the spawn fails with EACCES, never runs it.
        await writeFile(path.join(dir, "plain", "bin", "pulumi"), "#!/bin/sh\n");
        await chmod(path.join(dir, "plain", "bin", "pulumi"), 0o644);
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it("searches PATH in order and skips directories without an executable pulumi", () => {
        const p = (...ds: string[]) => ds.map((d) => path.join(dir, d)).join(path.delimiter);
        expect(findPulumiCli(undefined, p("a", "b"))).to.equal(path.join(dir, "b", "pulumi"));
        expect(findPulumiCli(undefined, p("a", "plain/bin"))).to.equal(undefined);
        expect(findPulumiCli(undefined, "")).to.equal(undefined);
    });

    it("with a root, looks only at <root>/bin/pulumi, never on PATH", () => {
        expect(findPulumiCli(path.join(dir, "root"), path.join(dir, "b"))).to.equal(
            path.join(dir, "root", "bin", "pulumi"),
        );
        expect(findPulumiCli(path.join(dir, "a"), path.join(dir, "b"))).to.equal(undefined);
    });
});

describe("LocalEngine error translation", () => {
    // The Automation API builds these from a CommandResult; its toString() is all they read.
    const result = (stderr: string, code = 255) => ({
        toString: () => `code: ${code}\n stdout: \n stderr: ${stderr}\n err?: \n`,
    });
    const make = <T>(Ctor: new (r: never) => T, stderr: string, code?: number): T =>
        new Ctor(result(stderr, code) as never);

    it("maps a locked stack, a missing stack and a missing CLI to their own errors", () => {
        expect(
            translate(
                make(ConcurrentUpdateError, "error: [409] Conflict: Another update is currently in progress."),
                "qa",
            ),
        ).to.be.instanceOf(StackLockedError);
        expect(translate(make(StackNotFoundError, "error: no stack named 'qa' found"), "qa")).to.be.instanceOf(
            StackMissingError,
        );
        expect(translate(make(CommandError, "spawn pulumi ENOENT", -2))).to.be.instanceOf(CliMissingError);
    });

    it("keeps only the engine's error lines for any other failure", () => {
        const err = translate(
            make(CommandError, "Previewing update (dev)\nerror: the aws:region config is invalid\nerror: second"),
            "dev",
        ) as Error;
        expect(err.message).to.equal("dev: error: the aws:region config is invalid (+1 more; rerun with --verbose)");
    });
});
