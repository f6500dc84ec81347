/**
 * Offline images: no base image can be pulled here, so an image is a root filesystem assembled in
 * a folder and `docker import`ed (ENGINE.md, "Building images offline"), then pushed to the local
 * registry. Each image carries label engine.hash = hash of everything it is built from; an image
 * whose hash is already in the registry is not rebuilt.
 */
import { createHash } from "node:crypto";
import {
    chmodSync,
    copyFileSync,
    mkdirSync,
    mkdtempSync,
    readFileSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { docker, dockerEnv } from "./docker";
import { ENGINE_DIR } from "./env";
import { registryHash } from "./registry";

export interface RootfsSpec {
    /** Files copied from the host (`from`) or written (`content`), at `path` inside the image. */
    readonly files: readonly {
        readonly path: string;
        readonly from?: string;
        readonly content?: string;
        readonly mode?: number;
    }[];
    readonly symlinks?: readonly { readonly path: string; readonly target: string }[];
    readonly dirs?: readonly { readonly path: string; readonly mode: number }[];
    /** `docker import -c` instructions (ENTRYPOINT, CMD, ENV, EXPOSE). */
    readonly changes: readonly string[];
}

/** Bump when the way images are assembled changes in a way the spec does not show. */
const BUILDER_VERSION = "1";

export function specHash(spec: RootfsSpec): string {
    const h = createHash("sha256").update(BUILDER_VERSION);
    for (const f of spec.files) {
        h.update(`\0file ${f.path} ${f.mode ?? 0o644}\0`);
        h.update(f.from !== undefined ? readFileSync(f.from) : (f.content ?? ""));
    }
    h.update(JSON.stringify([spec.symlinks ?? [], spec.dirs ?? [], spec.changes]));
    return h.digest("hex").slice(0, 16);
}

/** `ref` = 127.0.0.1:5000/<repo>:<tag>. Builds and pushes only when the registry lacks this spec's hash. */
export async function ensureImage(ref: string, spec: RootfsSpec): Promise<{ built: boolean }> {
    const hash = specHash(spec);
    const [repo, tag] = ref.replace(/^[^/]+\//, "").split(":") as [string, string];
    if ((await registryHash(repo, tag)) === hash) return { built: false };
    const root = mkdtempSync(join(ENGINE_DIR, "rootfs-"));
    try {
        writeRootfs(root, spec);
        const changes = [...spec.changes, `LABEL engine.hash=${hash}`].flatMap((c) => ["-c", c]);
        const { execa } = await import("execa");
        // A shell pipe streams the tar (execa's pipe would buffer the ~100 MB proxy rootfs).
        const pipeline =
            'set -o pipefail; root=$1 ref=$2; shift 2; tar --numeric-owner -C "$root" -c . | docker import "$@" - "$ref"';
        await execa("bash", ["-c", pipeline, "import", root, ref, ...changes], { env: dockerEnv(), timeout: 180_000 });
        await docker(["push", "-q", ref], { timeoutMs: 300_000 });
        return { built: true };
    } finally {
        rmSync(root, { recursive: true, force: true });
    }
}

function writeRootfs(root: string, spec: RootfsSpec): void {
    for (const d of spec.dirs ?? []) {
        mkdirSync(join(root, d.path), { recursive: true });
        chmodSync(join(root, d.path), d.mode);
    }
    for (const f of spec.files) {
        const to = join(root, f.path);
        mkdirSync(dirname(to), { recursive: true });
        if (f.from !== undefined) copyFileSync(f.from, to);
        else writeFileSync(to, f.content ?? "");
        chmodSync(to, f.mode ?? 0o644);
    }
    for (const l of spec.symlinks ?? []) {
        mkdirSync(dirname(join(root, l.path)), { recursive: true });
        symlinkSync(l.target, join(root, l.path));
    }
}
