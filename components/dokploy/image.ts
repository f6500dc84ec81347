/**
 * Docker image reference validation (the grammar of distribution/reference), so that a bad
 * `dockerImage` fails at `pulumi preview` instead of as the deploy's "invalid reference format".
 */

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** A parsed reference. `registry` is undefined for Docker Hub short names. */
export interface ImageReference {
    readonly registry?: string;
    readonly repository: string;
    readonly tag?: string;
    readonly digest?: string;
}

/** Parses a reference, or returns the reason it is invalid. */
export function parseImageReference(ref: string): ImageReference | { readonly error: string } {
    if (ref.length === 0) return { error: "is empty" };
    if (/\s/.test(ref)) return { error: "contains whitespace" };
    let rest = ref;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) return { error: `has an invalid digest "${digest}" (expected e.g. sha256:<64 hex>)` };
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            return {
                error: `has an invalid tag "${tag}" (letters, digits, _ . -; at most 128; not starting with . or -)`,
            };
    }
    const parts = rest.split("/");
    let registry: string | undefined;
    if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost" || /[A-Z]/.test(parts[0]))) {
        registry = parts.shift();
        if (registry === undefined || !DOMAIN.test(registry))
            return { error: `has an invalid registry host "${registry ?? ""}"` };
    }
    const repository = parts.join("/");
    if (repository.length === 0) return { error: "has no repository name" };
    if (/[A-Z]/.test(repository))
        return { error: `has upper case in the repository part "${repository}" (Docker requires lowercase)` };
    for (const p of parts) {
        if (!PATH_COMPONENT.test(p)) return { error: `has an invalid repository path component "${p}"` };
    }
    if ((registry ? registry.length + 1 : 0) + repository.length > 255)
        return { error: "has a name longer than 255 characters" };
    return { registry, repository, tag, digest };
}

/** The reason a reference is invalid, or undefined when it is valid. */
export function imageReferenceProblem(ref: string): string | undefined {
    const parsed = parseImageReference(ref);
    return "error" in parsed ? `"${ref}" is not a valid image reference: it ${parsed.error}` : undefined;
}
