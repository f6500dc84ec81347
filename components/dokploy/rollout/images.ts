/**
 * Image references as the engine shows them. Dokploy passes `dockerImage` verbatim to the
 * service spec, and `Config.Image`/`docker service ls` show it as given (log §4.2); a CLI-created
 * spec may carry a pinned `@sha256:` digest and Docker Hub images may be spelled in full, so
 * those are compared loosely.
 */

function canonical(ref: string): string {
    let r = ref.trim();
    const at = r.indexOf("@");
    const digest = at >= 0 ? r.slice(at) : "";
    if (at >= 0) r = r.slice(0, at);
    r = r.replace(/^docker\.io\//, "").replace(/^index\.docker\.io\//, "");
    r = r.replace(/^library\//, "");
    const lastSlash = r.lastIndexOf("/");
    if (!r.slice(lastSlash + 1).includes(":") && !digest) r = `${r}:latest`;
    return r + digest;
}

function withoutDigest(ref: string): string {
    const at = ref.indexOf("@");
    return at >= 0 ? ref.slice(0, at) : ref;
}

/** Same image reference, ignoring a digest only one side pins and Docker Hub's implicit parts. */
export function sameImage(a: string | undefined, b: string | undefined): boolean {
    if (!a || !b) return false;
    const ca = canonical(a);
    const cb = canonical(b);
    if (ca === cb) return true;
    const aPinned = ca.includes("@");
    const bPinned = cb.includes("@");
    if (aPinned && bPinned) return ca.split("@")[1] === cb.split("@")[1];
    return canonical(withoutDigest(a)) === canonical(withoutDigest(b)) && (aPinned || bPinned);
}
