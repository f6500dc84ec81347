/**
 * Before any update: the version must be in the TARGET environment's own ECR repository. A tag
 * is resolved to the digest it names now (so promoting `latest` after a new push deploys the new
 * image), a rollback uses the digest recorded when that version was verified (the exact image),
 * and for qa and prod the image must be built from the revision the previous environment verified.
 */
import { EnvironmentName, StackConfig } from "../../components/config";
import { ecrRepositoryUrl } from "../../components/arns";
import { PromotionError } from "../errors";
import { FoundImage, ImageSource, RegistryTarget, RepositoryMissingError } from "./source";
import { REVISION_LABEL, revisionOfTag, sameRevision } from "./reference";

/** The image a promotion deploys and records. */
export interface ResolvedImage {
    readonly repositoryName: string;
    readonly repositoryUrl: string;
    readonly tag: string;
    readonly digest: string;
    /** The source commit: the image's revision label, or a commit-SHA tag. */
    readonly revision?: string;
    /** Why there is no revision (shown when a gate needs one). */
    readonly revisionMissing?: string;
}

/** An image already verified in an environment, as its record keeps it. */
export interface RecordedImage {
    readonly digest?: string;
    readonly revision?: string;
}

export function registryTarget(c: StackConfig): RegistryTarget {
    return {
        accountId: c.aws.accountId,
        region: c.aws.region,
        ...(c.aws.profile ? { profile: c.aws.profile } : {}),
        ...(c.aws.assumeRoleArn ? { assumeRoleArn: c.aws.assumeRoleArn } : {}),
        repositoryName: `${c.appName}-${c.environment}`,
    };
}

export const LABEL_HINT =
    `set it in the app's workflow: \`docker build --label ${REVISION_LABEL}=\${{ github.sha }} …\` ` +
    "(docker/metadata-action sets it by default), or tag images with the commit SHA";

async function lookUp(target: RegistryTarget, env: EnvironmentName, ref: () => Promise<FoundImage | undefined>) {
    try {
        return await ref();
    } catch (err) {
        if (!(err instanceof RepositoryMissingError)) throw err;
        throw new PromotionError(
            `${env} has no ECR repository ${target.repositoryName} in account ${target.accountId} (${target.region}) yet, so no image can be deployed there. Nothing was changed.`,
            `pulumi up -s ${env}   (creates the repository and the push role; see "First run in a fresh account" in the README)`,
        );
    }
}

/**
 * The image `version` names in `env`'s repository. `recorded` is the image verified earlier at
 * this version (rollbacks): its digest is deployed, provided the registry still holds it.
 */
export async function resolveImage(args: {
    source: ImageSource;
    config: StackConfig;
    version: string;
    recorded?: RecordedImage;
    /** What to run after pushing a missing image. */
    rerun: string;
}): Promise<ResolvedImage> {
    const { source, config: c, version, recorded } = args;
    const env = c.environment;
    const target = registryTarget(c);
    const url = ecrRepositoryUrl({ accountId: c.aws.accountId, region: c.aws.region }, target.repositoryName);
    const where = `${env}'s ECR repository ${target.repositoryName} (account ${target.accountId}, ${target.region})`;
    if (recorded?.digest) {
        const digest = recorded.digest;
        const found = await lookUp(target, env, () => source.find(target, { digest }));
        if (!found) {
            throw new PromotionError(
                `The image ${env} verified at ${version}, ${url}:${version}@${digest}, is no longer in ${where} (expired by the lifecycle policy or deleted). Nothing was changed.`,
                `push ${version} again with the app's workflow for ${env}, then: ${args.rerun}`,
            );
        }
        return {
            repositoryName: target.repositoryName,
            repositoryUrl: url,
            tag: version,
            digest,
            ...revisionOf(version, recorded.revision),
        };
    }
    const found = await lookUp(target, env, () => source.find(target, { tag: version }));
    if (!found) {
        throw new PromotionError(
            `The image ${url}:${version} is not in ${where}: tag ${version} was never pushed there (or has expired). Nothing was changed.`,
            `push it with the app's workflow for ${env} (${c.appRepository.fullName}), then: ${args.rerun}`,
        );
    }
    // Unreadable is "no revision": dev only records it, and qa/prod then refuse saying why.
    const label = await source.revisionLabel(target, found.digest).catch((err: unknown) => ({
        missing: `its revision label could not be read (${err instanceof Error ? err.message : String(err)})`,
    }));
    const fromLabel = "revision" in label ? label.revision : undefined;
    const fromTag = revisionOfTag(version);
    return {
        repositoryName: target.repositoryName,
        repositoryUrl: url,
        tag: version,
        digest: found.digest,
        ...(fromLabel || fromTag
            ? { revision: fromLabel ?? fromTag }
            : {
                  revisionMissing: `${"missing" in label ? label.missing : ""} and the tag ${version} is not a commit SHA`,
              }),
    };
}

function revisionOf(version: string, recorded?: string): Pick<ResolvedImage, "revision" | "revisionMissing"> {
    const revision = recorded ?? revisionOfTag(version);
    return revision ? { revision } : { revisionMissing: `no revision was recorded for ${version}` };
}

/**
 * qa and prod take a version only when their image was built from the revision the previous
 * environment verified: images differ per environment, their source must not.
 */
export function assertSameRevision(args: {
    env: EnvironmentName;
    previous: EnvironmentName;
    version: string;
    image: ResolvedImage;
    verified?: RecordedImage;
    rerun: string;
}): void {
    const { env, previous, version, image, verified } = args;
    const ref = `${image.repositoryUrl}:${version}`;
    if (!image.revision) {
        throw new PromotionError(
            `${env} cannot take ${version}: the image ${ref} (${image.digest}) carries no source revision (${image.revisionMissing}), so nothing shows it was built from the commit ${previous} verified. Nothing was changed. To fix it, ${LABEL_HINT}, then rebuild and push ${version} for ${previous} and ${env}.`,
            `npm run promote -- --only ${previous} --image-tag ${version}   (after rebuilding with the label)`,
        );
    }
    if (!verified?.revision) {
        throw new PromotionError(
            `${env} cannot take ${version}: ${previous}'s record of ${version} has no source revision to compare with (it was verified before revisions were recorded, or its image had no ${REVISION_LABEL} label). Nothing was changed.`,
            `npm run promote -- --only ${previous} --image-tag ${version}   (verifies it again and records its revision)`,
        );
    }
    if (!sameRevision(image.revision, verified.revision)) {
        throw new PromotionError(
            `${env} cannot take ${version}: its image ${ref} (${image.digest}) was built from revision ${image.revision}, but ${previous} verified ${version} built from ${verified.revision}. The same version must come from the same source in every environment. Nothing was changed.`,
            `rebuild ${version} for ${env} from ${verified.revision} with the app's workflow, then: ${args.rerun}`,
        );
    }
}
