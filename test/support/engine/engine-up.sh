#!/usr/bin/env bash
# Bring up a real Docker engine (Debian docker.io 20.10) without systemd: single-node swarm on
# loopback, the overlay network Dokploy needs (dokploy-network), and a registry on 127.0.0.1:5000.
# The project's copy of /work/shared/docker/engine-up.sh (facts in /work/shared/docker/ENGINE.md).
#
# Idempotent: an engine already up at the same ENGINE_DIR is reused, never restarted. Concurrent
# callers are serialised by a lock in ENGINE_DIR. Last line of output: DOCKER_HOST=unix://<dir>/docker.sock
#
#   ENGINE_DIR=/tmp/engine     state dir (data-root, exec-root, logs, pid files)
#
# Flags that keep the machine clean (ENGINE.md): --iptables=false --ip6tables=false
# --ip-forward=false --ip-masq=false --bridge=none (host firewall, NAT and ip_forward untouched;
# containers have no route out), swarm bound to 127.0.0.1 only, registry on 127.0.0.1 only.
set -euo pipefail

D=${ENGINE_DIR:-/tmp/engine}
SOCK="$D/docker.sock"
HOST_SOCK=/var/run/docker.sock
REG_ADDR=127.0.0.1:5000
PACKAGES=(docker.io containerd runc iptables docker-registry busybox-static tini curl)
export DOCKER_HOST="unix://$SOCK"

log() { echo "[engine-up] $*" >&2; }
die() { log "FAILED: $*"; exit 1; }
# A killed process can linger as a zombie until its parent reaps it: kill -0 still succeeds then.
alive() {
	[ -s "$1" ] || return 1
	local pid
	pid=$(head -n1 "$1")
	kill -0 "$pid" 2>/dev/null && ! grep -qs '^[0-9]* (.*) Z' "/proc/$pid/stat"
}
answers() { timeout 10 docker version >/dev/null 2>&1; }
T0=$(date +%s%N)
since() { echo "$((($(date +%s%N) - T0) / 1000000)) ms"; }
mkdir -p "$D/data" "$D/exec" "$D/registry-data"

# One bring-up at a time per ENGINE_DIR (several test processes may call this at once).
exec 9>"$D/engine-up.lock"
flock -w 300 9 || die "another engine-up.sh holds $D/engine-up.lock for more than 300 s"

# ------------------------------------------------------------------ packages
missing() {
	! command -v dockerd >/dev/null || ! command -v docker >/dev/null || ! command -v docker-registry >/dev/null ||
		[ ! -x /bin/busybox ] || [ ! -x /usr/bin/docker-init ] || ! command -v curl >/dev/null
}
if missing; then
	command -v apt-get >/dev/null || die "dockerd/docker-registry/busybox-static/tini missing and no apt-get to install them"
	[ "$(id -u)" = 0 ] || die "dockerd/docker-registry missing; installing them needs root (apt-get)"
	log "installing ${PACKAGES[*]} (apt-get update + install; log $D/apt.log)"
	apt-get update >"$D/apt.log" 2>&1 || { tail -5 "$D/apt.log" >&2; die "apt-get update failed (see $D/apt.log)"; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}" >>"$D/apt.log" 2>&1 ||
		{ tail -5 "$D/apt.log" >&2; die "apt-get install ${PACKAGES[*]} failed (see $D/apt.log)"; }
	missing && die "packages installed but dockerd/docker-registry/busybox/docker-init still missing"
fi

# ------------------------------------------------------------------- dockerd
start_dockerd() { # storage-driver data-root
	local hosts=(-H "unix://$SOCK")
	if [ -S "$HOST_SOCK" ] && timeout 5 docker -H "unix://$HOST_SOCK" version >/dev/null 2>&1; then
		log "$HOST_SOCK is served by another daemon; not taking it"
	else
		hosts+=(-H "unix://$HOST_SOCK")
	fi
	rm -f "$D/dockerd.pid" "$D/dockerd.launch"
	# setsid: own session, so the caller's job control and signals do not reach it. The wrapper
	# records the pid before exec, so a dockerd that exits at once is noticed at once. 9>&-: the
	# daemon must not inherit the bring-up lock, or every later engine-up.sh waits for it forever.
	setsid -f bash -c 'echo $$ >"$0"; exec "$@"' "$D/dockerd.launch" dockerd \
		--iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
		--storage-driver="$1" --data-root="$2" --exec-root="$D/exec" --pidfile="$D/dockerd.pid" \
		"${hosts[@]}" >>"$D/dockerd.log" 2>&1 </dev/null 9>&-
	for _ in $(seq 300); do
		answers && return 0
		[ -s "$D/dockerd.launch" ] && ! alive "$D/dockerd.launch" && return 1
		sleep 0.1
	done
	return 1
}
reuse=
if alive "$D/dockerd.pid"; then
	# Ours and running: wait for it to answer, never start a second one beside it. One that dies
	# meanwhile (killed by the end of an earlier session) is replaced below.
	for _ in $(seq 300); do
		answers && { reuse=1; break; }
		alive "$D/dockerd.pid" || break
		sleep 0.1
	done
	if [ -z "$reuse" ] && alive "$D/dockerd.pid"; then
		die "dockerd (pid $(cat "$D/dockerd.pid")) runs but does not answer on $SOCK; see $D/dockerd.log"
	fi
fi
if [ -n "$reuse" ]; then
	log "dockerd already running (pid $(cat "$D/dockerd.pid")); reusing it"
else
	log "starting dockerd (log $D/dockerd.log)"
	if ! start_dockerd overlay2 "$D/data"; then
		log "overlay2 failed; retrying with vfs"
		tail -20 "$D/dockerd.log" >&2
		if alive "$D/dockerd.pid"; then
			kill "$(cat "$D/dockerd.pid")"
			for _ in $(seq 100); do alive "$D/dockerd.pid" || break; sleep 0.1; done
		fi
		start_dockerd vfs "$D/data-vfs" || { tail -40 "$D/dockerd.log" >&2; die "dockerd did not come up"; }
	fi
	log "dockerd up (pid $(cat "$D/dockerd.pid")) after $(since)"
fi

# --------------------------------------------------------------------- swarm
state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != active ]; then
	log "swarm init on 127.0.0.1 (was: $state)"
	docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 --data-path-addr 127.0.0.1 >/dev/null
fi
for _ in $(seq 100); do
	[ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] && break
	sleep 0.1
done
[ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || die "swarm manager not available"
docker network inspect dokploy-network >/dev/null 2>&1 ||
	docker network create --driver overlay --attachable dokploy-network >/dev/null
log "swarm active; dokploy-network present"

# ------------------------------------------------------------------ registry
registry_ok() { curl -fs -m 2 "http://$REG_ADDR/v2/" >/dev/null 2>&1; }
if alive "$D/registry.pid" || registry_ok; then
	log "registry already running on $REG_ADDR; reusing it"
else
	cat >"$D/registry.yml" <<YML
version: 0.1
log:
  level: info
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $D/registry-data
  delete:
    enabled: true
http:
  addr: $REG_ADDR
YML
	log "starting docker-registry on $REG_ADDR"
	setsid -f bash -c 'echo $$ >"$0"; exec docker-registry serve "$1"' "$D/registry.pid" "$D/registry.yml" \
		>>"$D/registry.log" 2>&1 </dev/null 9>&-
fi
for _ in $(seq 100); do registry_ok && break; sleep 0.1; done
registry_ok || { tail -20 "$D/registry.log" >&2; die "registry not answering on $REG_ADDR"; }

log "ready after $(since)"
echo "DOCKER_HOST=$DOCKER_HOST"
