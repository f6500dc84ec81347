#!/bin/sh
# Front of the docker stand-in: `volume inspect`, which every create and delete runs, is answered
# here in sh (a node start costs ~100 ms); login and logout, which edit JSON config files, go to
# docker.js, which documents the behaviour both copy. `volume inspect NAME --format
# '{{ .Mountpoint }}'` prints the mountpoint; for a missing volume an empty line, then "Error
# response from daemon: get NAME: no such volume" on stderr, exit 1. Volumes come from
# $STANDIN_STATE/docker.volumes (`name<TAB>mountpoint` lines), written with docker.json.
here=$(dirname "$0")
args_after_config() {
    while [ "$#" -gt 0 ]; do
        case $1 in
        --config) shift 2 ;;
        --config=*) shift ;;
        *) break ;;
        esac
    done
    printf '%s\n' "$1" "$2"
}
first=$(args_after_config "$@" | sed -n 1p)
second=$(args_after_config "$@" | sed -n 2p)
if [ "$first" != volume ] || [ "$second" != inspect ]; then
    exec "$STANDIN_NODE" "$here/docker.js" "$@"
fi
. "$here/record.sh"
record docker "$@"
name="" format="" prev=""
seen_inspect=""
for a in "$@"; do
    if [ -n "$seen_inspect" ]; then
        case $prev in
        --format | -f) format=$a ;;
        *) case $a in -*) ;; *) [ -z "$name" ] && name=$a ;; esac ;;
        esac
    fi
    [ "$a" = inspect ] && seen_inspect=1
    prev=$a
done
if [ "$(printf '%s' "$format" | tr -d '[:space:]')" != "{{.Mountpoint}}" ]; then
    echo "stand-in supports only --format '{{ .Mountpoint }}'" >&2
    exit 125
fi
mountpoint=$(awk -F '\t' -v n="$name" '$1 == n { print $2; exit }' "$STANDIN_STATE/docker.volumes" 2>/dev/null)
if [ -z "$mountpoint" ]; then
    echo
    echo "Error response from daemon: get $name: no such volume" >&2
    exit 1
fi
printf '%s\n' "$mountpoint"
