/**
 * The create and delete scripts DokployHost runs over SSH, and the files they install: the AWS
 * credentials file (from stdin), the login helper (./loginScript.ts) and a cron file that runs
 * it every 6 hours (ECR tokens last 12).
 *
 * sshd runs a command with the user's login shell (`$SHELL -c`), bash for root on Debian and
 * Ubuntu; the scripts use bash (`set -euo pipefail`). No secret is in them: the key arrives on
 * stdin, which the create script reads first, before any other program could consume it.
 */
import { createHash } from "node:crypto";
import { DOKPLOY_DOCKER_CONFIG_VOLUME, loginScript } from "./loginScript";

export interface EcrLoginScriptParams {
    /** Names the profile, files and cron entry, e.g. `nextstack-dev-ecr`. */
    readonly profile: string;
    readonly region: string;
    /** `<account>.dkr.ecr.<region>.amazonaws.com` */
    readonly registryHost: string;
    /** Where the files go; the defaults are the real host's, tests point them at a temp dir. */
    readonly layout?: Partial<HostLayout>;
}

export interface HostLayout {
    readonly configDir: string;
    readonly sbinDir: string;
    readonly cronDir: string;
    readonly logDir: string;
}

export const DEFAULT_LAYOUT: HostLayout = {
    configDir: "/etc/nextstack",
    sbinDir: "/usr/local/sbin",
    cronDir: "/etc/cron.d",
    logDir: "/var/log",
};

export interface EcrLoginPaths {
    readonly credentials: string;
    readonly loginScript: string;
    readonly cronFile: string;
    /** The last cron run's output. */
    readonly logFile: string;
}

export interface EcrLoginScripts {
    readonly create: string;
    readonly delete: string;
    /** The login helper's text, installed at `paths.loginScript`. */
    readonly login: string;
    /** The cron file's text, installed at `paths.cronFile`. */
    readonly cron: string;
    readonly paths: EcrLoginPaths;
}

const SAFE = /^[A-Za-z0-9.-]+$/;
/** A registry host may carry a port (a test's loopback registry); ECR's never does. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(:[0-9]+)?$/;
const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
/** cron's PATH: the official AWS CLI installer puts `aws` in /usr/local/bin. */
export const CRON_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Becomes root when the SSH user is not (cron.d and the credentials file are root's). */
const SUDO = `SUDO=; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"`;

export function ecrLoginScripts(p: EcrLoginScriptParams): EcrLoginScripts {
    const { layout: overrides, ...names } = p;
    for (const [key, value] of Object.entries(names)) {
        // Values are interpolated into shell text: allow only what names and hosts need.
        const rule = key === "registryHost" ? SAFE_HOST : SAFE;
        if (!rule.test(value)) throw new Error(`ecrLoginScripts: ${key} "${value}" must match ${rule}`);
    }
    const layout = { ...DEFAULT_LAYOUT, ...overrides };
    for (const [key, value] of Object.entries(layout)) {
        if (!SAFE_PATH.test(value))
            throw new Error(`ecrLoginScripts: layout.${key} "${value}" must match ${SAFE_PATH}`);
    }
    const paths: EcrLoginPaths = {
        credentials: `${layout.configDir}/${p.profile}.credentials`,
        loginScript: `${layout.sbinDir}/${p.profile}-login`,
        // cron ignores files in /etc/cron.d whose names contain dots.
        cronFile: `${layout.cronDir}/${p.profile.replace(/\./g, "-")}-login`,
        logFile: `${layout.logDir}/${p.profile}-login.log`,
    };
    const login = loginScript({ ...p, credentials: paths.credentials });
    // /etc/cron.d format: environment lines, then "m h dom mon dow user command"; cron skips a
    // last line without a newline.
    const cron = [
        "# Written by nextstack's DokployHost (Pulumi): renews the ECR login for Dokploy and root (tokens last 12 h).",
        "SHELL=/bin/sh",
        `PATH=${CRON_PATH}`,
        `17 */6 * * * root ${paths.loginScript} >${paths.logFile} 2>&1`,
        "",
    ].join("\n");

    const create = [
        "set -euo pipefail",
        "umask 077",
        SUDO,
        `$SUDO install -d -m 700 ${layout.configDir}`,
        // tee reads the inherited stdin; `install /dev/stdin` cannot open it when it is a socket (ENXIO).
        writeFile(paths.credentials, "600"),
        "install_aws_cli() {",
        "    command -v unzip >/dev/null 2>&1 && command -v curl >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip curl >/dev/null; }",
        "    local tmp; tmp=$(mktemp -d)",
        `    curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip" -o "$tmp/awscliv2.zip"`,
        `    unzip -q "$tmp/awscliv2.zip" -d "$tmp"`,
        `    $SUDO "$tmp/aws/install" --update >/dev/null`,
        `    rm -rf "$tmp"`,
        "}",
        "command -v aws >/dev/null 2>&1 || install_aws_cli",
        heredoc(writeFile(paths.loginScript, "700"), login),
        heredoc(writeFile(paths.cronFile, "644"), cron),
        // A failed first login leaves nothing behind: Pulumi records no resource, so no delete would run.
        `if ! $SUDO ${paths.loginScript}; then`,
        `    $SUDO rm -f ${paths.cronFile} ${paths.loginScript} ${paths.credentials}`,
        `    $SUDO rmdir ${layout.configDir} 2>/dev/null || true`,
        "    exit 1",
        "fi",
        `echo "${paths.cronFile} renews this login every 6 hours"`,
        "",
    ].join("\n");

    // Logs both configs out of this registry (docker logout is a no-op where not logged in), then
    // removes the files. On a key rotation the new create logs in again right after.
    const del = [
        "set -euo pipefail",
        SUDO,
        "if command -v docker >/dev/null 2>&1; then",
        `    if dokploy_config=$($SUDO docker volume inspect ${DOKPLOY_DOCKER_CONFIG_VOLUME} --format '{{ .Mountpoint }}' 2>/dev/null) && [ -d "$dokploy_config" ]; then`,
        `        $SUDO docker --config "$dokploy_config" logout ${p.registryHost} >/dev/null`,
        "    else",
        `        echo "no Docker volume ${DOKPLOY_DOCKER_CONFIG_VOLUME}: nothing to log out of for Dokploy" >&2`,
        "    fi",
        `    $SUDO env -u DOCKER_CONFIG docker logout ${p.registryHost} >/dev/null`,
        "fi",
        `$SUDO rm -f ${paths.cronFile} ${paths.loginScript} ${paths.credentials} ${paths.logFile}`,
        `$SUDO rmdir ${layout.configDir} 2>/dev/null || true`,
        `echo "logged Docker out of ${p.registryHost} (Dokploy and root); removed ${paths.cronFile} and profile ${p.profile}"`,
        "",
    ].join("\n");
    return { create, delete: del, login, cron, paths };
}

/** Replaces `path` with an empty file of `mode`, then fills it from stdin. */
function writeFile(path: string, mode: string): string {
    return `$SUDO install -m ${mode} /dev/null ${path} && $SUDO tee ${path} >/dev/null`;
}

/** A quoted here-document: the shell expands nothing inside it. */
function heredoc(command: string, text: string): string {
    const end = "NEXTSTACK_EOF";
    if (text.split("\n").includes(end)) throw new Error(`heredoc: text contains its delimiter ${end}`);
    return `${command} <<'${end}'\n${text.endsWith("\n") ? text : `${text}\n`}${end}`;
}

/** The AWS credentials file content sent on stdin (the only place the secret appears). */
export function awsCredentialsFile(profile: string, accessKeyId: string, secretAccessKey: string): string {
    return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

export function scriptHash(scripts: EcrLoginScripts): string {
    return createHash("sha256").update(scripts.create).update("\0").update(scripts.delete).digest("hex");
}
