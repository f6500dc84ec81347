// Identifier and name generation the way Dokploy does it: nanoid() ids (21 chars of
// [A-Za-z0-9_-]), appName = cleaned name + "-" + 6 of [a-z0-9] (schema/utils.ts), and a
// faker-style "app-<verb>-<adjective>-<noun>-<6>" when no appName is given.
import { randomBytes } from "node:crypto";

const NANOID_ALPHABET = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomFrom(alphabet: string, length: number): string {
    const bytes = randomBytes(length);
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
    return out;
}

export function newId(): string {
    return randomFrom(NANOID_ALPHABET, 21);
}

export function randomSuffix(): string {
    return randomFrom(LOWER_ALNUM, 6);
}

// faker's hacker vocabulary, which Dokploy's generateRandomName draws from; several words
// contain hyphens, so an appName must never be parsed (API.md §9).
const VERBS = [
    "parse",
    "hack",
    "index",
    "copy",
    "navigate",
    "override",
    "compress",
    "generate",
    "bypass",
    "back-up",
    "connect",
    "program",
    "input",
    "quantify",
    "synthesize",
    "calculate",
    "transmit",
    "reboot",
];
const ADJECTIVES = [
    "multi-byte",
    "bluetooth",
    "virtual",
    "auxiliary",
    "primary",
    "back-end",
    "digital",
    "open-source",
    "wireless",
    "haptic",
    "neural",
    "optical",
    "mobile",
    "redundant",
    "solid-state",
    "cross-platform",
];
const NOUNS = [
    "feed",
    "interface",
    "driver",
    "panel",
    "pixel",
    "circuit",
    "bandwidth",
    "protocol",
    "firewall",
    "alarm",
    "array",
    "card",
    "matrix",
    "monitor",
    "sensor",
    "system",
    "application",
    "bus",
    "port",
    "program",
    "capacitor",
    "hard-drive",
    "microchip",
    "transmitter",
];

function pick(words: string[]): string {
    return words[randomBytes(1)[0]! % words.length]!;
}

/** buildAppName("app", appName): trimmed, spaces to "-", lower-cased, random suffix. */
export function buildAppName(requested: string | undefined): string {
    if (requested) return `${requested.trim().replace(/ /g, "-").toLowerCase()}-${randomSuffix()}`;
    return `app-${pick(VERBS)}-${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomSuffix()}`;
}

/** ISO-8601 with milliseconds and Z, like the Postgres timestamps Dokploy returns. */
export function nowIso(): string {
    return new Date().toISOString();
}

/** logPath = /etc/dokploy/logs/<appName>/<appName>-<yyyy-MM-dd:HH:mm:ss>.log (services/deployment.ts). */
export function deploymentLogPath(appName: string, at: Date): string {
    const stamp = at.toISOString().slice(0, 19).replace("T", ":");
    return `/etc/dokploy/logs/${appName}/${appName}-${stamp}.log`;
}
