#!/bin/sh
# Stand-in for coreutils `sleep N`: records the requested seconds and returns at once, so a test
# sees the login's backoff without waiting for it. Like the real one it refuses a missing or
# non-numeric operand (exit 1). Plain sh, not node like its siblings: a permanent refusal calls it
# 7 times and a node start costs ~100 ms. It writes the call record common.js writes (tool, argv,
# env of the keys it lists); values are JSON-escaped for backslash and quote (paths, no newlines).
json() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
argv=""
for a in "$@"; do argv="$argv${argv:+,}$(json "$a")"; done
env=""
for k in HOME DOCKER_CONFIG AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE AWS_PROFILE PATH; do
    eval "isset=\${$k+x}"
    if [ -n "$isset" ]; then
        eval "v=\$$k"
        env="$env${env:+,}\"$k\":$(json "$v")"
    fi
done
printf '{"tool":"sleep","argv":[%s],"env":{%s}}\n' "$argv" "$env" >>"$STANDIN_STATE/calls.jsonl"
if [ "$#" -ne 1 ] || ! printf '%s' "$1" | grep -Eq '^[0-9]+(\.[0-9]+)?$'; then
    echo "sleep: invalid time interval '$*'" >&2
    exit 1
fi
