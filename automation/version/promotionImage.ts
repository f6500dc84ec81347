/**
 * The image one environment's promotion deploys, decided before anything changes: the tag in
 * that environment's own registry (resolved to its digest), checked against the revision the
 * previous environment verified; for a rollback, the digest recorded when that version was verified.
 */
import { EnvironmentName, StackConfig } from "../../components/config";
import { previousEnvironment } from "../readiness";
import { RecordStore } from "../records";
import { ImageSource } from "./source";
import { ImagePin } from "./pin";
import { assertSameRevision, RecordedImage, ResolvedImage, resolveImage } from "./resolve";

export interface PromotionImageArgs {
    readonly source: ImageSource;
    readonly records: RecordStore;
    readonly config: StackConfig;
    readonly version: string;
    readonly rollback: boolean;
    readonly rerun: string;
    /** Images resolved earlier in this run (a dry run's previews stand in for verification). */
    readonly resolvedThisRun?: ReadonlyMap<EnvironmentName, ResolvedImage>;
}

const recorded = (r?: { imageDigest?: string; revision?: string }): RecordedImage | undefined =>
    r ? { digest: r.imageDigest, revision: r.revision } : undefined;

export async function imageForPromotion(a: PromotionImageArgs): Promise<ResolvedImage> {
    const env = a.config.environment;
    if (a.rollback) {
        // The exact image verified then; resolved by tag only when that record predates digests.
        const verified = recorded(await a.records.verifiedImage(env, a.version));
        return resolveImage({
            source: a.source,
            config: a.config,
            version: a.version,
            recorded: verified,
            rerun: a.rerun,
        });
    }
    const image = await resolveImage({ source: a.source, config: a.config, version: a.version, rerun: a.rerun });
    const previous = previousEnvironment(env);
    if (previous) {
        const earlier = a.resolvedThisRun?.get(previous);
        const verified = earlier
            ? { digest: earlier.digest, revision: earlier.revision }
            : recorded(await a.records.verifiedImage(previous, a.version));
        assertSameRevision({ env, previous, version: a.version, image, verified, rerun: a.rerun });
    }
    return image;
}

/** `imageForPromotion` bound to one environment; undefined when there is no registry to ask or no valid config. */
export function imageResolver(a: {
    readonly source?: ImageSource;
    readonly config?: StackConfig;
    readonly records: RecordStore;
    readonly rerun: string;
    readonly resolvedThisRun: ReadonlyMap<EnvironmentName, ResolvedImage>;
}): ((version: string, rollback: boolean) => Promise<ResolvedImage>) | undefined {
    const { source, config } = a;
    if (!source || !config) return undefined;
    return (version, rollback) => imageForPromotion({ ...a, source, config, version, rollback });
}

export const pinOf = (i: ResolvedImage): ImagePin => ({
    digest: i.digest,
    ...(i.revision ? { revision: i.revision } : {}),
});

/** One line for the progress step. */
export function describeImage(i: ResolvedImage): string {
    return `${i.repositoryName}:${i.tag} is ${i.digest.slice(0, 19)}…${i.revision ? `, revision ${i.revision.slice(0, 12)}` : ""}`;
}
