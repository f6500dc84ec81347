/**
 * Which image the Dokploy application runs, and whether to deploy it now. In a fresh account
 * the repository is created empty by this very update, and the app's CI can only push once this
 * stack has made its push role: deploying `<repository>:<tag>` then would fail the first `up`.
 * So, once the repository exists, the configured tag (or the digest promotion pinned) is looked
 * up in it: found → deploy `<repository>:<tag>@<digest>`, exactly what the tag names now; not there →
 * configure the application without deploying it, and say what to do next.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentName } from "./config";

export interface ImageChoiceArgs {
    readonly environment: EnvironmentName;
    /** The repository's name, available once the repository exists (knownAfter it). */
    readonly repositoryName: pulumi.Input<string>;
    /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, derived from config. */
    readonly repositoryUrl: string;
    readonly tag: string;
    /** The digest promotion resolved and pinned (`imageDigest`); preferred over the tag. */
    readonly digest?: string;
    /** A full image reference from config (`image`): used as given, never looked up. */
    readonly override?: string;
}

/**
 * `<repository>:<tag>@<digest>`: Docker pulls by the digest and ignores the tag, which stays for
 * people (Dokploy's UI, `docker service ls`); the form Swarm itself pins a resolved image to.
 */
export function pinnedReference(repositoryUrl: string, tag: string, digest: string): string {
    return `${repositoryUrl}:${tag}@${digest}`;
}

export type ImageLookup =
    | { readonly kind: "found"; readonly digest: string; readonly tags: readonly string[] }
    | { readonly kind: "absent" }
    | { readonly kind: "unknown"; readonly reason: string };

export interface ImageChoice {
    /** The reference the application is configured with. */
    readonly image: pulumi.Output<string>;
    /** The digest deployed, "" when the image is not in the registry (or `image` overrides). */
    readonly digest: pulumi.Output<string>;
    readonly deploy: pulumi.Output<boolean>;
    /** What the user should do next, "none" when the app runs what was asked for. */
    readonly nextStep: pulumi.Output<string>;
}

/**
 * How the provider reports a missing image or repository: the data source's DescribeImages gets
 * ImageNotFoundException / RepositoryNotFoundException (terraform-provider-aws
 * internal/service/ecr/image_data_source.go), surfaced as a failed invoke.
 */
export function isNotFound(message: string): boolean {
    return /ImageNotFoundException|RepositoryNotFoundException|couldn't find resource|returned no results|empty result/i.test(
        message,
    );
}

/** The lookup's answer as data: a failed invoke must not fail the update nor leave an output pending. */
export async function lookUpImage(
    query: { repositoryName: string; imageTag?: string; imageDigest?: string },
    opts: pulumi.InvokeOptions,
): Promise<ImageLookup> {
    try {
        const r = await aws.ecr.getImage(query, opts);
        const digest: unknown = r?.imageDigest;
        const tags = Array.isArray(r?.imageTags) ? r.imageTags.filter((t): t is string => typeof t === "string") : [];
        return typeof digest === "string" && /^sha256:[0-9a-f]{64}$/.test(digest)
            ? { kind: "found", digest, tags }
            : { kind: "absent" };
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (isNotFound(message)) return { kind: "absent" };
        // An invoke error may carry no message at all (Pulumi's mocks give ""): say so, never print "failed: ".
        const reason = message
            .split("\n")
            .find((l) => l.trim() !== "")
            ?.trim();
        return { kind: "unknown", reason: reason ?? "the engine gave no reason" };
    }
}

export function nextStepFor(a: ImageChoiceArgs, lookup: ImageLookup): string {
    const env = a.environment;
    const wanted = a.digest ? pinnedReference(a.repositoryUrl, a.tag, a.digest) : `${a.repositoryUrl}:${a.tag}`;
    const waiting = "Until then the Dokploy application is configured but not deployed.";
    // A pin that no longer carries its tag: `latest` moved since promotion, or imageTag was set by hand.
    if (lookup.kind === "found" && a.digest && !lookup.tags.includes(a.tag))
        return `The image promotion pinned (imageDigest ${a.digest}) is not what ${a.tag} names in the registry now; the pinned image stays deployed. To deploy ${a.tag} as it is now: npm run promote -- --only ${env} --image-tag ${a.tag}`;
    if (lookup.kind === "found") return "none";
    if (lookup.kind === "unknown")
        return `Could not check whether ${wanted} is in the registry (${lookup.reason}), so nothing was deployed. Fix the AWS access, then run: pulumi up -s ${env}`;
    if (a.digest)
        return `The pinned image ${wanted} is no longer in the registry (expired or deleted). Push ${a.tag} again with the app's workflow, then run: npm run promote -- --only ${env} --image-tag ${a.tag}. ${waiting}`;
    return `Push the first image: run the app's workflow for ${env} (it builds the image and pushes it to ${a.repositoryUrl} with the role in AWS_OIDC_ROLE_ARN_${env.toUpperCase()}), then run: npm run promote -- --to ${env}. ${waiting}`;
}

export function chooseImage(a: ImageChoiceArgs, opts: pulumi.InvokeOptions): ImageChoice {
    if (a.override) {
        return {
            image: pulumi.output(a.override),
            digest: pulumi.output(""),
            deploy: pulumi.output(true),
            nextStep: pulumi.output("none"),
        };
    }
    const query = a.digest ? { imageDigest: a.digest } : { imageTag: a.tag };
    // Inside an apply on the name: the invoke runs once the repository exists (after its create on `up`).
    const lookup = pulumi.output(a.repositoryName).apply((repositoryName) => {
        const found = lookUpImage({ repositoryName, ...query }, opts);
        return found.then((l) => {
            if (l.kind === "unknown") void pulumi.log.warn(`image lookup failed: ${l.reason}`);
            return l;
        });
    });
    return {
        image: lookup.apply((l) =>
            l.kind === "found"
                ? pinnedReference(a.repositoryUrl, a.tag, l.digest)
                : a.digest
                  ? pinnedReference(a.repositoryUrl, a.tag, a.digest)
                  : `${a.repositoryUrl}:${a.tag}`,
        ),
        digest: lookup.apply((l) => (l.kind === "found" ? l.digest : "")),
        deploy: lookup.apply((l) => l.kind === "found"),
        nextStep: lookup.apply((l) => nextStepFor(a, l)),
    };
}
