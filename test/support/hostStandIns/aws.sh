#!/bin/sh
# Stand-in for the AWS CLI v2, only `aws ecr get-login-password`, behaving like the real one where
# the host login script depends on it:
# - credentials come from AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) under --profile
#   (or AWS_PROFILE); an unknown profile fails with "The config profile (…) could not be found"
#   and exit 253, no key with "Unable to locate credentials…" and 253 (AWS CLI return codes:
#   docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html: 253 = invalid environment
#   or configuration, 254 = the service returned an error, 252 = bad syntax);
# - a refused request prints "\nAn error occurred (<Code>) when calling the GetAuthorizationToken
#   operation: <message>\n" on stderr and exits 254 (the format seen in e.g. kciter/aws-ecr-action#15
#   for UnrecognizedClientException);
# - success prints the registry password and a newline on stdout, nothing else.
# Its behaviour comes from files StandInHost.aws() writes in $STANDIN_STATE: aws.password,
# aws.refusals (one error code per call, then success), aws.refuse-always (a code every call gets).
# Plain sh with builtins only, no forks: the login script calls it up to 8 times per run and a node
# start costs ~50 ms CPU.
. "${0%/*}/record.sh"
record aws "$@"

if [ "$1" != ecr ] || [ "$2" != get-login-password ]; then
    printf '\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\naws: error: stand-in supports only ecr get-login-password, got: %s\n' "$*" >&2
    exit 252
fi
profile=${AWS_PROFILE:-default}
region=${AWS_REGION:-$AWS_DEFAULT_REGION}
while [ "$#" -gt 0 ]; do
    case $1 in
    --profile) profile=$2 ;;
    --region) region=$2 ;;
    esac
    shift
done
if [ -z "$region" ]; then
    printf '\nYou must specify a region. You can also configure your region by running "aws configure".\n' >&2
    exit 253
fi
file=${AWS_SHARED_CREDENTIALS_FILE:-${HOME:-/}/.aws/credentials}
# `has_value KEY LINE`: LINE gives KEY a value, i.e. it matches
# grep -E '^KEY[[:space:]]*=[[:space:]]*[^[:space:]]'.
has_value() {
    case $2 in "$1"*) ;; *) return 1 ;; esac
    value=${2#"$1"}
    value=${value#"${value%%[![:space:]]*}"}
    case $value in =*) ;; *) return 1 ;; esac
    value=${value#=}
    value=${value#"${value%%[![:space:]]*}"}
    [ -n "$value" ]
}
# The profile's section: from a line starting `[profile]` to the next line starting `[`. Like the
# real CLI, a missing file is a missing profile.
found="" inside="" key_id="" secret=""
if [ -r "$file" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        "[$profile]"*) inside=1 found=1 ;;
        "["*) inside="" ;;
        *) if [ -n "$inside" ]; then
            has_value aws_access_key_id "$line" && key_id=1
            has_value aws_secret_access_key "$line" && secret=1
        fi ;;
        esac
    done <"$file"
fi
if [ -z "$found" ] && [ "$profile" != default ]; then
    printf '\nThe config profile (%s) could not be found\n' "$profile" >&2
    exit 253
fi
if [ -z "$found" ] || [ -z "$key_id" ] || [ -z "$secret" ]; then
    printf '\nUnable to locate credentials. You can configure credentials by running "aws configure".\n' >&2
    exit 253
fi

read_file count "$STANDIN_STATE/aws.count"
count=${count:-0}
echo $((count + 1)) >"$STANDIN_STATE/aws.count"
# This call's refusal: aws.refuse-always, else line count+1 of aws.refusals.
read_file refusal "$STANDIN_STATE/aws.refuse-always"
if [ -z "$refusal" ] && [ -r "$STANDIN_STATE/aws.refusals" ]; then
    n=0
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        if [ "$n" -eq $((count + 1)) ]; then
            refusal=$line
            break
        fi
    done <"$STANDIN_STATE/aws.refusals"
fi
if [ -n "$refusal" ]; then
    case $refusal in
    UnrecognizedClientException) message="The security token included in the request is invalid." ;;
    InvalidSignatureException) message="The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method." ;;
    AccessDeniedException) message="User: arn:aws:iam::123456789012:user/nextstack-dev-runtime is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action" ;;
    ThrottlingException) message="Rate exceeded" ;;
    *) message="stand-in refusal" ;;
    esac
    printf '\nAn error occurred (%s) when calling the GetAuthorizationToken operation: %s\n' "$refusal" "$message" >&2
    exit 254
fi
read_file password "$STANDIN_STATE/aws.password"
printf '%s\n' "$password"
