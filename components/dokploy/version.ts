/**
 * Dokploy server versions and what they change for this client (shared/dokploy/API.md §12,
 * v0.30-differences.md). The client reads `settings.getDokployVersion` once and keeps the result.
 */

/** A parsed `vMAJOR.MINOR.PATCH`; `known` is false when the server did not tell. */
export interface DokployVersion {
    readonly raw: string;
    readonly major: number;
    readonly minor: number;
    readonly patch: number;
    readonly known: boolean;
}

/** Behaviour switches derived from the version. */
export interface DokployFeatures {
    /** v0.25.0+: applications live in environments. Older servers are not supported. */
    readonly environments: boolean;
    /** v0.28+: `application.update` on an unknown id answers 400, not 404. */
    readonly updateUnknownIs400: boolean;
    /** v0.29+: `deployment.all`/`domain.byApplicationId` answer `[]` for an unknown app. */
    readonly emptyListForUnknownApp: boolean;
    /** v0.25.5–v0.28.x: a set `stopGracePeriodSwarm` makes REST reads answer 500 (BigInt). */
    readonly bigIntReadBug: boolean;
}

/** Parses `"v0.25.6"` (with or without `v`, with a pre-release suffix). */
export function parseDokployVersion(raw: unknown): DokployVersion {
    const text = typeof raw === "string" ? raw : "";
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
    if (!m) return { raw: text || "unknown", major: 0, minor: 0, patch: 0, known: false };
    return { raw: text, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), known: true };
}

function atLeast(v: DokployVersion, major: number, minor: number, patch = 0): boolean {
    if (v.major !== major) return v.major > major;
    if (v.minor !== minor) return v.minor > minor;
    return v.patch >= patch;
}

/**
 * Features for a version. An unknown version is treated as the newest behaviour, because the
 * portable rules (send every field, re-read instead of trusting bodies) work on all versions.
 */
export function featuresOf(v: DokployVersion): DokployFeatures {
    if (!v.known) {
        return { environments: true, updateUnknownIs400: true, emptyListForUnknownApp: true, bigIntReadBug: false };
    }
    return {
        environments: atLeast(v, 0, 25, 0),
        updateUnknownIs400: atLeast(v, 0, 28, 0),
        emptyListForUnknownApp: atLeast(v, 0, 29, 0),
        bigIntReadBug: atLeast(v, 0, 25, 5) && !atLeast(v, 0, 29, 0),
    };
}
