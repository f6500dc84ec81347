/**
 * Image versions as promotion handles them: a tag names an image in one environment's ECR
 * repository, the digest is the image itself, and the revision is the source commit it was
 * built from. Images are built per environment (the Clerk publishable key is baked in at build
 * time), so two environments never share a digest; what they can share is the revision.
 */

/** The OCI annotation/label for the source revision (OCI image-spec, annotations.md). */
export const REVISION_LABEL = "org.opencontainers.image.revision";

/** A manifest digest as ECR reports it: `sha256:` and 64 lower-case hex digits. */
export function isDigest(value: string): boolean {
    return /^sha256:[0-9a-f]{64}$/.test(value);
}

/** `<repository URL>@<digest>`: the reference that pins exactly one image. */
export function digestReference(repositoryUrl: string, digest: string): string {
    return `${repositoryUrl}@${digest}`;
}

/**
 * The commit a tag names, when the tag is one: a git SHA (7–40 hex digits) or
 * docker/metadata-action's `type=sha` form `sha-<short sha>`. Version tags (`v1.2.0`) and
 * moving tags (`latest`) name no commit.
 */
export function revisionOfTag(tag: string): string | undefined {
    const m = /^(?:sha-)?([0-9a-f]{7,40})$/.exec(tag);
    return m ? m[1] : undefined;
}

/** Same commit: equal, or one an abbreviation (≥ 7 hex digits) of the other. */
export function sameRevision(a: string, b: string): boolean {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    if (x === y) return true;
    const hex = /^[0-9a-f]{7,40}$/;
    if (!hex.test(x) || !hex.test(y)) return false;
    return x.length < y.length ? y.startsWith(x) : x.startsWith(y);
}
