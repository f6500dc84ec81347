/** Entry point of `npm run promote` (see automation/cli.ts and README "Promotion"). */
import { runPromote } from "./cli";

runPromote(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
