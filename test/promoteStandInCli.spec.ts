/**
 * The real LocalWorkspace adapter end to end, with the stand-in `pulumi` first on PATH
 * (test/support/standInPulumi) and a loopback STS: each engine run sees only its own
 * environment's AWS profile, a wrong-account profile stops the run before any preview, nothing
 * is left behind when a promotion stops before its update, and the user's selected stack stays.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { stsCallerIdentity } from "../automation/aws/callerIdentity";
import { StackMissingError } from "../automation/errors";
import { LocalEngine } from "../automation/localEngine";
import { parsePromoteArgs } from "../automation/options";
import { promote, PromotionResult } from "../automation/orchestrator";
import { PlainProgress } from "../automation/progress";
import { until } from "./support/loopback";
import { swarmCompletes } from "./support/standInPulumi/swarmCompletes";
import { ACCOUNTS, ENVS, KEYS, LogEntry, PROFILES, SHELL, stackOf, World, world } from "./support/standInPulumi/world";

async function run(
    w: World,
    args: string[],
    o: { isTTY?: boolean; confirm?: () => Promise<boolean> } = {},
): Promise<PromotionResult & { output: string }> {
    const lines: string[] = [];
    const options = parsePromoteArgs(
        ["--state-dir", w.stateDir, "--health-timeout", "5", "--probe-interval", "20", ...args],
        {},
        w.projectDir,
    );
    const result = await promote(options, {
        engine: new LocalEngine({ projectDir: w.projectDir, terminalDeliversSigint: false }),
        progress: new PlainProgress((l) => lines.push(l)),
        isTTY: o.isTTY ?? false,
        confirm: o.confirm ?? (async () => true),
        identityOf: stsCallerIdentity,
        rollout: swarmCompletes,
        healthIntervalMs: 10,
    });
    return { ...result, output: lines.join("\n") };
}

const engineRuns = (log: LogEntry[]) => log.filter((e) => e.kind === "run" && ["preview", "up"].includes(e.argv[0]));

describe("promotion through the real LocalWorkspace adapter and a stand-in pulumi CLI", function () {
    this.timeout(60_000);

    describe("dev → qa → prod", () => {
        let w: World;
        let r: PromotionResult & { output: string };
        before(async () => {
            w = await world();
            r = await run(w, ["--yes"]);
        });
        after(() => w.dispose());

        it("verifies every environment", () => {
            expect(r.exitCode, r.output).to.equal(0);
            expect(r.results.map((x) => `${x.env} ${x.status} ${x.version}`)).to.deep.equal([
                "dev verified v1.0.0",
                "qa verified v1.0.0",
                "prod verified v1.0.0",
            ]);
            expect(r.output).to.include("AWS credentials");
        });

        it("shows each preview's changes, which the CLI streamed to the Automation API as engine events", () => {
            for (const env of ENVS) {
                // summaryEvent → changeSummary; resourcePreEvent → the change line (and the rollout watch).
                expect(r.output).to.include(`${env}: preview: 1 to create, 20 unchanged`);
                expect(r.output).to.match(new RegExp(`create +pulumi-nodejs:dynamic/dokploy:Application +${env}-app`));
            }
        });

        it("runs each environment's engine with its own profile only, never the shell's credentials", () => {
            const log = w.log();
            const runs = engineRuns(log);
            expect(runs.map((e) => `${e.argv[0]} ${stackOf(e.argv)}`)).to.deep.equal([
                "preview dev",
                "up dev",
                "preview qa",
                "up qa",
                "preview prod",
                "up prod",
            ]);
            // Every CLI call that addresses a stack, not only preview/up (config, outputs, history).
            const stackCalls = log.filter((e) => e.kind === "run" && stackOf(e.argv));
            expect(stackCalls.length).to.be.greaterThan(runs.length);
            for (const e of stackCalls) {
                const env = stackOf(e.argv) as (typeof ENVS)[number];
                const aws = e.env ?? {};
                expect(aws.AWS_PROFILE, e.argv.join(" ")).to.equal(PROFILES[env]);
                expect(aws.AWS_REGION).to.equal("us-west-2");
                expect(aws).to.not.have.any.keys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
                expect(Object.values(aws)).to.not.include(SHELL.AWS_PROFILE);
                expect(e.cwd).to.equal(w.projectDir);
            }
        });

        it("checked each account through its own profile before the first preview", () => {
            expect(w.sts.calls.map((c) => c.accessKeyId)).to.deep.equal([KEYS.dev, KEYS.qa, KEYS.prod]);
            expect(r.output.indexOf("AWS credentials")).to.be.lessThan(r.output.indexOf("dev: preview"));
            expect(r.output).to.include(`dev ${ACCOUNTS.dev} (${PROFILES.dev}), qa ${ACCOUNTS.qa} (${PROFILES.qa})`);
        });

        it("leaves the user's selected stack as it was and never runs `stack select`", () => {
            expect(w.selectedStack()).to.equal("qa");
            expect(w.log().filter((e) => e.argv[0] === "stack" && e.argv[1] === "select")).to.deep.equal([]);
        });
    });

    it("a profile that reaches another account stops the run before any preview, naming profile and account", async () => {
        // qa's profile holds a key of the dev account.
        const w = await world({ profileKeys: { qa: KEYS.dev } });
        try {
            const before = await w.stackFiles();
            const r = await run(w, ["--yes"]);
            expect(r.exitCode).to.equal(1);
            expect(r.output).to.include(
                `qa: the AWS profile "${PROFILES.qa}" reaches account ${ACCOUNTS.dev} (arn:aws:iam::${ACCOUNTS.dev}:user/${KEYS.dev}), not ${ACCOUNTS.qa} (accountId in Pulumi.qa.yaml).`,
            );
            expect(r.output).to.include(
                `Next: pulumi config set aws:profile <the profile of account ${ACCOUNTS.qa}> -s qa`,
            );
            expect(engineRuns(w.log())).to.deep.equal([]);
            expect(await w.stackFiles()).to.deep.equal(before);
        } finally {
            await w.dispose();
        }
    });

    it("reads each stack's config once per run and keeps it in step with its own config set", async () => {
        const w = await world();
        try {
            const engine = new LocalEngine({ projectDir: w.projectDir, terminalDeliversSigint: false });
            const reads = () =>
                w.log().filter((e) => e.kind === "run" && e.argv[0] === "config" && e.argv.includes("--show-secrets"));
            const tag = await engine.getConfig("dev", "imageTag");
            expect(tag).to.be.a("string").and.not.equal("v9.9.9");
            await engine.setConfig("dev", "imageTag", "v9.9.9");
            expect(await engine.getConfig("dev", "imageTag")).to.equal("v9.9.9");
            expect(reads()).to.have.length(1);
            // What the CLI wrote is what a later run reads.
            const later = new LocalEngine({ projectDir: w.projectDir, terminalDeliversSigint: false });
            expect(await later.getConfig("dev", "imageTag")).to.equal("v9.9.9");
            expect(reads()).to.have.length(2);
        } finally {
            await w.dispose();
        }
    });

    it("a later run reads a stack file edited by hand since, as the real CLI reads it on every call", async () => {
        const w = await world();
        try {
            const file = path.join(w.projectDir, "Pulumi.dev.yaml");
            const first = new LocalEngine({ projectDir: w.projectDir, terminalDeliversSigint: false });
            expect(await first.getConfig("dev", "imageTag")).to.equal("v1.0.0");
            // Not through the CLI (an editor, git): same length, only the text differs.
            const text = await readFile(file, "utf8");
            expect(text).to.include("nextstack:imageTag: v1.0.0\n");
            await writeFile(file, text.replace("nextstack:imageTag: v1.0.0\n", "nextstack:imageTag: v3.0.0\n"));
            const later = new LocalEngine({ projectDir: w.projectDir, terminalDeliversSigint: false });
            expect(await later.getConfig("dev", "imageTag")).to.equal("v3.0.0");
        } finally {
            await w.dispose();
        }
    });

    it("a stack missing from the backend is reported as missing although nothing selects it", async () => {
        const w = await world({ existing: ["dev", "qa"] });
        try {
            const engine = new LocalEngine({ projectDir: w.projectDir, terminalDeliversSigint: false });
            expect(await engine.stackExists("prod")).to.equal(false);
            expect(await engine.stackExists("qa")).to.equal(true);
            const err = await engine.getConfig("prod", "imageTag").catch((e: unknown) => e);
            expect(err).to.be.instanceOf(StackMissingError);
            expect((err as StackMissingError).next).to.equal(
                "pulumi stack init prod   (after: pulumi login <backend>)",
            );
        } finally {
            await w.dispose();
        }
    });

    describe("a promotion that stops before its update leaves the stack files exactly as they were", () => {
        const cases: {
            what: string;
            args: string[];
            isTTY?: boolean;
            confirm?: () => Promise<boolean>;
            behaviour?: Parameters<typeof world>[0];
            says: string;
        }[] = [
            {
                what: "a declined prompt",
                args: ["--only", "dev", "--image-tag", "v2.0.0"],
                isTTY: true,
                confirm: async () => false,
                says: "dev",
            },
            {
                what: "a gate refusal (no terminal, no --yes)",
                args: ["--only", "dev", "--image-tag", "v2.0.0"],
                says: "--yes",
            },
            {
                what: "a failed preview",
                args: ["--only", "dev", "--image-tag", "v2.0.0", "--yes"],
                behaviour: { behaviour: { dev: { failPreview: "aws:ecr/repository:Repository: AccessDenied" } } },
                says: "AccessDenied",
            },
        ];
        for (const c of cases) {
            it(c.what, async () => {
                const w = await world(c.behaviour);
                try {
                    const before = await w.stackFiles();
                    const r = await run(w, c.args, { isTTY: c.isTTY, confirm: c.confirm });
                    expect(r.exitCode, r.output).to.equal(1);
                    expect(r.output).to.include(c.says);
                    const log = w.log();
                    // The version was pinned for the preview, so the restore is what is being tested.
                    expect(log.some((e) => e.argv[0] === "config" && e.argv[1] === "set")).to.equal(true);
                    expect(engineRuns(log).map((e) => e.argv[0])).to.deep.equal(["preview"]);
                    expect(await w.stackFiles()).to.deep.equal(before);
                    expect(w.selectedStack()).to.equal("qa");
                } finally {
                    await w.dispose();
                }
            });
        }
    });
});

describe("Ctrl-C in a terminal reaches the engine once", function () {
    this.timeout(60_000);
    // util-linux `script` gives the promotion a real pseudo-terminal; typing ^C there makes the
    // kernel send SIGINT to the whole foreground process group, exactly as a user's terminal does.
    const hasScript = spawnSync("script", ["--version"]).status === 0;

    type Interrupted = { code: number | null; log: LogEntry[]; text: string };

    /** Types ^C during dev's update in world `w`; `settle` runs once the promotion has handled it. */
    async function interruptedUp(
        w: World,
        mode: "default" | "forward",
        settle: (w: World) => Promise<void>,
    ): Promise<Interrupted> {
        const fixture = path.join(__dirname, "support", "standInPulumi", "promoteInTerminal.ts");
        const runtime = path.join(__dirname, "support", "typescriptRuntime.mjs");
        const command = [process.execPath, "--import", runtime, fixture, w.projectDir, w.stateDir, mode]
            .map((a) => `'${a}'`)
            .join(" ");
        const child = spawn("script", ["-qec", command, "/dev/null"], {
            cwd: path.resolve(__dirname, ".."),
            env: w.childEnv,
            stdio: ["pipe", "pipe", "pipe"],
        });
        let text = "";
        child.stdout.on("data", (d: Buffer) => (text += d.toString()));
        child.stderr.on("data", (d: Buffer) => (text += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        try {
            await until(
                () => w.log().some((e) => e.kind === "holding" && e.what === "up"),
                "the update to start",
                30_000,
            );
            child.stdin.write("\x03");
            // The promotion has aborted (and forwarded, if it does) once it prints this; the CLI has the first SIGINT.
            await until(
                () => text.includes("Ctrl-C: cancelling") && w.log().some((e) => e.kind === "signal"),
                "the promotion and the CLI to see Ctrl-C",
                30_000,
            );
            await settle(w).catch((err: unknown) => {
                const signals = w.log().filter((e) => e.kind === "signal");
                throw new Error(`${String(err)}; signals: ${JSON.stringify(signals)}; output:\n${text}`);
            });
            const code = await exited;
            return { code, log: w.log(), text };
        } finally {
            // Bounded: a promotion that never got ^C is stopped here, not left behind.
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        }
    }

    // Both promotions run at once, each in its own world, pseudo-terminal and process group, so
    // their two node processes start side by side instead of one after the other. The worlds patch
    // this process's environment (for in-process engines only; the children get childEnv), so they
    // are made in turn and disposed of in reverse order.
    const outcome: Partial<Record<"default" | "forward", PromiseSettledResult<Interrupted>>> = {};
    before(async function () {
        if (!hasScript) return;
        const held = { behaviour: { dev: { holdUp: true, holdCancel: true } } };
        const worlds = [await world(held), await world(held)];
        try {
            const [first, second] = await Promise.allSettled([
                // Any forwarded SIGINT was sent before the promotion printed its line: let the cancel finish.
                interruptedUp(worlds[0], "default", (w) => w.releaseCancel()),
                interruptedUp(worlds[1], "forward", (w) =>
                    until(() => w.log().filter((e) => e.kind === "signal").length === 2, "the second SIGINT", 30_000),
                ),
            ]);
            outcome.default = first;
            outcome.forward = second;
        } finally {
            for (const w of worlds.reverse()) await w.dispose();
        }
    });
    const result = (mode: "default" | "forward"): Interrupted => {
        const r = outcome[mode];
        if (!r) throw new Error(`no ${mode} run`);
        if (r.status === "rejected") throw r.reason;
        return r.value;
    };

    it("the CLI gets one SIGINT, cancels cleanly, and the promotion exits 130", function () {
        if (!hasScript) {
            console.log("      skipped: util-linux `script` (a pseudo-terminal) is not installed");
            return this.skip();
        }
        const r = result("default");
        const upPid = r.log.find((e) => e.kind === "run" && e.argv[0] === "up")?.pid;
        expect(
            r.log.filter((e) => e.kind === "signal").map((e) => `${e.signal} ${e.pid === upPid ? "up" : e.pid}`),
        ).to.deep.equal(["SIGINT up"]);
        expect(r.log.filter((e) => e.kind === "signal").map((e) => e.outcome)).to.deep.equal(["cancelling"]);
        expect(r.text).to.include("Interrupted during dev (Ctrl-C)");
        expect(r.code, r.text).to.equal(130);
    });

    it("control: forwarding the abort as well makes it the CLI's second SIGINT, which terminates it", function () {
        if (!hasScript) return this.skip();
        const r = result("forward");
        expect(r.log.filter((e) => e.kind === "signal").map((e) => `${e.signal} ${e.outcome}`)).to.deep.equal([
            "SIGINT cancelling",
            "SIGINT terminating",
        ]);
    });
});
