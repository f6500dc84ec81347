/**
 * A complete world for the real LocalWorkspace adapter without a real CLI or AWS: a temp project
 * whose three stacks each name their own AWS profile and account, the stand-in `pulumi` first on
 * PATH (bin/), the loopback STS mapping each profile's key to an account, and a loopback app
 * that answers the health check. The user's shell exports another profile and access key, which
 * no engine run may see.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EnvironmentName } from "../../../components/config";
import { Loopback, startLoopback } from "../loopback";
import { rememberConfig, writeAnswers } from "./answers.cjs";
import { patchEnv, ProfileFiles, writeProfiles } from "./awsProfiles";
import { StandInSts, startStandInSts } from "./sts";

const REPO = path.resolve(__dirname, "..", "..", "..");
export const ENVS = ["dev", "qa", "prod"] as const;
export const ACCOUNTS: Record<EnvironmentName, string> = {
    dev: "111111111111",
    qa: "222222222222",
    prod: "333333333333",
};
export const PROFILES: Record<EnvironmentName, string> = {
    dev: "jesusidev-DEV",
    qa: "jesusidev-QA",
    prod: "jesusidev-PROD",
};
export const KEYS: Record<EnvironmentName, string> = {
    dev: "AKIADEV0000000000001",
    qa: "AKIAQA00000000000002",
    prod: "AKIAPROD000000000003",
};
/** What the user's shell exports: it must reach no engine run. */
export const SHELL = { AWS_PROFILE: "personal-admin", AWS_ACCESS_KEY_ID: "AKIASHELL00000000009" };

export interface StackBehaviour {
    failPreview?: string;
    holdUp?: boolean;
    holdPreview?: boolean;
    /** The CLI's cancellation lasts until the test calls releaseCancel(). */
    holdCancel?: boolean;
}

export interface LogEntry {
    readonly pid: number;
    readonly kind: "run" | "signal" | "holding";
    readonly argv: readonly string[];
    readonly cwd?: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly what?: string;
    readonly stack?: string;
    readonly signal?: string;
    /** What the CLI did with a signal: the first cancels, the second terminates. */
    readonly outcome?: "cancelling" | "terminating";
}

export interface World {
    readonly projectDir: string;
    readonly stateDir: string;
    readonly cliState: string;
    readonly app: Loopback;
    readonly sts: StandInSts;
    /** Environment for a child process running a promotion in this world. */
    readonly childEnv: NodeJS.ProcessEnv;
    log(): LogEntry[];
    stackFiles(): Promise<Record<EnvironmentName, string>>;
    selectedStack(): string;
    releaseCancel(): Promise<void>;
    dispose(): Promise<void>;
}

export async function world(
    o: {
        /** Stacks that exist in the backend (default: all three). */
        existing?: readonly EnvironmentName[];
        profileKeys?: Partial<Record<EnvironmentName, string>>;
        behaviour?: Partial<Record<EnvironmentName, StackBehaviour>>;
    } = {},
): Promise<World> {
    const tmp = await mkdtemp(path.join(tmpdir(), "creds-world-"));
    const projectDir = path.join(tmp, "project");
    const cliState = path.join(tmp, "cli");
    await mkdir(projectDir);
    await mkdir(cliState);
    const dev = await readFile(path.join(REPO, "Pulumi.dev.yaml"), "utf8");
    for (const env of ENVS) {
        const text = dev
            .replace(/nextstack:accountId: .*/, `nextstack:accountId: "${ACCOUNTS[env]}"`)
            .replace(/nextstack:imageTag: .*/, "nextstack:imageTag: v1.0.0")
            .replace(/config:\n/, `config:\n  aws:profile: ${PROFILES[env]}\n`)
            // prod refuses a Clerk development key (components/config rules).
            .replace(/nextstack:clerkPublishableKey: .*/, (line) =>
                env === "prod" ? "nextstack:clerkPublishableKey: pk_live_cHJvZC5jbGVyay5leGFtcGxlJA" : line,
            );
        await writeFile(path.join(projectDir, `Pulumi.${env}.yaml`), text);
        // The stand-in's parse of it, ready for its calls (it runs in the project, process.cwd() is physical).
        rememberConfig(cliState, env, path.join(realpathSync(projectDir), `Pulumi.${env}.yaml`), text);
    }
    await writeFile(path.join(projectDir, "Pulumi.yaml"), await readFile(path.join(REPO, "Pulumi.yaml"), "utf8"));

    const app = await startLoopback((req, res) => {
        res.statusCode = 200;
        res.end("ok");
    });
    const stacks = Object.fromEntries(
        (o.existing ?? ENVS).map((env) => [
            env,
            {
                ...o.behaviour?.[env],
                outputs: {
                    environment: env,
                    appUrl: `${app.url}/${env}/`,
                    healthUrl: `${app.url}/${env}/api/health`,
                    deploymentStatus: "done",
                    deploymentId: `dep-${env}-{imageTag}`,
                    dokployAppName: `nextstack-saas-starter-${env}`,
                    ecrRepositoryUrl: `${ACCOUNTS[env]}.dkr.ecr.us-west-2.amazonaws.com/nextstack-saas-starter-${env}`,
                },
            },
        ]),
    );
    await writeFile(path.join(cliState, "script.json"), JSON.stringify({ stacks }));
    // The user's own selection, which a promotion must leave alone.
    await writeFile(path.join(cliState, "current"), "qa");
    // What bin/pulumi answers without node (`stack ls`, `stack output`, `stack history`).
    writeAnswers(cliState);

    const sts = await startStandInSts();
    for (const env of ENVS) sts.addKey(KEYS[env], ACCOUNTS[env]);
    sts.addKey(SHELL.AWS_ACCESS_KEY_ID, "999999999999");
    const keys = { ...KEYS, ...o.profileKeys };
    const profiles: ProfileFiles = await writeProfiles({
        [PROFILES.dev]: keys.dev,
        [PROFILES.qa]: keys.qa,
        [PROFILES.prod]: keys.prod,
        [SHELL.AWS_PROFILE]: SHELL.AWS_ACCESS_KEY_ID,
    });
    const vars = {
        PATH: `${path.join(__dirname, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
        STANDIN_PULUMI_STATE: cliState,
        STANDIN_PULUMI_NODE: process.execPath,
        PULUMI_CONFIG_PASSPHRASE: "nextstack-dev-example",
        AWS_ENDPOINT_URL_STS: sts.url,
        ...profiles.env,
        ...SHELL,
        AWS_SECRET_ACCESS_KEY: "shell-secret",
    };
    const restore = patchEnv(vars);
    return {
        projectDir,
        stateDir: path.join(tmp, "records"),
        cliState,
        app,
        sts,
        childEnv: { ...process.env, ...vars },
        log: () =>
            existsSync(path.join(cliState, "log.jsonl"))
                ? readFileSync(path.join(cliState, "log.jsonl"), "utf8")
                      .split("\n")
                      .filter((l) => l !== "")
                      .map((l) => JSON.parse(l) as LogEntry)
                : [],
        async stackFiles() {
            const files = await Promise.all(
                ENVS.map((env) => readFile(path.join(projectDir, `Pulumi.${env}.yaml`), "utf8")),
            );
            return { dev: files[0], qa: files[1], prod: files[2] };
        },
        selectedStack: () => readFileSync(path.join(cliState, "current"), "utf8"),
        releaseCancel: () => writeFile(path.join(cliState, "release-cancel"), ""),
        async dispose() {
            restore();
            await app.close();
            await sts.close();
            await profiles.remove();
            await rm(tmp, { recursive: true, force: true });
        },
    };
}

/** The stack an argv addresses (`--stack X`). */
export const stackOf = (argv: readonly string[]): string | undefined =>
    argv.includes("--stack") ? argv[argv.indexOf("--stack") + 1] : undefined;
