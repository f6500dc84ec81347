/**
 * A loopback stand-in for Amazon ECR's control-plane API, reached by the real @aws-sdk/client-ecr
 * through its endpoint setting. It copies what promotion relies on, from the Amazon ECR API
 * Reference (DescribeImages, BatchGetImage, GetDownloadUrlForLayer, ImageFailure):
 * - AWS JSON 1.1: `POST /`, `Content-Type: application/x-amz-json-1.1`,
 *   `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Operation>`, SigV4-signed (the
 *   credential scope names the access key, region and `ecr`);
 * - errors are HTTP 400 `{"__type": "<Code>", "message": "…"}` with ECR's own texts:
 *   ImageNotFoundException "The image with imageId {imageDigest:'null', imageTag:'v9'} does not
 *   exist within the repository with name '…' in the registry with id '…'" (a live response),
 *   RepositoryNotFoundException "The repository with name '…' does not exist in the registry
 *   with id '…'";
 * - BatchGetImage reports a missing image in `failures` (ImageNotFound, "Requested image not
 *   found"), not as an error; GetDownloadUrlForLayer answers a pre-signed URL (here: this server)
 *   for blobs referenced by an image, LayersNotFoundException otherwise;
 * - a manifest's digest is the sha256 of its bytes; pushing a tag moves it off the older image.
 */
import { createHash } from "node:crypto";
import { IncomingMessage, ServerResponse } from "node:http";
import { Loopback, startLoopback } from "./loopback";

const TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

interface StoredImage {
    readonly digest: string;
    readonly manifest: string;
    readonly mediaType: string;
    tags: string[];
    /** An image only referenced by an index (its platform image): no tags of its own. */
    readonly child?: boolean;
}

interface Repository {
    readonly images: StoredImage[];
    readonly blobs: Map<string, Buffer>;
}

/** What one request looked like, for assertions on who called and how. */
export interface EcrCall {
    readonly operation: string;
    readonly accessKeyId: string;
    readonly region: string;
    readonly body: Record<string, unknown>;
}

export interface PushOptions {
    readonly tags: readonly string[];
    /** Image config labels (`org.opencontainers.image.revision` …). */
    readonly labels?: Record<string, string>;
    /** buildx's default: an OCI index with the linux/amd64 image and an attestation manifest. */
    readonly multiPlatform?: boolean;
    /** Makes distinct images with equal labels (a rebuild of the same commit). */
    readonly salt?: string;
}

const sha256 = (b: Buffer | string) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

export class EcrStandIn {
    readonly calls: EcrCall[] = [];
    private readonly repositories = new Map<string, Repository>();
    private loopback?: Loopback;

    get url(): string {
        if (!this.loopback) throw new Error("EcrStandIn not started");
        return this.loopback.url;
    }

    async start(): Promise<this> {
        this.loopback = await startLoopback((req, res) => void this.handle(req, res));
        return this;
    }

    async close(): Promise<void> {
        await this.loopback?.close();
    }

    createRepository(account: string, name: string): void {
        this.repositories.set(`${account}/${name}`, { images: [], blobs: new Map() });
    }

    /** Pushes an image like `docker push`; returns the digest of what the tags now name. */
    push(account: string, name: string, o: PushOptions): string {
        const repo = this.repositories.get(`${account}/${name}`);
        if (!repo) throw new Error(`stand-in: push to a repository that does not exist: ${name}`);
        const config = Buffer.from(
            JSON.stringify({
                architecture: "amd64",
                os: "linux",
                config: { Labels: o.labels ?? null, Env: [`SALT=${o.salt ?? ""}`] },
                rootfs: { type: "layers", diff_ids: [] },
            }),
        );
        const configDigest = sha256(config);
        repo.blobs.set(configDigest, config);
        const manifest = (mediaType: string) =>
            JSON.stringify({
                schemaVersion: 2,
                mediaType,
                config: {
                    mediaType: "application/vnd.oci.image.config.v1+json",
                    digest: configDigest,
                    size: config.length,
                },
                layers: [],
            });
        for (const img of repo.images) img.tags = img.tags.filter((t) => !o.tags.includes(t));
        if (!o.multiPlatform) {
            const m = manifest(DOCKER_MANIFEST);
            const digest = sha256(m);
            repo.images.push({ digest, manifest: m, mediaType: DOCKER_MANIFEST, tags: [...o.tags] });
            return digest;
        }
        const platform = manifest(OCI_MANIFEST);
        const attestation = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] });
        const index = JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_INDEX,
            manifests: [
                {
                    mediaType: OCI_MANIFEST,
                    digest: sha256(attestation),
                    platform: { architecture: "unknown", os: "unknown" },
                },
                { mediaType: OCI_MANIFEST, digest: sha256(platform), platform: { architecture: "amd64", os: "linux" } },
            ],
        });
        for (const [m, child] of [
            [attestation, true],
            [platform, true],
        ] as const)
            repo.images.push({ digest: sha256(m), manifest: m, mediaType: OCI_MANIFEST, tags: [], child });
        const digest = sha256(index);
        repo.images.push({ digest, manifest: index, mediaType: OCI_INDEX, tags: [...o.tags] });
        return digest;
    }

    /**
     * Stores an image exactly as a registry served it (manifest bytes, its media type, blobs), as
     * `docker push` to ECR would: the digest is the sha256 of those bytes.
     */
    putImage(
        account: string,
        name: string,
        o: { tags: readonly string[]; manifest: string; mediaType: string; blobs: ReadonlyMap<string, Buffer> },
    ): string {
        const repo = this.repositories.get(`${account}/${name}`);
        if (!repo) throw new Error(`stand-in: push to a repository that does not exist: ${name}`);
        for (const [d, b] of o.blobs) repo.blobs.set(d, b);
        for (const img of repo.images) img.tags = img.tags.filter((t) => !o.tags.includes(t));
        const digest = sha256(o.manifest);
        repo.images.push({ digest, manifest: o.manifest, mediaType: o.mediaType, tags: [...o.tags] });
        return digest;
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        if (req.method === "GET" && req.url?.startsWith("/blobs/")) return this.blob(req.url, res);
        const target = String(req.headers["x-amz-target"] ?? "");
        const auth = String(req.headers.authorization ?? "");
        const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/ecr\/aws4_request/.exec(auth);
        if (req.method !== "POST" || !target.startsWith(TARGET_PREFIX) || !scope) {
            return this.send(res, 400, { __type: "UnrecognizedClientException", message: "bad request" });
        }
        if (req.headers["content-type"] !== "application/x-amz-json-1.1")
            return this.send(res, 400, { __type: "SerializationException", message: "wrong content type" });
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
        const operation = target.slice(TARGET_PREFIX.length);
        this.calls.push({ operation, accessKeyId: scope[1], region: scope[2], body });
        const account = String(body.registryId ?? "");
        const name = String(body.repositoryName ?? "");
        const repo = this.repositories.get(`${account}/${name}`);
        if (!repo) {
            return this.send(res, 400, {
                __type: "RepositoryNotFoundException",
                message: `The repository with name '${name}' does not exist in the registry with id '${account}'`,
            });
        }
        if (operation === "DescribeImages") return this.describe(res, account, name, repo, body);
        if (operation === "BatchGetImage") return this.batchGet(res, account, name, repo, body);
        if (operation === "GetDownloadUrlForLayer") return this.downloadUrl(res, account, name, repo, body);
        return this.send(res, 400, { __type: "UnknownOperationException", message: operation });
    }

    private find(repo: Repository, id: { imageTag?: string; imageDigest?: string }): StoredImage | undefined {
        return repo.images.find(
            (i) =>
                (id.imageDigest === undefined || i.digest === id.imageDigest) &&
                (id.imageTag === undefined || i.tags.includes(id.imageTag)),
        );
    }

    private describe(
        res: ServerResponse,
        account: string,
        name: string,
        repo: Repository,
        body: Record<string, unknown>,
    ) {
        const ids = (body.imageIds ?? []) as { imageTag?: string; imageDigest?: string }[];
        const details = [];
        for (const id of ids) {
            const img = this.find(repo, id);
            if (!img) {
                const shown = `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
                return this.send(res, 400, {
                    __type: "ImageNotFoundException",
                    message: `The image with imageId ${shown} does not exist within the repository with name '${name}' in the registry with id '${account}'`,
                });
            }
            details.push({
                registryId: account,
                repositoryName: name,
                imageDigest: img.digest,
                ...(img.tags.length ? { imageTags: img.tags } : {}),
                imageSizeInBytes: 52_428_800,
                imagePushedAt: 1_767_225_600,
                imageManifestMediaType: img.mediaType,
            });
        }
        return this.send(res, 200, { imageDetails: details });
    }

    private batchGet(
        res: ServerResponse,
        account: string,
        name: string,
        repo: Repository,
        body: Record<string, unknown>,
    ) {
        const ids = (body.imageIds ?? []) as { imageTag?: string; imageDigest?: string }[];
        const images = [];
        const failures = [];
        for (const id of ids) {
            const img = this.find(repo, id);
            if (!img)
                failures.push({
                    imageId: id,
                    failureCode: "ImageNotFound",
                    failureReason: "Requested image not found",
                });
            else
                images.push({
                    registryId: account,
                    repositoryName: name,
                    imageId: { imageDigest: img.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
                    imageManifest: img.manifest,
                    imageManifestMediaType: img.mediaType,
                });
        }
        return this.send(res, 200, { images, failures });
    }

    private downloadUrl(
        res: ServerResponse,
        account: string,
        name: string,
        repo: Repository,
        body: Record<string, unknown>,
    ) {
        const digest = String(body.layerDigest ?? "");
        if (!repo.blobs.has(digest)) {
            return this.send(res, 400, {
                __type: "LayersNotFoundException",
                message: `The specified layer ${digest} could not be found in the repository with name '${name}' in the registry with id '${account}'`,
            });
        }
        // A pre-signed S3 URL in reality; its query string is what makes it usable without credentials.
        return this.send(res, 200, {
            downloadUrl: `${this.url}/blobs/${digest}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600`,
            layerDigest: digest,
        });
    }

    private blob(url: string, res: ServerResponse): void {
        const digest = decodeURIComponent(url.slice("/blobs/".length).split("?")[0]);
        for (const repo of this.repositories.values()) {
            const b = repo.blobs.get(digest);
            if (b) {
                res.writeHead(200, { "content-type": "application/octet-stream", "content-length": b.length });
                res.end(b);
                return;
            }
        }
        res.writeHead(404).end();
    }

    private send(res: ServerResponse, status: number, body: unknown): void {
        res.writeHead(status, {
            "content-type": "application/x-amz-json-1.1",
            "x-amzn-requestid": "00000000-0000-4000-8000-000000000000",
        });
        res.end(JSON.stringify(body));
    }
}
