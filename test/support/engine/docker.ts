/** The docker CLI bound to the test engine's socket (execa: exit code and output matter here). */
import { DOCKER_HOST } from "./env";

export interface DockerResult {
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface DockerOptions {
    /** Resolve with a non-zero exit code instead of throwing. */
    readonly allowFailure?: boolean;
    /** Data written to the command's stdin. */
    readonly input?: string;
    /** Upper bound for the command; default 120 s (a push of the proxy image is the slowest). */
    readonly timeoutMs?: number;
}

/** The environment every engine command runs with: only DOCKER_HOST is forced. */
export function dockerEnv(): NodeJS.ProcessEnv {
    return { ...process.env, DOCKER_HOST };
}

/** Runs `docker <args>` against the engine; throws with stderr on a non-zero exit unless allowFailure. */
export async function docker(args: readonly string[], options: DockerOptions = {}): Promise<DockerResult> {
    const { execa } = await import("execa");
    const result = await execa("docker", args, {
        env: dockerEnv(),
        reject: false,
        input: options.input,
        timeout: options.timeoutMs ?? 120_000,
        stripFinalNewline: true,
    });
    // no exit code: the CLI did not run at all (not installed, ENOENT): say so in stderr
    const exitCode = result.exitCode ?? -1;
    const stderr =
        result.exitCode === undefined ? (result.shortMessage ?? "docker did not run") : String(result.stderr);
    const out: DockerResult = { exitCode, stdout: String(result.stdout ?? ""), stderr };
    if (exitCode !== 0 && !options.allowFailure) {
        const why = result.timedOut ? "timed out" : `exit ${exitCode}`;
        throw new Error(`docker ${args.join(" ")}: ${why}: ${out.stderr.trim() || out.stdout.trim()}`);
    }
    return out;
}

/** `docker ... --format '{{json .}}'`-style output parsed as JSON. */
export async function dockerJson<T>(args: readonly string[]): Promise<T> {
    return JSON.parse((await docker(args)).stdout) as T;
}
