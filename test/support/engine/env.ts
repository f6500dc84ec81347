/** Where the real engine lives: the state dir engine-up.sh uses and the socket it serves. */
import { join } from "node:path";

/** State dir of engine-up.sh (data-root, exec-root, logs, pid files); env ENGINE_DIR, default /tmp/engine. */
export const ENGINE_DIR = process.env.ENGINE_DIR ?? "/tmp/engine";
/** The engine's own socket; always this one, never an ambient DOCKER_HOST that may point elsewhere. */
export const DOCKER_HOST = `unix://${join(ENGINE_DIR, "docker.sock")}`;
/** The local registry engine-up.sh starts; every image is named with it (a bare name means Docker Hub). */
export const REGISTRY = "127.0.0.1:5000";
/** The overlay network Dokploy deploys into; engine-up.sh creates it. */
export const NETWORK = "dokploy-network";
export const SCRIPTS_DIR = __dirname;
