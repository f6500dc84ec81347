#!/bin/sh
# Stand-in for coreutils `sleep N`: records the requested seconds and returns at once, so a test
# sees the login's backoff without waiting for it. Like the real one it refuses a missing or
# non-numeric operand (exit 1). Plain sh, not node: a permanent refusal calls it 7 times and a node
# start costs ~50 ms CPU; builtins only, no forks.
. "${0%/*}/record.sh"
record sleep "$@"
# A number is digits with at most one `.` between them: ^[0-9]+(\.[0-9]+)?$ over the whole operand.
# (The grep this replaces matched line by line and so let "3<newline>" through; coreutils refuses
# it.)
case $1 in
"" | *[!0-9.]* | .* | *. | *.*.*) number="" ;;
*) number=1 ;;
esac
if [ "$#" -ne 1 ] || [ -z "$number" ]; then
    echo "sleep: invalid time interval '$*'" >&2
    exit 1
fi
