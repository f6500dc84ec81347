#!/bin/sh
# Front of the docker stand-in: `volume inspect`, which every create and delete runs, is answered
# here in sh with builtins only, no forks; login and logout, which edit JSON config files, go to
# dockerClient.bash, which hands them to docker.js, run by a server in the test process (a `node`
# per call cost ~45 ms of CPU); docker.js documents the behaviour both copy. `volume inspect
# NAME --format '{{ .Mountpoint }}'` prints the mountpoint; for a missing volume an empty line, then
# "Error response from daemon: get NAME: no such volume" on stderr, exit 1. Volumes come from
# $STANDIN_STATE/docker.volumes (`name<TAB>mountpoint` lines), written with docker.json.
here=${0%/*}
# The command and its subcommand: the first two arguments after the `--config DIR` options.
first="" second=""
command_words() {
    while [ "$#" -gt 0 ]; do
        case $1 in
        --config)
            [ "$#" -ge 2 ] || break
            shift 2
            ;;
        --config=*) shift ;;
        *) break ;;
        esac
    done
    first=${1-} second=${2-}
}
command_words "$@"
if [ "$first" != volume ] || [ "$second" != inspect ]; then
    # bash from PATH, as the scripts under test find it (sshd and cron give /usr/bin and /bin).
    exec bash "$here/dockerClient.bash" "$@"
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
# The format without its whitespace (tr -d '[:space:]').
rest=$format compact=""
while [ -n "$rest" ]; do
    c=${rest%"${rest#?}"}
    rest=${rest#?}
    case $c in [[:space:]]) ;; *) compact=$compact$c ;; esac
done
if [ "$compact" != "{{.Mountpoint}}" ]; then
    echo "stand-in supports only --format '{{ .Mountpoint }}'" >&2
    exit 125
fi
# The first line naming the volume (awk -F '\t' '$1 == name { print $2; exit }').
tab='	'
mountpoint=""
if [ -r "$STANDIN_STATE/docker.volumes" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        "$name$tab"*)
            mountpoint=${line#"$name$tab"}
            mountpoint=${mountpoint%%"$tab"*}
            break
            ;;
        esac
    done <"$STANDIN_STATE/docker.volumes"
fi
if [ -z "$mountpoint" ]; then
    echo
    echo "Error response from daemon: get $name: no such volume" >&2
    exit 1
fi
printf '%s\n' "$mountpoint"
