/** Entry point of `npm run status` (see automation/statusReport.ts). */
import { runStatus } from "./cli";

runStatus(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
