/**
 * The app images the rollout tests deploy, built offline exactly like the ones of the recorded real
 * rollouts (/work/shared/dokploy/real-rollout-log.md §0): busybox-static rootfs, tini
 * (/usr/bin/docker-init) as PID 1 so SIGTERM stops a task at once, `nc -ll -p 3000 -e
 * /bin/app-handler`, and a /usr/bin/curl stand-in so the guide's health check runs unchanged.
 */
import { join } from "node:path";
import { REGISTRY, SCRIPTS_DIR } from "./env";
import { withEngineLock } from "./lock";
import { ensureImage, RootfsSpec } from "./rootfs";

export type AppVariant = "v1" | "v2" | "bad" | "slow";

/**
 * v1/v2: 200 on /api/health with {"status":"ok","version":"v1"|"v2","marker":APP_MARKER (default m0),"host":hostname};
 * bad: 500; slow: 503 until SLOW_SECONDS (default 15) after container start, then 200 (version "slow").
 */
export const APP_IMAGES: Readonly<Record<AppVariant, string>> = {
    v1: `${REGISTRY}/engine-app:v1`,
    v2: `${REGISTRY}/engine-app:v2`,
    bad: `${REGISTRY}/engine-app:bad`,
    slow: `${REGISTRY}/engine-app:slow`,
};

/** The guide's health check, unchanged; the images' curl stand-in runs it. */
export const GUIDE_HEALTH_CMD = "curl -f http://localhost:3000/api/health || exit 1";
export const APP_PORT = 3000;

const APPLETS = [
    "sh",
    "nc",
    "wget",
    "sleep",
    "date",
    "cat",
    "hostname",
    "timeout",
    "echo",
    "env",
    "ls",
    "ps",
    "nslookup",
    "kill",
];

export function appSpec(variant: AppVariant): RootfsSpec {
    const app = (name: string): string => join(SCRIPTS_DIR, "app", name);
    return {
        dirs: [
            { path: "tmp", mode: 0o1777 },
            { path: "etc", mode: 0o755 },
        ],
        files: [
            { path: "bin/busybox", from: "/bin/busybox", mode: 0o755 },
            { path: "usr/bin/docker-init", from: "/usr/bin/docker-init", mode: 0o755 },
            { path: "usr/bin/curl", from: app("curl"), mode: 0o755 },
            { path: "bin/app-server", from: app("app-server"), mode: 0o755 },
            { path: "bin/app-handler", from: app("app-handler"), mode: 0o755 },
            { path: "etc/app-variant", content: variant },
            { path: "etc/passwd", content: "root:x:0:0:root:/:/bin/sh\n" },
            { path: "etc/group", content: "root:x:0:\n" },
        ],
        symlinks: APPLETS.map((a) => ({ path: `bin/${a}`, target: "busybox" })),
        changes: [
            'ENTRYPOINT ["/usr/bin/docker-init", "--"]',
            'CMD ["/bin/app-server"]',
            "ENV APP_MARKER=m0",
            `EXPOSE ${APP_PORT}`,
        ],
    };
}

let built: Promise<Readonly<Record<AppVariant, string>>> | undefined;

/**
 * Makes sure all four app images are in the registry with the current builder inputs (once per
 * process; under a machine-wide lock so parallel suites do not build twice). Resolves with APP_IMAGES.
 */
export function buildAppImages(): Promise<Readonly<Record<AppVariant, string>>> {
    built ??= withEngineLock("app-images", 300_000, async () => {
        for (const variant of Object.keys(APP_IMAGES) as AppVariant[]) {
            await ensureImage(APP_IMAGES[variant], appSpec(variant));
        }
        return APP_IMAGES;
    });
    return built;
}
