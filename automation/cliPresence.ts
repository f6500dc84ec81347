/**
 * Whether the Pulumi CLI the Automation API would run exists, found the way the SDK finds it
 * (@pulumi/pulumi 3.276.0 automation/cmd.js `PulumiCommand.get`): `<root>/bin/pulumi` when a
 * root is given, else `pulumi` looked up on PATH by the spawn. Checking first lets `npm run
 * promote` and `npm run status` say "Pulumi CLI not found" without loading the SDK (~1.5 s).
 */
import { accessSync, constants, statSync } from "node:fs";
import * as path from "node:path";
import { CliMissingError } from "./errors";
import { everyCallFails, PromotionEngine } from "./engine";

function isExecutableFile(file: string): boolean {
    try {
        accessSync(file, constants.X_OK);
        return statSync(file).isFile();
    } catch {
        return false;
    }
}

/** The CLI's path, or undefined when there is none (as the spawn would fail with ENOENT). */
export function findPulumiCli(root: string | undefined, searchPath = process.env.PATH ?? ""): string | undefined {
    if (root) {
        const file = path.resolve(path.join(root, "bin/pulumi"));
        return isExecutableFile(file) ? file : undefined;
    }
    for (const dir of searchPath.split(path.delimiter)) {
        // An empty PATH entry means the working directory, as for execvp.
        const file = path.resolve(dir || ".", "pulumi");
        if (isExecutableFile(file)) return file;
    }
    return undefined;
}

/** An engine whose every call fails as the LocalEngine's first call would without a CLI. */
export function missingCliEngine(detail: string): PromotionEngine {
    return everyCallFails(async () => {
        throw new CliMissingError(detail);
    });
}
