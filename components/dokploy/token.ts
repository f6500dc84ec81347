/**
 * Where the provider finds the Dokploy API token: stack config passed to `configure()` (key
 * `nextstack:dokployApiToken`, or `dokploy:apiToken`), else `DOKPLOY_API_TOKEN`, else
 * `DOKPLOY_API_KEY`. `configure()` parks the config value in a process-global slot, and every
 * method reads the slot or the environment when it runs: nothing is captured by the
 * serializer, so the token never lands in the `__provider` text or in state, and rotating it
 * changes no input (no replacement, no diff).
 */

/** The stack config key, as `pulumi config set --secret dokployApiToken …` writes it. */
export const TOKEN_CONFIG_KEY = "nextstack:dokployApiToken";
export const TOKEN_CONFIG_ALT_KEY = "dokploy:apiToken";
const SLOT = "__nextstackDokployProviderConfig";

interface Slot {
    token?: string;
}

/** The subset of the dynamic provider's Config that is read. */
export interface ConfigLike {
    get(key: string): string | undefined;
}

function slot(): Slot {
    const g = globalThis as unknown as Record<string, Slot | undefined>;
    const existing = g[SLOT];
    if (existing) return existing;
    const created: Slot = {};
    g[SLOT] = created;
    return created;
}

function safeGet(config: ConfigLike, key: string): string | undefined {
    try {
        const v = config.get(key);
        return typeof v === "string" && v.trim().length > 0 ? v.trim() : undefined;
    } catch {
        // The engine may configure with no config at all; treat as absent.
        return undefined;
    }
}

/** Called from `configure()`: remembers the config token for this provider process. */
export function rememberConfiguredToken(config: ConfigLike | undefined): void {
    const s = slot();
    s.token = undefined;
    if (!config) return;
    // The bare key resolves in whatever project runs the provider (a harness or a renamed project).
    for (const key of [TOKEN_CONFIG_KEY, "dokployApiToken", TOKEN_CONFIG_ALT_KEY, "dokploy:apiKey", "dokploy:token"]) {
        s.token = safeGet(config, key);
        if (s.token) return;
    }
}

/** Forgets the configured token (tests). */
export function forgetConfiguredToken(): void {
    slot().token = undefined;
}

/** The token to use now, or a clear error saying how to set it. */
export function resolveToken(): string {
    const fromConfig = slot().token;
    if (fromConfig) return fromConfig;
    for (const name of ["DOKPLOY_API_TOKEN", "DOKPLOY_API_KEY", "DOKPLOY_TOKEN"]) {
        const v = process.env[name];
        if (v && v.trim().length > 0) return v.trim();
    }
    throw new Error(
        `No Dokploy API token: set the stack config key ${TOKEN_CONFIG_KEY} with ` +
            "`pulumi config set --secret dokployApiToken <key> -s <stack>` " +
            `(or ${TOKEN_CONFIG_ALT_KEY}, or the environment variable DOKPLOY_API_TOKEN). ` +
            "Create the key in Dokploy under Settings → Profile → API/CLI Keys with rate limiting off.",
    );
}
