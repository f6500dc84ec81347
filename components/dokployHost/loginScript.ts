/**
 * The login helper installed on the Dokploy host and run by cron: logs Docker in to the ECR
 * registry twice, for the two configs that pull images there.
 *
 * - Dokploy's: Dokploy runs in a container whose /root/.docker is the named volume
 *   `dokploy-docker-config` (Dokploy/website apps/website/public/install.sh @046b249c:
 *   `--mount type=volume,source=dokploy-docker-config,target=/root/.docker`) and pulls with the
 *   docker CLI inside it (Dokploy/dokploy packages/server/src/utils/docker/utils.ts `pullImage`
 *   @009859fa: `spawnAsync("docker", ["pull", dockerImage])`). A host-side `docker login` never
 *   reaches that file, so this one writes into the volume's mountpoint with `docker --config`.
 * - root's on the host ($HOME/.docker), so a manual `docker pull` keeps working.
 *
 * The password lives in a shell variable and reaches docker on stdin through the `printf`
 * builtin: never in argv, never printed. Errors are printed as the tools gave them; neither the
 * AWS CLI nor docker puts a secret in an error message.
 */

/** Dokploy's Docker config volume, named by its official install script. */
export const DOKPLOY_DOCKER_CONFIG_VOLUME = "dokploy-docker-config";

/**
 * How long a refused key is retried. A new access key or user policy takes seconds to reach
 * ECR (eventual consistency); meanwhile GetAuthorizationToken answers UnrecognizedClientException
 * or AccessDeniedException. Waits 2, 4, 8, 16, 30, 30, 30 s: about two minutes in all.
 */
export const LOGIN_RETRY = { attempts: 8, firstDelaySeconds: 2, maxDelaySeconds: 30 } as const;

/** The AWS error codes that a key or policy still propagating produces; any other error is final. */
export const PROPAGATION_ERRORS = [
    "AccessDenied",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
] as const;

export interface LoginScriptParams {
    readonly profile: string;
    readonly region: string;
    readonly registryHost: string;
    /** The AWS credentials file holding `profile`. */
    readonly credentials: string;
}

export function loginScript(p: LoginScriptParams): string {
    const r = LOGIN_RETRY;
    return `#!/bin/bash
# Written by nextstack's DokployHost (Pulumi). Logs Docker in to ${p.registryHost} for Dokploy
# (volume ${DOKPLOY_DOCKER_CONFIG_VOLUME}, its /root/.docker) and for root. Prints nothing secret.
set -euo pipefail
export AWS_SHARED_CREDENTIALS_FILE=${p.credentials}
export AWS_CONFIG_FILE=/dev/null
# root's own config is $HOME/.docker; Dokploy's is always named with --config.
unset DOCKER_CONFIG
registry=${p.registryHost}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    printf 'ECR login for %s failed: %s\\n' "$registry" "$*" >&2
    exit 1
}
oneline() { tr -s '\\n' ' ' <"$1" | sed 's/^ *//; s/ *$//'; }

command -v docker >/dev/null 2>&1 || fail "docker is not on PATH ($PATH)"
command -v aws >/dev/null 2>&1 || fail "the AWS CLI (aws) is not on PATH ($PATH)"

# Dokploy's Docker config: where the volume it mounts at /root/.docker lives on this host.
if ! dokploy_config=$(docker volume inspect ${DOKPLOY_DOCKER_CONFIG_VOLUME} --format '{{ .Mountpoint }}' 2>"$tmp/err"); then
    fail "no Docker volume ${DOKPLOY_DOCKER_CONFIG_VOLUME}, where Dokploy (installed by its official script) keeps its Docker config; is Dokploy installed on this host? ($(oneline "$tmp/err"))"
fi
[ -d "$dokploy_config" ] || fail "volume ${DOKPLOY_DOCKER_CONFIG_VOLUME} has no directory at its mountpoint '$dokploy_config'"

# The registry password, retried while a new key or policy propagates through IAM.
delay=${r.firstDelaySeconds}
waited=0
for ((attempt = 1; ; attempt++)); do
    if password=$(aws ecr get-login-password --profile ${p.profile} --region ${p.region} 2>"$tmp/err"); then
        break
    fi
    cause=$(oneline "$tmp/err")
    if ! grep -Eq '\\((${PROPAGATION_ERRORS.join("|")})\\)' "$tmp/err"; then
        fail "aws ecr get-login-password (profile ${p.profile}, region ${p.region}): $cause"
    fi
    if ((attempt >= ${r.attempts})); then
        fail "ECR refused the key $attempt times over \${waited}s; a new key or policy takes seconds to apply, so a refusal this long means the key is wrong or lacks ecr:GetAuthorizationToken: $cause"
    fi
    echo "ECR refused the key (attempt $attempt of ${r.attempts}; IAM changes take seconds to apply), retrying in \${delay}s: $cause" >&2
    sleep "$delay"
    waited=$((waited + delay))
    delay=$((delay * 2 > ${r.maxDelaySeconds} ? ${r.maxDelaySeconds} : delay * 2))
done
[ -n "$password" ] || fail "aws ecr get-login-password printed no password"

login() {
    local who=$1
    shift
    if ! printf '%s' "$password" | docker "$@" login --username AWS --password-stdin "$registry" >/dev/null 2>"$tmp/err"; then
        fail "docker login for $who: $(oneline "$tmp/err")"
    fi
}
login "Dokploy ($dokploy_config)" --config "$dokploy_config"
login "root ($HOME/.docker)"
echo "Docker logged in to $registry for Dokploy ($dokploy_config/config.json) and root ($HOME/.docker/config.json)"
`;
}
