/**
 * Real-Docker-engine test support (for test/engine/*.spec.ts, run by `npm run test:engine`).
 * Stable exports, other suites build on them:
 *   ENGINE_DIR, DOCKER_HOST   state dir of engine-up.sh (env ENGINE_DIR, default /tmp/engine) and its socket
 *   ensureEngine()            the engine up (engine-up.sh, reusing one already up), or { ok: false, reason }
 *   engineAvailable()         the same check without starting anything
 *   requireEngine(this)       in a suite's before(): skip with "real engine not available: <why>" (fail with ENGINE_REQUIRED=1)
 *   docker(args, opts)        the docker CLI on DOCKER_HOST; throws on non-zero unless allowFailure
 *   waitFor(fn, {deadlineMs, what})  bounded polling for a condition, never a guessed sleep
 *   APP_IMAGES, buildAppImages()     127.0.0.1:5000/engine-app:{v1,v2,bad,slow}, built offline when missing/changed
 *   GUIDE_HEALTH_CMD, SHORT_HEALTH, SHORT_UPDATE   the guide's check and the short test settings
 *   startProxy(service)       Traefik's stand-in on 127.0.0.1 -> { url, name, stop() }; removeProxy(service)
 *   startProbe(url), failures()      a client probing during a rollout
 *   updateStatus(), specImage()  a service's rollout state
 *   removeServices(), removeContainers(), removeProxy()  cleanup; no-ops in a skipped suite (safe in after())
 * Every name created on the engine starts with the creating helper's prefix (engine-, host-, ...).
 */
export { DOCKER_HOST, ENGINE_DIR, NETWORK, REGISTRY, SCRIPTS_DIR } from "./env";
export { docker, dockerJson, dockerEnv, type DockerOptions, type DockerResult } from "./docker";
export { waitFor, type WaitOptions } from "./wait";
export { engineAvailable, ensureEngine, settledEngine, type EngineState } from "./start";
export { requireEngine } from "./mocha";
export { APP_IMAGES, APP_PORT, buildAppImages, GUIDE_HEALTH_CMD, type AppVariant } from "./images";
export { SHORT_APP_SETTINGS, SHORT_HEALTH, SHORT_UPDATE, serviceCreateArgs, type ServiceSettings } from "./settings";
export { buildProxyImage, PROXY_IMAGE, removeProxy, startProxy, type Proxy, type ProxyOptions } from "./proxy";
export { failures, startProbe, type Probe, type ProbeSample } from "./probe";
export {
    removeContainers,
    removeServices,
    runningImages,
    specImage,
    updateStatus,
    waitForNoContainers,
    type UpdateStatus,
} from "./swarm";
