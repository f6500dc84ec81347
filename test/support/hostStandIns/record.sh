# Sourced by the sh stand-ins: `record TOOL ARG…` appends the call record common.js writes
# (tool, argv, and the environment keys it lists) to $STANDIN_STATE/calls.jsonl. Values are
# JSON-escaped for backslash and double quote, enough for the paths and words the scripts pass.
json() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
record() {
    tool=$1
    shift
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
    printf '{"tool":"%s","argv":[%s],"env":{%s}}\n' "$tool" "$argv" "$env" >>"$STANDIN_STATE/calls.jsonl"
}
