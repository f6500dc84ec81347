// better-auth API-key checks as Dokploy v0.25.6 wires them (API.md §2): only `x-api-key`
// counts; each REST request verifies the key twice (the Next route wrapper, then the tRPC
// context), and a rate-limited key answers the same code-less 401 as an unknown one.
import type { IncomingHttpHeaders } from "node:http";

interface KeyState {
    key: string;
    rateLimitMax: number | undefined;
    verifications: number;
}

export class KeyRing {
    private readonly keys = new Map<string, KeyState>();

    constructor(keys: { key: string; rateLimitMax?: number }[]) {
        for (const k of keys) this.keys.set(k.key, { key: k.key, rateLimitMax: k.rateLimitMax, verifications: 0 });
    }

    /** The key sent in `x-api-key`, if any. `Authorization: Bearer` is ignored on purpose. */
    static keyOf(headers: IncomingHttpHeaders): string | undefined {
        const value = headers["x-api-key"];
        return typeof value === "string" && value !== "" ? value : undefined;
    }

    /** One better-auth verification: false when unknown or over its rate limit. */
    verify(key: string | undefined): boolean {
        if (key === undefined) return false;
        const state = this.keys.get(key);
        if (!state) return false;
        if (state.rateLimitMax !== undefined && state.verifications >= state.rateLimitMax) return false;
        state.verifications++;
        return true;
    }

    verificationsOf(key: string): number {
        return this.keys.get(key)?.verifications ?? 0;
    }
}
