#!/usr/bin/env node
// @ts-check
/**
 * Stand-in for the AWS CLI v2, only `aws ecr get-login-password`, behaving like the real one
 * where the host login script depends on it:
 * - credentials come from AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials) under
 *   --profile (or AWS_PROFILE); an unknown profile fails with "The config profile (…) could not
 *   be found" and exit 253, no key with "Unable to locate credentials…" and 253 (AWS CLI return
 *   codes: docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html: 253 = invalid
 *   environment or configuration, 254 = the service returned an error, 252 = bad syntax);
 * - a refused request prints "\nAn error occurred (<Code>) when calling the GetAuthorizationToken
 *   operation: <message>\n" on stderr and exits 254 (the format seen in e.g.
 *   kciter/aws-ecr-action#15 for UnrecognizedClientException);
 * - success prints the registry password and a newline on stdout, nothing else.
 *
 * Its behaviour comes from $STANDIN_STATE/aws.json: { password, refusals: [code…] (one per call,
 * then success), refuseAlways: code | null }. Each call is appended to $STANDIN_STATE/calls.jsonl.
 */
const fs = require("node:fs");
const path = require("node:path");
const { record, readJson, state } = require("./common");

const MESSAGES = {
    UnrecognizedClientException: "The security token included in the request is invalid.",
    InvalidSignatureException:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    AccessDeniedException:
        "User: arn:aws:iam::123456789012:user/nextstack-dev-runtime is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action",
    ThrottlingException: "Rate exceeded",
};

const argv = process.argv.slice(2);
record("aws", argv);

function fail(code, text) {
    process.stderr.write(text);
    process.exit(code);
}

function option(name) {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}

if (argv[0] !== "ecr" || argv[1] !== "get-login-password") {
    fail(
        252,
        `\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\naws: error: stand-in supports only ecr get-login-password, got: ${argv.join(" ")}\n`,
    );
}
const profile = option("--profile") ?? process.env.AWS_PROFILE ?? "default";
if (!option("--region") && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION) {
    fail(253, '\nYou must specify a region. You can also configure your region by running "aws configure".\n');
}
const credentialsFile =
    process.env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(process.env.HOME ?? "/", ".aws", "credentials");
let text = "";
try {
    text = fs.readFileSync(credentialsFile, "utf8");
} catch {
    // Like the real CLI: a missing file is a missing profile.
}
const section = text.split(/^\[/m).find((s) => s.startsWith(`${profile}]`));
if (section === undefined && profile !== "default") fail(253, `\nThe config profile (${profile}) could not be found\n`);
if (!section || !/^aws_access_key_id\s*=\s*\S+/m.test(section) || !/^aws_secret_access_key\s*=\s*\S+/m.test(section)) {
    fail(253, '\nUnable to locate credentials. You can configure credentials by running "aws configure".\n');
}

const config = readJson("aws.json", { password: "", refusals: [], refuseAlways: null });
const counterFile = path.join(state, "aws.count");
const call = Number(fs.existsSync(counterFile) ? fs.readFileSync(counterFile, "utf8") : "0");
fs.writeFileSync(counterFile, String(call + 1));
const refusal = config.refuseAlways ?? config.refusals[call];
if (refusal) {
    const message = MESSAGES[refusal] ?? "stand-in refusal";
    fail(254, `\nAn error occurred (${refusal}) when calling the GetAuthorizationToken operation: ${message}\n`);
}
process.stdout.write(`${config.password}\n`);
