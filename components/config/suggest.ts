/** "Did you mean …?" for mistyped config keys. */

function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}

/** The candidate nearest to `key` (case-insensitive), if it is near enough to be a typo. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
    let best: { name: string; d: number } | undefined;
    for (const name of candidates) {
        const d = distance(key.toLowerCase(), name.toLowerCase());
        if (!best || d < best.d) best = { name, d };
    }
    return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? best.name : undefined;
}
