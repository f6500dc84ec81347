/**
 * Program bench: how long the Pulumi program takes to build under mocks (config validation,
 * every component, every registration reaching the mock monitor), for one stack and for 30
 * environments in one process, and how many resources each stack registers.
 * Run alone with `npx tsx bench/program.ts`; `npm run bench` calls runProgramBench.
 */
import { performance } from "node:perf_hooks";

const RUNS = 25;
const SYNTHETIC = 30;

function stats(samples: readonly number[]): string {
    const s = [...samples].sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
    const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    return `median ${median.toFixed(1)} ms, min ${s[0].toFixed(1)}, p90 ${at(0.9).toFixed(1)}, max ${s[s.length - 1].toFixed(1)} (n=${s.length})`;
}

export async function runProgramBench(): Promise<void> {
    // Loaded here, not at the top: importing the mocks installs them process-wide.
    const mocks = await import("../test/mocks.js");
    const stacks = await import("../test/stacks.js");
    const { Environment } = await import("../components/environment.js");
    const pulumi = await import("@pulumi/pulumi");

    const run = (stack: "dev" | "qa" | "prod") => {
        const entries = stacks.stackEntries(stack);
        return mocks.runProgram(stack, entries, stacks.secretKeysOf(entries));
    };

    // The first run pays for module loading and serializing the Dokploy provider's code.
    let t = performance.now();
    await run("dev");
    console.log(`index.ts, first run (cold): ${(performance.now() - t).toFixed(1)} ms`);

    const single: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        t = performance.now();
        await run("dev");
        single.push(performance.now() - t);
    }
    console.log(`index.ts, dev stack, warm: ${stats(single)}`);

    const configs = Array.from({ length: SYNTHETIC }, (_, i) =>
        stacks.stackConfig(i % 3 === 2 ? "prod" : i % 3 === 1 ? "qa" : "dev", {
            appName: `bench-app-${i}`,
            accountId: String(100000000000 + i),
            domain: `env${i}.bench.example.com`,
        }),
    );
    const many: number[] = [];
    let registered = 0;
    for (let round = 0; round < 5; round++) {
        mocks.resetRegistrations();
        await mocks.useStack("bench");
        t = performance.now();
        const envs = configs.map((config, i) => new Environment(`syn${round}-${i}`, { config }));
        await Promise.all(envs.map((e) => mocks.resolve(pulumi.all([e.healthUrl, e.image, e.accountId]))));
        await mocks.settle();
        many.push(performance.now() - t);
        registered = mocks.allRegistrations().length;
    }
    const perEnvironment = [...many].sort((a, b) => a - b)[Math.floor(many.length / 2)] / SYNTHETIC;
    console.log(
        `${SYNTHETIC} environments in one process (5 rounds): ${stats(many)}; ` +
            `${registered} registrations per round, ${perEnvironment.toFixed(1)} ms per environment`,
    );

    for (const stack of ["dev", "qa", "prod"] as const) {
        const { registrations } = await run(stack);
        const custom = registrations.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).length;
        const providers = registrations.filter((r) => r.type.startsWith("pulumi:providers:")).length;
        const components = registrations.filter((r) => !r.custom).length;
        console.log(
            `${stack}: ${registrations.length} registrations = ${custom} resources + ${providers} providers + ${components} components`,
        );
    }
}

if (require.main === module) {
    runProgramBench().catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
    });
}
