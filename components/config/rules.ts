/**
 * Pure predicates for the values AWS, GitHub, Docker and SSH accept. Each returns an
 * explanation of what is wrong, or undefined when the value is fine.
 */

type Check = (value: string) => string | undefined;

export const accountId: Check = (v) => (/^\d{12}$/.test(v) ? undefined : "must be exactly 12 digits");

/** AWS CLI profile names: letters, digits and the punctuation `aws configure` accepts, no whitespace. */
export const awsProfile: Check = (v) =>
    /^[A-Za-z0-9_.@+=,:\/-]{1,64}$/.test(v) ? undefined : "is not an AWS CLI profile name (see ~/.aws/config)";

/** A role of this stack's own account: assuming into another account would bypass allowedAccountIds. */
export function roleArnIn(account: string): Check {
    return (v) => {
        const m = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/.exec(v);
        if (!m) return "must be an IAM role ARN such as arn:aws:iam::<account id>:role/<name>";
        // With an invalid accountId that key's own problem is the root cause; no second report here.
        return m[1] === account || !/^\d{12}$/.test(account)
            ? undefined
            : `is a role in account ${m[1]}, not this stack's account ${account}`;
    };
}

export const githubRepository: Check = (v) =>
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/.test(v) && !/\/\.\.?$/.test(v)
        ? undefined
        : "must be a GitHub repository as owner/name";

export const githubLogin: Check = (v) =>
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(v) ? undefined : `"${v}" is not a GitHub login`;

/** Feeds ECR (`<app>-<env>`), S3 (`<app>-<env>-assets`) and IAM names, so it must suit all three. */
export const appName: Check = (v) => {
    if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(v))
        return "must be lower-case letters, digits and hyphens, starting with a letter";
    if (v.includes("--")) return "must not contain '--'";
    if (v.length > 40) return "must be at most 40 characters (it prefixes S3 bucket and IAM user names)";
    return undefined;
};

export const hostname: Check = (v) => {
    if (v !== v.toLowerCase()) return "must be lower case";
    if (v.length > 253 || !v.includes(".")) return "must be a fully qualified host name such as dev.example.com";
    const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
    return v.split(".").every((l) => label.test(l))
        ? undefined
        : "must be a host name such as dev.example.com (no scheme, path or port)";
};

/** S3 bucket naming rules (general purpose buckets). */
export const bucketName: Check = (v) => {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v))
        return "must be 3-63 lower-case letters, digits, dots and hyphens";
    if (v.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(v)) return "must not contain '..' or look like an IP address";
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(v) || /(-s3alias|--ol-s3|--x-s3)$/.test(v))
        return "uses a prefix or suffix S3 reserves";
    return undefined;
};

export const iamUserName: Check = (v) =>
    /^[\w+=,.@-]{1,64}$/.test(v) ? undefined : "must be 1-64 characters of letters, digits and +=,.@_-";

/** Docker tag grammar. */
export const imageTag: Check = (v) => {
    if (/\s/.test(v)) return 'contains whitespace (Docker answers "invalid reference format")';
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(v) ? undefined : "is not a valid Docker tag";
};

/** An image manifest digest as ECR reports it. */
export const imageDigest: Check = (v) =>
    /^sha256:[a-f0-9]{64}$/.test(v) ? undefined : "is not an image digest (sha256: and 64 lower-case hex digits)";

const NAME_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN = "(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\\d+)?";
const IMAGE_REFERENCE = new RegExp(
    `^(?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

/** A full image reference; Docker rejects upper case in the repository and any whitespace. */
export const imageReference: Check = (v) => {
    if (/\s/.test(v)) return 'contains whitespace (Docker answers "invalid reference format")';
    const repository = v.split("@")[0].replace(/:[^/]*$/, "");
    if (repository !== repository.toLowerCase())
        return 'has upper case in the repository (Docker answers "invalid reference format")';
    return IMAGE_REFERENCE.test(v)
        ? undefined
        : "is not a valid image reference (registry/repository[:tag][@sha256:digest])";
};

export const healthPath: Check = (v) => (/^\/[^\s?#]*$/.test(v) ? undefined : "must be a path starting with '/'");

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The Dokploy API key travels with every request, so only HTTPS is accepted (loopback aside). */
export const dokployUrl: Check = (v) => {
    let url: URL;
    try {
        url = new URL(v);
    } catch {
        return "is not a URL such as https://dokploy.example.com";
    }
    if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
        return url.pathname === "/" && !url.search ? undefined : "must be the server's base URL, without a path";
    }
    return "must use https:// (the API key is sent with every request); put the Dokploy panel behind its own HTTPS domain";
};

/** An exact browser origin; a wildcard with PUT would let any site upload. */
export const corsOrigin: Check = (v) => {
    if (v.includes("*")) return `"${v}" is a wildcard; list exact origins`;
    let url: URL;
    try {
        url = new URL(v);
    } catch {
        return `"${v}" is not an origin such as https://app.example.com`;
    }
    if (url.origin !== v) return `"${v}" is not an origin (scheme://host[:port], no path or trailing slash)`;
    return url.protocol === "https:" || LOOPBACK.has(url.hostname) ? undefined : `"${v}" must use https://`;
};

export const sshHost: Check = (v) =>
    /^[A-Za-z0-9.:[\]-]+$/.test(v) && !v.includes("://") ? undefined : "must be a host name or IP address";

const HOST_KEY =
    /^(?:\S+\s+)?((?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com)\s+[A-Za-z0-9+/]+={0,3})(?:\s.*)?$/;

/** Accepts `ssh-keyscan` output or an authorized_keys line; returns the `type base64` part. */
export function normalizeHostKey(v: string): string | undefined {
    return HOST_KEY.exec(v.trim())?.[1].replace(/\s+/, " ");
}

export const sshHostKey: Check = (v) =>
    normalizeHostKey(v)
        ? undefined
        : 'must be a public host key such as "ssh-ed25519 AAAA..." (from ssh-keyscan -t ed25519 <host>)';

export const clerkPublishableKey: Check = (v) =>
    /^pk_(test|live)_\S+$/.test(v) ? undefined : "must start with pk_test_ or pk_live_";
export const clerkSecretKey: Check = (v) =>
    /^sk_(test|live)_\S+$/.test(v) ? undefined : "must start with sk_test_ or sk_live_";
export const databaseUrl: Check = (v) =>
    /^postgres(ql)?:\/\/\S+$/.test(v) ? undefined : "must be a postgresql:// URL";

/**
 * An exact OIDC subject of the app repository. Wildcards would let other branches, forks'
 * PRs or any environment assume the push role (SECURITY.md §2).
 */
export function oidcSubject(repository: string, prod: boolean): Check {
    const [owner, name] = repository.toLowerCase().split("/");
    return (v) => {
        if (/[*?]/.test(v)) return `"${v}" contains a wildcard; list exact subjects`;
        const m = /^repo:([^/@:]+)(?:@\d+)?\/([^/@:]+)(?:@\d+)?:(.+)$/.exec(v);
        if (!m || m[1].toLowerCase() !== owner || m[2].toLowerCase() !== name)
            return `"${v}" is not a subject of ${repository} (repo:${repository}:...)`;
        const rest = m[3];
        if (rest === "pull_request") return prod ? `"${v}" would let pull requests push prod images` : undefined;
        return /^(ref:refs\/(heads|tags)\/\S+|environment:\S+)$/.test(rest)
            ? undefined
            : `"${v}" must end in ref:refs/heads/<branch>, ref:refs/tags/<tag>, environment:<name> or pull_request`;
    };
}
