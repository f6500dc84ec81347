/**
 * Raw stack configuration as the two places it comes from present it: the Pulumi runtime
 * (inside `pulumi up`/`preview`, values decrypted) and a committed Pulumi.<stack>.yaml
 * (offline, secrets only as ciphertext). Both become one map that validation reads.
 */
import { parse } from "yaml";
import { PROJECT } from "./schema";

export interface RawValue {
    /** The value as Pulumi stores it: scalars as text, lists and objects as JSON. */
    readonly value: string;
    /** Set with `--secret` (a `secure:` entry). */
    readonly secret: boolean;
    /** Only the ciphertext is known (read offline): its content cannot be checked. */
    readonly encrypted: boolean;
}

export interface RawStackConfig {
    readonly stack: string;
    /** Keys of this project bare (`accountId`), others namespaced (`aws:region`). */
    readonly values: ReadonlyMap<string, RawValue>;
}

/** `nextstack:accountId` → `accountId`; `aws:region` stays as it is. */
export function localKey(fullKey: string): string {
    const prefix = `${PROJECT}:`;
    return fullKey.startsWith(prefix) ? fullKey.slice(prefix.length) : fullKey;
}

function textOf(value: unknown): string {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
}

function isSecure(value: unknown): value is { secure: string } {
    return (
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length === 1 &&
        typeof (value as { secure?: unknown }).secure === "string"
    );
}

/** Reads the `config:` block of a Pulumi.<stack>.yaml file's text. */
export function fromStackYaml(stack: string, yamlText: string): RawStackConfig {
    const doc: unknown = parse(yamlText) ?? {};
    const config = typeof doc === "object" && doc !== null ? (doc as { config?: unknown }).config : undefined;
    const values = new Map<string, RawValue>();
    if (typeof config === "object" && config !== null) {
        for (const [key, value] of Object.entries(config)) {
            if (value === null || value === undefined) continue;
            values.set(
                localKey(key),
                isSecure(value)
                    ? { value: value.secure, secret: true, encrypted: true }
                    : { value: textOf(value), secret: false, encrypted: false },
            );
        }
    }
    return { stack, values };
}

/** Builds a raw config from plain entries (tests, and the Pulumi runtime reader). */
export function fromEntries(
    stack: string,
    entries: Record<string, string>,
    secretKeys: readonly string[] = [],
): RawStackConfig {
    const secrets = new Set(secretKeys.map(localKey));
    const values = new Map<string, RawValue>();
    for (const [key, value] of Object.entries(entries)) {
        const local = localKey(key);
        values.set(local, { value, secret: secrets.has(local), encrypted: false });
    }
    return { stack, values };
}
