/**
 * `npm run bench`: prints speed and resource figures for each layer. Figures are printed,
 * never asserted: timing belongs here, not in tests.
 */
import { runProgramBench } from "./program";
import { runDokployBench } from "./dokploy";
import { runPromoteBench } from "./promote";
import { runRolloutBench } from "./rollout";
import { runTestFilesBench } from "./testFiles";
import { runTestSuiteBench } from "./testSuite";

async function main(): Promise<void> {
    const sections: [string, () => Promise<void>][] = [
        ["Program under mocks", runProgramBench],
        ["Dokploy provider against the local Dokploy server", runDokployBench],
        ["Promotion", runPromoteBench],
        ["Rollout on a real Swarm (provider + engine-backed fake Dokploy)", runRolloutBench],
        ["Test suite (npm test, once)", runTestSuiteBench],
        ["Test suite, file by file (where the CPU goes)", runTestFilesBench],
    ];
    for (const [title, run] of sections) {
        console.log(`\n== ${title}`);
        await run();
    }
    const mem = process.memoryUsage();
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(
        `\n== Process: peak RSS ${peakRssMiB.toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, node ${process.version}`,
    );
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
