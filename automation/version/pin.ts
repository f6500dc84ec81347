/**
 * The digest a promotion deploys, pinned in stack config (`imageDigest`, which the program
 * prefers over `imageTag`), so the update deploys exactly the image that was checked, and a
 * record of it lets a rollback redeploy that same image even after its tag has moved.
 */
import { EnvironmentName } from "../../components/config";
import { PromotionEngine } from "../engine";
import { Progress } from "../progress";

export const IMAGE_DIGEST_KEY = "imageDigest";

/** The image an update deploys, as the record keeps it. */
export interface ImagePin {
    readonly digest: string;
    readonly revision?: string;
}

/** The record fields for `pin`. */
export function imageFields(pin?: ImagePin): { imageDigest?: string; revision?: string } {
    if (!pin) return {};
    return { imageDigest: pin.digest, ...(pin.revision ? { revision: pin.revision } : {}) };
}

/**
 * Sets `imageDigest` when it differs; returns what puts the old value back (dry runs). A dry
 * run on a stack with no digest pinned sets none: the program then resolves the tag to the same
 * digest itself, and the stack file is left exactly as it was (config has no "unset" to undo with).
 */
export async function pinDigest(
    c: { readonly engine: PromotionEngine; readonly progress: Progress },
    env: EnvironmentName,
    pin: ImagePin,
    dryRun: boolean,
): Promise<() => Promise<void>> {
    const previous = await c.engine.getConfig(env, IMAGE_DIGEST_KEY);
    const none = async () => undefined;
    if (previous === pin.digest || (dryRun && previous === undefined)) return none;
    await c.progress.step(
        `${env}: set ${IMAGE_DIGEST_KEY} ${pin.digest}`,
        () => c.engine.setConfig(env, IMAGE_DIGEST_KEY, pin.digest),
        () => (previous ? `was ${previous}` : undefined),
    );
    return previous === undefined ? none : () => c.engine.setConfig(env, IMAGE_DIGEST_KEY, previous);
}
