/**
 * What promotion asks a registry, as plain types with no AWS SDK behind them: `--plan` and the
 * orchestrator load this; the SDK (ecr.ts) is loaded only when a registry is really read.
 */

/** One environment's repository, and how its account is reached. */
export interface RegistryTarget {
    readonly accountId: string;
    readonly region: string;
    readonly profile?: string;
    readonly assumeRoleArn?: string;
    readonly repositoryName: string;
}

export type ImageRef = { readonly tag: string } | { readonly digest: string };

export interface FoundImage {
    readonly digest: string;
    readonly tags: readonly string[];
}

/** The revision label, or why there is none. */
export type RevisionLabel = { readonly revision: string } | { readonly missing: string };

/** What promotion needs from a registry; EcrImageSource is the real one. */
export interface ImageSource {
    /** The image `ref` names, or undefined when the repository has no such image. */
    find(target: RegistryTarget, ref: ImageRef): Promise<FoundImage | undefined>;
    /** The source revision the image's config carries as a label. */
    revisionLabel(target: RegistryTarget, digest: string): Promise<RevisionLabel>;
}

/** The repository itself does not exist (the stack's first `pulumi up` has not run). */
export class RepositoryMissingError extends Error {
    constructor(readonly target: RegistryTarget) {
        super(`ECR repository ${target.repositoryName} does not exist in account ${target.accountId}`);
        this.name = "RepositoryMissingError";
    }
}

/** The real ECR reader, loaded on first use (`--plan` must not load the AWS SDK). */
export function ecrImageSource(): ImageSource {
    let real: Promise<ImageSource> | undefined;
    const load = () => (real ??= import("./ecr.js").then((m) => new m.EcrImageSource()));
    return {
        find: async (t, ref) => (await load()).find(t, ref),
        revisionLabel: async (t, digest) => (await load()).revisionLabel(t, digest),
    };
}
