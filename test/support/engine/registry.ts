/** Reads what the local registry holds, so images are rebuilt only when their builder inputs changed. */
import { REGISTRY } from "./env";

const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

/** The value of label `engine.hash` on `repo:tag` in the registry, or undefined when the tag is absent. */
export async function registryHash(repo: string, tag: string): Promise<string | undefined> {
    const manifest = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${tag}`, {
        headers: { accept: MANIFEST_V2 },
        signal: AbortSignal.timeout(10_000),
    });
    if (manifest.status === 404) return undefined;
    if (!manifest.ok) throw new Error(`registry: manifest ${repo}:${tag} answered ${manifest.status}`);
    const digest = ((await manifest.json()) as { config?: { digest?: string } }).config?.digest;
    if (!digest) return undefined;
    const config = await fetch(`http://${REGISTRY}/v2/${repo}/blobs/${digest}`, {
        signal: AbortSignal.timeout(10_000),
    });
    if (!config.ok) return undefined;
    const labels = ((await config.json()) as { config?: { Labels?: Record<string, string> | null } }).config?.Labels;
    return labels?.["engine.hash"];
}
