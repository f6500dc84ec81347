/**
 * Loads every spec that runs the program under Pulumi mocks (test/support/specBundles.ts says why
 * they share one file). Each can still be run alone: `npx mocha --config … test/<name>.spec.ts`.
 */
import * as path from "node:path";
import { PROGRAM_UNDER_MOCKS_SPECS } from "./support/specBundles";

for (const name of PROGRAM_UNDER_MOCKS_SPECS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(__dirname, `${name}.spec.ts`));
}
