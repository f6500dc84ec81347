/**
 * Reads the running program's config from the Pulumi runtime, with which keys are secret.
 * Kept apart from the pure validation so that `--plan` never loads the Pulumi SDK's runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { fromEntries, RawStackConfig } from "./rawConfig";

interface RuntimeConfigInternals {
    /** Not in the SDK's typings, but exported by runtime/config.js since 3.x: whether a key was set with --secret. */
    isConfigSecret(key: string): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const internals = require("@pulumi/pulumi/runtime/config") as RuntimeConfigInternals;

export function fromPulumiRuntime(): RawStackConfig {
    const all = pulumi.runtime.allConfig();
    const secretKeys = Object.keys(all).filter((k) => internals.isConfigSecret(k));
    return fromEntries(pulumi.getStack(), all, secretKeys);
}
