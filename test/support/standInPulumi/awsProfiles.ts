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

export interface SsoProfile {
    readonly profile: string;
    readonly session: string;
    readonly account: string;
    readonly role: string;
}

/**
 * An SSO profile as `aws configure sso` writes it (`[profile x]` with sso_session, sso_account_id,
 * sso_role_name; `[sso-session s]` with sso_start_url, sso_region), and the token cache
 * `aws sso login` leaves in ~/.aws/sso/cache/<sha1(session name)>.json
 * (https://docs.aws.amazon.com/cli/latest/userguide/sso-configure-profile-token.html).
 * `home` stands in for $HOME.
 */
export async function writeSsoProfile(home: string, p: SsoProfile, token: string, expiresAt: Date): Promise<string> {
    const { createHash } = await import("node:crypto");
    const { mkdir, appendFile } = await import("node:fs/promises");
    const configFile = path.join(home, ".aws", "config");
    await mkdir(path.join(home, ".aws", "sso", "cache"), { recursive: true });
    await appendFile(
        configFile,
        `[profile ${p.profile}]\nsso_session = ${p.session}\nsso_account_id = ${p.account}\nsso_role_name = ${p.role}\nregion = us-west-2\n\n` +
            `[sso-session ${p.session}]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-west-2\nsso_registration_scopes = sso:account:access\n\n`,
    );
    const cache = path.join(home, ".aws", "sso", "cache", `${createHash("sha1").update(p.session).digest("hex")}.json`);
    await writeFile(
        cache,
        JSON.stringify({
            startUrl: "https://example.awsapps.com/start",
            region: "us-west-2",
            accessToken: token,
            expiresAt: expiresAt.toISOString().replace(/\.\d+Z$/, "Z"),
        }),
    );
    return configFile;
}
