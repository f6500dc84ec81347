/**
 * Stack configs for the tests: the committed Pulumi.<stack>.yaml files, with each `secure:`
 * entry replaced by a recognisable sentinel (the ciphertext cannot be read without the
 * passphrase), and qa/prod completed with the values their files say are still to be set.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fromEntries, fromStackYaml, KEY_SPECS, StackConfig, validateStackConfig } from "../components/config";

/** Secret values that must never appear in plain text anywhere. */
export const SENTINEL = {
    clerkSecretKey: "sk_live_SENTINEL-clerk-secret-91c3",
    dokployApiToken: "SENTINEL-dokploy-token-5e2b",
    databaseUrl: "postgresql://app:SENTINEL-db-password-7d40@db.internal:5432/app",
    sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nSENTINEL-ssh-key-c0ffee\n-----END OPENSSH PRIVATE KEY-----",
    githubToken: "SENTINEL-github-token-ab12",
} as const;

/** The distinctive part of each sentinel, to search serialized text for. */
export const SENTINEL_MARKERS = [
    "SENTINEL-clerk-secret",
    "SENTINEL-dokploy-token",
    "SENTINEL-db-password",
    "SENTINEL-ssh-key",
    "SENTINEL-github-token",
    "mock-aws-secret-access-key-SENTINEL",
];

const SECRET_VALUES: Record<string, string> = {
    clerkSecretKey: SENTINEL.clerkSecretKey,
    dokployApiToken: SENTINEL.dokployApiToken,
    databaseUrl: SENTINEL.databaseUrl,
    sshPrivateKey: SENTINEL.sshPrivateKey,
    "github:token": SENTINEL.githubToken,
};

export const SECRET_KEYS = KEY_SPECS.filter((s) => s.secret).map((s) => s.key);

/** What qa and prod still need, as the comments in their stack files list it. */
const COMPLETIONS: Record<"qa" | "prod", Record<string, string>> = {
    qa: {
        accountId: "222222222222",
        dokployUrl: "https://dokploy-qa.nextstack-saas-starter.com",
        dokployHost: "dokploy-qa.nextstack-saas-starter.com",
        sshHostKey:
            "dokploy-qa.nextstack-saas-starter.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIQaHostKeyForTestsOnly0000000000000000000000",
        clerkPublishableKey: "pk_live_cWEuY2xlcmsuZXhhbXBsZSQ",
    },
    prod: {
        accountId: "333333333333",
        dokployUrl: "https://dokploy-prod.nextstack-saas-starter.com",
        dokployHost: "dokploy-prod.nextstack-saas-starter.com",
        sshHostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProdHostKeyForTestsOnly00000000000000000000",
        clerkPublishableKey: "pk_live_cHJvZC5jbGVyay5leGFtcGxlJA",
        prodReviewers: '["alice","bob"]',
    },
};

export type StackName = "dev" | "qa" | "prod";

export function stackYaml(stack: StackName): string {
    return readFileSync(path.resolve(__dirname, "..", `Pulumi.${stack}.yaml`), "utf8");
}

const committed = new Map<StackName, Readonly<Record<string, string>>>();

/**
 * The committed file's plain values with sentinels for its secrets (bare keys, `aws:` kept). The
 * file is parsed once per process (the program specs ask for it 169 times, ~2 ms of YAML each).
 */
export function committedEntries(stack: StackName): Record<string, string> {
    let entries = committed.get(stack);
    if (!entries) {
        const parsed: Record<string, string> = {};
        for (const [key, v] of fromStackYaml(stack, stackYaml(stack)).values)
            parsed[key] = v.secret ? (SECRET_VALUES[key] ?? "SENTINEL-unknown") : v.value;
        entries = parsed;
        committed.set(stack, entries);
    }
    return { ...entries };
}

/** A complete, valid config for the stack: committed values, completions, every secret set. */
export function stackEntries(stack: StackName, overrides: Record<string, string> = {}): Record<string, string> {
    const entries = { ...committedEntries(stack), ...(stack === "dev" ? {} : COMPLETIONS[stack]) };
    for (const key of ["clerkSecretKey", "dokployApiToken", "databaseUrl", "sshPrivateKey"])
        entries[key] = SECRET_VALUES[key];
    return { ...entries, ...overrides };
}

/** The entries' secret keys, as `pulumi config set --secret` would have marked them. */
export function secretKeysOf(entries: Record<string, string>): string[] {
    return Object.keys(entries).filter((k) => SECRET_KEYS.includes(k));
}

/** A validated StackConfig for component tests; throws with the problems if invalid. */
export function stackConfig(stack: StackName, overrides: Record<string, string> = {}): StackConfig {
    const entries = stackEntries(stack, overrides);
    const result = validateStackConfig(fromEntries(stack, entries, secretKeysOf(entries)));
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.key}: ${p.message}`).join("\n"));
    return result.config;
}
