#!/usr/bin/env bash
# Stop what engine-up.sh started, via its pid files only. Idempotent.
# The project's copy of /work/shared/docker/engine-down.sh (see /work/shared/docker/ENGINE.md).
#   ENGINE_DIR=/tmp/engine   the state dir engine-up.sh used
#   --purge                  also delete data-root/exec-root/registry data (swarm state, images)
set -uo pipefail
D=${ENGINE_DIR:-/tmp/engine}

stop_pidfile() { # pidfile name timeout_s
	local f="$1" name="$2" t="${3:-10}" pid
	[ -f "$f" ] || return 0
	pid=$(head -n1 "$f")
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		echo "[engine-down] stopping $name (pid $pid)"
		kill -TERM "$pid"
		for _ in $(seq $((t * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$pid" 2>/dev/null && { echo "[engine-down] $name did not exit; SIGKILL"; kill -KILL "$pid"; }
	fi
	rm -f "$f"
}

stop_pidfile "$D/registry.pid" registry 5
# dockerd stops its containers (their grace period, in parallel) and its own containerd child.
stop_pidfile "$D/dockerd.pid" dockerd 40
# dockerd's containerd child normally exits with it; end it only if it is still ours
cpid="$D/exec/containerd/containerd.pid"
if [ -f "$cpid" ] && kill -0 "$(cat "$cpid")" 2>/dev/null &&
	grep -qa -- "$D/exec/containerd" "/proc/$(cat "$cpid")/cmdline" 2>/dev/null; then
	stop_pidfile "$cpid" containerd 10
fi
# remove the host socket only if it is a dead socket (never one another daemon serves)
if [ -S /var/run/docker.sock ] && ! timeout 3 curl -s --unix-socket /var/run/docker.sock http://d/_ping >/dev/null 2>&1; then
	rm -f /var/run/docker.sock
fi

if [ "${1:-}" = --purge ]; then
	echo "[engine-down] purging $D/{data,data-vfs,exec,registry-data}"
	# unmount anything dockerd left mounted under our dirs (overlay, netns, shm)
	grep -oE " $D/(data|data-vfs|exec)[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$D/data" "$D/data-vfs" "$D/exec" "$D/registry-data"
	# host bridge dockerd created for swarm tasks (persisted in data-root, now gone)
	ip link show docker_gwbridge >/dev/null 2>&1 && ip link del docker_gwbridge
fi
exit 0
