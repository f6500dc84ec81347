/**
 * DokployHost: keeps the Dokploy server logged in to this environment's ECR registry, over SSH
 * (SECURITY.md §9), in the Docker config Dokploy itself reads (the `dokploy-docker-config`
 * volume, see ./dokployHost/loginScript.ts) and in root's. ECR tokens last 12 hours, so a cron
 * file refreshes both logins every 6 hours with the runtime user's key, kept in a dedicated AWS
 * profile that nothing else uses.
 *
 * The key travels on stdin only: a command line is visible in `ps`, and `environment` is
 * silently dropped unless sshd's AcceptEnv allows it.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { awsCredentialsFile, ecrLoginScripts, scriptHash } from "./dokployHost/scripts";

export {
    awsCredentialsFile,
    ecrLoginScripts,
    scriptHash,
    type EcrLoginScriptParams,
    type EcrLoginScripts,
} from "./dokployHost/scripts";

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
    /**
     * What the first login needs in effect, e.g. the runtime user's policy (a component counts
     * for all its children). The login also retries while IAM propagates the change.
     */
    readonly loginAfter?: pulumi.Input<pulumi.Resource>[];
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
                dependsOn: args.loginAfter,
                // A replacement must not delete the new setup after creating it: the files have fixed paths.
                deleteBeforeReplace: true,
            },
        );

        this.registerOutputs({ scriptHash: this.scriptHash });
    }
}
