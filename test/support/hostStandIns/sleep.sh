#!/bin/sh
# Stand-in for coreutils `sleep N`: records the requested seconds and returns at once, so a test
# sees the login's backoff without waiting for it. Like the real one it refuses a missing or
# non-numeric operand (exit 1). Plain sh, not node: a permanent refusal calls it 7 times and a node
# start costs ~100 ms.
. "$(dirname "$0")/record.sh"
record sleep "$@"
if [ "$#" -ne 1 ] || ! printf '%s' "$1" | grep -Eq '^[0-9]+(\.[0-9]+)?$'; then
    echo "sleep: invalid time interval '$*'" >&2
    exit 1
fi
