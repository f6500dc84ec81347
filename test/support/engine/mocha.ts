/** Mocha glue: a real-engine suite runs only where an engine is (or can be started), and says so otherwise. */
import { ensureEngine } from "./start";

/**
 * Call from a suite's `before` hook (`before(async function () { await requireEngine(this); })`).
 * Starts the engine if needed; without one, prints "real engine not available: <why>" and skips
 * the suite (mocha lists its tests as pending). With ENGINE_REQUIRED=1 (CI), fails instead, so a
 * missing engine can never pass as green.
 */
export async function requireEngine(ctx: Mocha.Context): Promise<void> {
    ctx.timeout(Math.max(ctx.timeout(), 330_000)); // a first bring-up may install packages
    const state = await ensureEngine();
    if (state.ok) return;
    const message = `real engine not available: ${state.reason}`;
    if (process.env.ENGINE_REQUIRED === "1") throw new Error(`${message} (ENGINE_REQUIRED=1)`);
    console.log(`    ${message} -> skipping "${ctx.test?.parent?.fullTitle() ?? "suite"}"`);
    ctx.skip();
}
