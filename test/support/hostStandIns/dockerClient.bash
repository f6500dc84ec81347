# The docker stand-in's login and logout, as docker.sh runs them (`exec bash dockerClient.bash
# ARG…`): sends the call to the server in the test process (dockerServer.js, which runs docker.js,
# where the behaviour copied from the real CLI is documented) and prints its answer: stdout,
# stderr, exit code. bash, not sh, for /dev/tcp; builtins only, no forks.
#
# The call: the working directory, argv, and the environment docker.js reads (DOCKER_CONFIG, HOME,
# STANDIN_STATE) with the keys the call record keeps (common.js RECORDED_ENV), each only if it is
# in this process's environment. stdin is read (to its end, or a NUL byte) and sent only if the
# server asks for it, i.e. for `login --password-stdin`; other calls leave it alone like the real
# CLI. The protocol is in dockerServer.js.
#
# The server's address is $STANDIN_DOCKER (127.0.0.1:PORT), set by the wrapper StandInHost writes.
# Nothing listening (the StandInHost was removed, or the server died) or no complete answer within
# 10 s ends the call with exit 125 (the stand-in's code for a call it cannot serve) and a message
# on stderr; it never waits longer.
fail() {
    printf 'stand-in docker: %s\n' "$1" >&2
    exit 125
}
trap '' PIPE
address=${STANDIN_DOCKER-}
[[ $address == *:* ]] || fail "STANDIN_DOCKER is not set (run it through the wrapper made by test/support/hostStandIns)"
exec 3<>"/dev/tcp/${address%:*}/${address##*:}" ||
    fail "nothing listens on $address: the StandInHost was removed, or its server (dockerServer.js) is gone"

fields=("$PWD" "$#" "$@")
for key in DOCKER_CONFIG HOME STANDIN_STATE AWS_SHARED_CREDENTIALS_FILE AWS_CONFIG_FILE AWS_PROFILE PATH; do
    # Exported only: bash sets a PATH of its own when the environment has none.
    [[ ${!key@a} == *x* ]] && fields+=("$key=${!key}")
done
printf '%s\0' "${fields[@]}" "" >&3 || fail "cannot send the call to $address"

# `answer VAR`: the server's next field into VAR, within 10 s of the last thing sent.
answer() {
    local left=$((deadline - SECONDS)) status=0
    ((left > 0)) || fail "no answer from $address within 10 s"
    IFS= read -r -d '' -t "$left" "$1" <&3 || status=$?
    ((status <= 128)) || fail "no answer from $address within 10 s"
    ((status == 0)) || fail "$address closed the connection before a complete answer"
}
deadline=$((SECONDS + 10))
answer code
if [[ $code == stdin ]]; then
    IFS= read -r -d '' input
    printf '%s\0' "$input" >&3 || fail "cannot send stdin to $address"
    deadline=$((SECONDS + 10))
    answer code
fi
[[ $code =~ ^[0-9]+$ ]] || fail "the answer's exit code is not a number: $code"
answer out
answer err
printf '%s' "$out"
printf '%s' "$err" >&2
exit "$code"
