/**
 * Environment variables as Dokploy stores them: one dotenv text. Args may give a map or the
 * text; `diff` compares the parsed maps so formatting (order, quotes, blank lines) is no drift.
 */

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** True when `k` can be a dotenv key. */
export function isEnvKey(k: string): boolean {
    return KEY.test(k);
}

function quote(v: string): string {
    if (v === "" || /^[^\s'"`#\\]+(?: [^\s'"`#\\]+)*$/.test(v)) return v;
    if (!v.includes("'")) return `'${v}'`;
    // Backticks before double quotes: dotenv expands \n and \r only inside double quotes, so a
    // value holding a literal backslash-n would come back (and reach the container) changed.
    if (!v.includes("`")) return `\`${v}\``;
    return `"${v.replace(/\r?\n/g, "\\n")}"`;
}

/** A map as dotenv text, in the map's order. */
export function toDotenv(vars: Readonly<Record<string, string>>): string {
    return Object.entries(vars)
        .map(([k, v]) => `${k}=${quote(v)}`)
        .join("\n");
}

/** Parses dotenv text like the `dotenv` package Dokploy uses (comments, quotes, `export`). */
export function parseDotenv(text: string | null | undefined): Map<string, string> {
    const out = new Map<string, string>();
    if (!text) return out;
    const LINE =
        /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
    const src = text.replace(/\r\n?/g, "\n");
    let m: RegExpExecArray | null;
    while ((m = LINE.exec(src)) !== null) {
        let value = (m[2] ?? "").trim();
        const q = value[0];
        value = value.replace(/^(['"`])([\s\S]*)\1$/, "$2");
        if (q === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
        out.set(m[1], value);
    }
    return out;
}

/** Same variables with the same values, whatever the formatting. */
export function sameEnv(a: string | null | undefined, b: string | null | undefined): boolean {
    const x = parseDotenv(a);
    const y = parseDotenv(b);
    if (x.size !== y.size) return false;
    for (const [k, v] of x) if (y.get(k) !== v) return false;
    return true;
}
