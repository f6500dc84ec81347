/**
 * Temporary AWS shared config and credentials files (the AWS CLI's format: `[profile x]` in
 * config, `[x]` in credentials; https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html)
 * with one static key per profile, so the stand-in STS can tell profiles apart by key id.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";

export interface ProfileFiles {
    readonly dir: string;
    /** AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE pointing at the files. */
    readonly env: Readonly<Record<string, string>>;
    remove(): Promise<void>;
}

/** profiles: name → access key id. */
export async function writeProfiles(
    profiles: Readonly<Record<string, string>>,
    region = "us-west-2",
): Promise<ProfileFiles> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "creds-aws-"));
    const config = Object.keys(profiles)
        .map((p) => `[profile ${p}]\nregion = ${region}\n`)
        .join("\n");
    const credentials = Object.entries(profiles)
        .map(([p, key]) => `[${p}]\naws_access_key_id = ${key}\naws_secret_access_key = secret-of-${key}\n`)
        .join("\n");
    await writeFile(path.join(dir, "config"), config);
    await writeFile(path.join(dir, "credentials"), credentials);
    return {
        dir,
        env: { AWS_CONFIG_FILE: path.join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "credentials") },
        remove: () => rm(dir, { recursive: true, force: true }),
    };
}

/** Sets variables in process.env (undefined deletes) and returns how to put them back. */
export function patchEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (v: Record<string, string | undefined>) => {
        for (const [k, val] of Object.entries(v)) {
            if (val === undefined) delete process.env[k];
            else process.env[k] = val;
        }
    };
    apply({ ...vars });
    return () => apply(saved);
}
