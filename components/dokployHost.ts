/**
 * DokployHost: keeps the Dokploy server logged in to this environment's ECR registry, over SSH
 * (SECURITY.md §9). ECR tokens last 12 hours, so a cron file refreshes the login every 6 hours
 * with the runtime user's key, kept in a dedicated AWS profile that nothing else uses.
 *
 * The key travels on stdin only: a command line is visible in `ps`, and `environment` is
 * silently dropped unless sshd's AcceptEnv allows it.
 */
import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export interface EcrLoginScriptParams {
    /** Names the profile, files and cron entry, e.g. `nextstack-dev-ecr`. */
    readonly profile: string;
    readonly region: string;
    /** `<account>.dkr.ecr.<region>.amazonaws.com` */
    readonly registryHost: string;
}

export interface EcrLoginScripts {
    readonly create: string;
    readonly delete: string;
    /** Where things land on the host, for docs and tests. */
    readonly paths: { readonly credentials: string; readonly loginScript: string; readonly cronFile: string };
}

const SAFE = /^[A-Za-z0-9.-]+$/;

/** Becomes root when the SSH user is not (cron.d and the credentials file are root's). */
const SUDO = `SUDO=; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"`;

/**
 * The shell scripts, as pure text: no secret is in them (the key comes on stdin), every step
 * can run again with the same result, and nothing they print is secret.
 */
export function ecrLoginScripts(p: EcrLoginScriptParams): EcrLoginScripts {
    for (const [key, value] of Object.entries(p)) {
        // Values are interpolated into shell text: allow only what names and hosts need.
        if (!SAFE.test(value)) throw new Error(`ecrLoginScripts: ${key} "${value}" must match ${SAFE}`);
    }
    const credentials = `/etc/nextstack/${p.profile}.credentials`;
    const loginScript = `/usr/local/sbin/${p.profile}-login`;
    // cron ignores files in /etc/cron.d whose names contain dots.
    const cronFile = `/etc/cron.d/${p.profile}-login`;
    const login = [
        "#!/bin/sh",
        "set -eu",
        `export AWS_SHARED_CREDENTIALS_FILE=${credentials}`,
        "export AWS_CONFIG_FILE=/dev/null",
        `aws ecr get-login-password --profile ${p.profile} --region ${p.region} | docker login --username AWS --password-stdin ${p.registryHost} >/dev/null`,
    ].join("\n");
    const cron = [
        "SHELL=/bin/sh",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        `17 */6 * * * root ${loginScript} >/dev/null 2>&1`,
    ].join("\n");
    const create = [
        "set -eu",
        "umask 077",
        SUDO,
        // Read stdin first, before any other program could consume it.
        "$SUDO install -d -m 700 /etc/nextstack",
        `$SUDO install -m 600 /dev/stdin ${credentials}`,
        "install_aws_cli() {",
        "  command -v unzip >/dev/null 2>&1 && command -v curl >/dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq unzip curl >/dev/null; }",
        "  tmp=$(mktemp -d)",
        `  curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip" -o "$tmp/awscliv2.zip"`,
        `  unzip -q "$tmp/awscliv2.zip" -d "$tmp"`,
        `  $SUDO "$tmp/aws/install" --update >/dev/null`,
        `  rm -rf "$tmp"`,
        "}",
        "command -v aws >/dev/null 2>&1 || install_aws_cli",
        `printf '%s\\n' '${login.split("\n").join("' '")}' | $SUDO install -m 700 /dev/stdin ${loginScript}`,
        `printf '%s\\n' '${cron.split("\n").join("' '")}' | $SUDO install -m 644 /dev/stdin ${cronFile}`,
        `$SUDO ${loginScript}`,
        `echo "ECR login for ${p.registryHost} refreshed; ${cronFile} renews it every 6 hours"`,
    ].join("\n");
    // The docker login itself is left to expire (at most 12 h): logging out here would break
    // image pulls during a key rotation, where delete runs just before the new create.
    const del = [
        "set -eu",
        SUDO,
        `$SUDO rm -f ${cronFile} ${loginScript} ${credentials}`,
        "$SUDO rmdir /etc/nextstack 2>/dev/null || true",
        `echo "removed ${cronFile} and profile ${p.profile}"`,
    ].join("\n");
    return { create, delete: del, paths: { credentials, loginScript, cronFile } };
}

/** The AWS credentials file content sent on stdin (the only place the secret appears). */
export function awsCredentialsFile(profile: string, accessKeyId: string, secretAccessKey: string): string {
    return `[${profile}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

export function scriptHash(scripts: EcrLoginScripts): string {
    return createHash("sha256").update(scripts.create).update("\0").update(scripts.delete).digest("hex");
}

export interface DokployHostArgs {
    /** The server's SSH host name or address. */
    readonly host: pulumi.Input<string>;
    /** The SSH port. */
    readonly port: pulumi.Input<number>;
    /** The SSH user (root, or a user with passwordless sudo). */
    readonly user: pulumi.Input<string>;
    /** The SSH private key; pass a Pulumi secret. */
    readonly privateKey: pulumi.Input<string>;
    /** The server's pinned public host key (`ssh-ed25519 AAAA…`); unpinned would trust any server. */
    readonly hostKey: pulumi.Input<string>;
    /** The AWS profile (and file) name on the host, e.g. `nextstack-dev-ecr`. */
    readonly profile: pulumi.Input<string>;
    /** The registry's AWS region. */
    readonly region: pulumi.Input<string>;
    /** The registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
    readonly registryHost: pulumi.Input<string>;
    /** The runtime user's active access key id; a change (rotation) re-runs the setup. */
    readonly accessKeyId: pulumi.Input<string>;
    /** The matching secret access key; pass a Pulumi secret. */
    readonly secretAccessKey: pulumi.Input<string>;
}

export class DokployHost extends pulumi.ComponentResource {
    public readonly command: command.remote.Command;
    /** The hash of the scripts run on the host; a change re-runs them. */
    public readonly scriptHash: pulumi.Output<string>;

    constructor(name: string, args: DokployHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nextstack:dokploy:DokployHost", name, {}, opts);

        const scripts = pulumi
            .all([args.profile, args.region, args.registryHost])
            .apply(([profile, region, registryHost]) => ecrLoginScripts({ profile, region, registryHost }));
        this.scriptHash = scripts.apply(scriptHash);
        const stdin = pulumi.secret(
            pulumi
                .all([args.profile, args.accessKeyId, args.secretAccessKey])
                .apply(([profile, id, secret]) => awsCredentialsFile(profile, id, secret)),
        );

        this.command = new command.remote.Command(
            `${name}-ecr-login`,
            {
                connection: {
                    host: args.host,
                    port: args.port,
                    user: args.user,
                    privateKey: pulumi.secret(args.privateKey),
                    hostKey: args.hostKey,
                },
                create: scripts.apply((s) => s.create),
                delete: scripts.apply((s) => s.delete),
                stdin,
                triggers: [args.accessKeyId, this.scriptHash],
                logging: "none",
            },
            {
                parent: this,
                additionalSecretOutputs: ["stdout", "stderr"],
                // A replacement must not delete the new setup after creating it: the files have fixed paths.
                deleteBeforeReplace: true,
            },
        );

        this.registerOutputs({ scriptHash: this.scriptHash });
    }
}
