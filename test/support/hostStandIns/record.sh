# Sourced by the sh stand-ins (aws.sh, docker.sh, sleep.sh): `record TOOL ARG…` appends the call
# record common.js writes (tool, argv, and the environment keys it lists) to
# $STANDIN_STATE/calls.jsonl. Values are JSON-escaped for backslash and double quote, enough for the
# paths and words the scripts pass. No fork on the common path (a call records ~10 values): only a
# value holding `\`, `"` or a newline goes through sed, as every value did before, so each record
# stays byte for byte the same.
nl='
'
# `json VALUE` sets $json to VALUE as a JSON string.
json() {
    case $1 in
    *\\* | *\"* | *"$nl"*) json="\"$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')\"" ;;
    *) json="\"$1\"" ;;
    esac
}
record() {
    tool=$1
    shift
    argv=""
    for a in "$@"; do
        json "$a"
        argv="$argv${argv:+,}$json"
    done
    env=""
    for k in HOME DOCKER_CONFIG AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE AWS_PROFILE PATH; do
        eval "isset=\${$k+x}"
        if [ -n "$isset" ]; then
            eval "v=\$$k"
            json "$v"
            env="$env${env:+,}\"$k\":$json"
        fi
    done
    printf '{"tool":"%s","argv":[%s],"env":{%s}}\n' "$tool" "$argv" "$env" >>"$STANDIN_STATE/calls.jsonl"
}
# `read_file VAR FILE` sets VAR to FILE's first line (without its newline), "" if FILE is missing:
# what `$(cat FILE 2>/dev/null)` gave for the one-line state files, without a fork.
read_file() {
    eval "$1=''"
    [ -r "$2" ] && IFS= read -r "$1" <"$2"
    return 0
}
