/**
 * Reads one environment's ECR repository with that environment's own credentials: is an image
 * there (DescribeImages), and which source revision it was built from (BatchGetImage →
 * manifest → config blob via GetDownloadUrlForLayer → the `org.opencontainers.image.revision`
 * label). Read-only: the caller's identity needs ecr:DescribeImages, ecr:BatchGetImage and
 * ecr:GetDownloadUrlForLayer on the repository.
 */
import { createHash } from "node:crypto";
import {
    BatchGetImageCommand,
    DescribeImagesCommand,
    ECRClient,
    GetDownloadUrlForLayerCommand,
    ImageIdentifier,
} from "@aws-sdk/client-ecr";
import { awsClientConfigFor } from "../aws/credentials";
import { REVISION_LABEL } from "./reference";
import { FoundImage, ImageRef, ImageSource, RegistryTarget, RepositoryMissingError, RevisionLabel } from "./source";

const MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
/** Asking for every form keeps ECR from converting a manifest (which would change its digest). */
const ACCEPTED = [MANIFEST, OCI_MANIFEST, MANIFEST_LIST, OCI_INDEX];
const BLOB_TIMEOUT_MS = 30_000;

interface ManifestJson {
    readonly mediaType?: string;
    readonly config?: { readonly digest?: string };
    readonly manifests?: readonly {
        readonly digest?: string;
        readonly platform?: { readonly os?: string; readonly architecture?: string };
    }[];
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : "");

/**
 * The image of a multi-platform index to read labels from: linux/amd64 (what the Dokploy host
 * runs), else the first real platform. buildx adds attestation manifests as `unknown/unknown`.
 */
export function platformManifest(index: ManifestJson): string | undefined {
    const entries = (index.manifests ?? []).filter((m) => m.digest && m.platform?.os !== "unknown");
    const amd64 = entries.find((m) => m.platform?.os === "linux" && m.platform.architecture === "amd64");
    return (amd64 ?? entries[0])?.digest;
}

export type ClientFactory = (target: RegistryTarget) => ECRClient;

/** The account's own credentials; the endpoint follows the SDK's settings (AWS_ENDPOINT_URL_ECR). */
export const defaultClientFactory: ClientFactory = (t) =>
    new ECRClient(awsClientConfigFor({ region: t.region, profile: t.profile, assumeRoleArn: t.assumeRoleArn }));

export class EcrImageSource implements ImageSource {
    private readonly clients = new Map<string, ECRClient>();

    constructor(
        private readonly clientFor: ClientFactory = defaultClientFactory,
        private readonly fetchBlob: typeof fetch = fetch,
    ) {}

    private client(t: RegistryTarget): ECRClient {
        const key = JSON.stringify([t.accountId, t.region, t.profile, t.assumeRoleArn]);
        let c = this.clients.get(key);
        if (!c) {
            c = this.clientFor(t);
            this.clients.set(key, c);
        }
        return c;
    }

    /** One ECR call: a missing repository becomes RepositoryMissingError, other failures name where. */
    private async call<T>(t: RegistryTarget, what: string, run: (c: ECRClient) => Promise<T>): Promise<T> {
        try {
            return await run(this.client(t));
        } catch (err) {
            const name = errorName(err);
            if (name === "RepositoryNotFoundException") throw new RepositoryMissingError(t);
            if (name === "ImageNotFoundException") throw err;
            const via = t.profile ? `, profile ${t.profile}` : "";
            const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
            throw new Error(
                `ECR ${what} on ${t.repositoryName} (account ${t.accountId}, ${t.region}${via}) failed: ${detail}`,
                { cause: err },
            );
        }
    }

    async find(t: RegistryTarget, ref: ImageRef): Promise<FoundImage | undefined> {
        const imageIds: ImageIdentifier[] = ["tag" in ref ? { imageTag: ref.tag } : { imageDigest: ref.digest }];
        try {
            const out = await this.call(t, "DescribeImages", (c) =>
                c.send(
                    new DescribeImagesCommand({ registryId: t.accountId, repositoryName: t.repositoryName, imageIds }),
                ),
            );
            const detail = out.imageDetails?.[0];
            if (!detail?.imageDigest) return undefined;
            return { digest: detail.imageDigest, tags: detail.imageTags ?? [] };
        } catch (err) {
            // ECR answers a missing tag or digest with HTTP 400 ImageNotFoundException.
            if (errorName(err) === "ImageNotFoundException") return undefined;
            throw err;
        }
    }

    private async manifest(t: RegistryTarget, digest: string): Promise<ManifestJson | undefined> {
        const out = await this.call(t, "BatchGetImage", (c) =>
            c.send(
                new BatchGetImageCommand({
                    registryId: t.accountId,
                    repositoryName: t.repositoryName,
                    imageIds: [{ imageDigest: digest }],
                    acceptedMediaTypes: ACCEPTED,
                }),
            ),
        );
        const text = out.images?.[0]?.imageManifest;
        return text ? (JSON.parse(text) as ManifestJson) : undefined;
    }

    async revisionLabel(t: RegistryTarget, digest: string): Promise<RevisionLabel> {
        let manifest = await this.manifest(t, digest);
        if (
            manifest &&
            (manifest.mediaType === MANIFEST_LIST || manifest.mediaType === OCI_INDEX || manifest.manifests)
        ) {
            const platform = platformManifest(manifest);
            manifest = platform ? await this.manifest(t, platform) : undefined;
        }
        const configDigest = manifest?.config?.digest;
        if (!configDigest) return { missing: `ECR returned no image manifest with a config for ${digest}` };
        const { downloadUrl } = await this.call(t, "GetDownloadUrlForLayer", (c) =>
            c.send(
                new GetDownloadUrlForLayerCommand({
                    registryId: t.accountId,
                    repositoryName: t.repositoryName,
                    layerDigest: configDigest,
                }),
            ),
        );
        if (!downloadUrl) return { missing: `ECR gave no download URL for the image config ${configDigest}` };
        const res = await this.fetchBlob(downloadUrl, { signal: AbortSignal.timeout(BLOB_TIMEOUT_MS) });
        if (!res.ok) throw new Error(`downloading the image config ${configDigest} failed: HTTP ${res.status}`);
        const body = Buffer.from(await res.arrayBuffer());
        // The URL is only as trustworthy as the digest it must match.
        const actual = `sha256:${createHash("sha256").update(body).digest("hex")}`;
        if (actual !== configDigest) throw new Error(`the image config downloaded for ${configDigest} is ${actual}`);
        const config = JSON.parse(body.toString("utf8")) as { config?: { Labels?: Record<string, string> | null } };
        const revision = config.config?.Labels?.[REVISION_LABEL];
        return revision ? { revision } : { missing: `the image has no ${REVISION_LABEL} label` };
    }
}
