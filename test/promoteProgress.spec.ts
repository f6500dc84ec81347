/**
 * Progress output: on a TTY the running step is redrawn in place and ends in one line with its
 * elapsed time; elsewhere each step is plain start and end lines; a failed result is marked ✖.
 */
import { expect } from "chai";
import { LiveProgress, PlainProgress } from "../automation/progress";

/**
 * Runs `start` with setInterval captured: LiveProgress (automation/progress.ts) arms one
 * setInterval per step, synchronously when the step starts, and clears it when the step ends.
 * The test fires that interval's ticks itself instead of waiting 100 ms for each.
 */
function capturingInterval<T>(start: () => T): { result: T; tick: () => void; delayMs?: number } {
    const real = globalThis.setInterval;
    let captured: { run: () => void; ms?: number } | undefined;
    globalThis.setInterval = ((run: () => void, ms?: number) => {
        captured = { run, ms };
        // A Timeout that never fires on its own: the test ticks `run`; clearInterval accepts it.
        return real(() => undefined, 2 ** 31 - 1).unref();
    }) as typeof setInterval;
    try {
        const result = start();
        if (!captured) throw new Error("no interval was set");
        const c = captured;
        return { result, tick: () => c.run(), delayMs: c.ms };
    } finally {
        globalThis.setInterval = real;
    }
}

describe("promotion progress", () => {
    it("plain: a start line and an outcome line with elapsed time per step", async () => {
        const lines: string[] = [];
        const p = new PlainProgress((l) => lines.push(l));
        await p.step(
            "dev: preview",
            async () => 3,
            (n) => `${n} to update`,
        );
        await p.step(
            "dev: verify",
            async () => false,
            () => ({ failed: true, text: "failed" }),
        );
        await p
            .step("dev: update", async () => {
                throw new Error("boom");
            })
            .catch(() => undefined);
        expect(lines[0]).to.equal("… dev: preview");
        expect(lines[1]).to.match(/^✔ dev: preview: 3 to update \(\d+ ms\)$/);
        expect(lines[3]).to.match(/^✖ dev: verify: failed \(\d+ ms\)$/);
        expect(lines[5]).to.match(/^✖ dev: update \(\d+ ms\)$/);
    });

    it("live: redraws the running step in place, then prints its final line", async () => {
        let out = "";
        const stream = {
            write: (s: string) => {
                out += s;
                return true;
            },
        } as unknown as NodeJS.WriteStream;
        const p = new LiveProgress(stream);
        let release: () => void = () => undefined;
        const {
            result: running,
            tick,
            delayMs,
        } = capturingInterval(() =>
            p.step(
                "qa: update to v1",
                () =>
                    new Promise<void>((r) => {
                        release = r;
                    }),
            ),
        );
        expect(delayMs).to.equal(100);
        tick();
        tick();
        expect(out.split("\r\x1b[2K")).to.have.length(4); // the first draw and two redraws
        // Each redraw replaces the line with the spinner's next frame.
        expect(out).to.match(/^\r\x1b\[2K⠙ qa: update to v1 \d+ ms\r\x1b\[2K⠹ qa: update to v1 \d+ ms\r\x1b\[2K⠸ /);
        p.info("a message while the step runs");
        release();
        await running;
        expect(out).to.include("\r\x1b[2Ka message while the step runs\n");
        expect(out).to.match(/\r\x1b\[2K✔ qa: update to v1 \(\d+ ms\)\n$/);
        // Once the step has ended, a late tick draws nothing.
        const ended = out;
        tick();
        expect(out).to.equal(ended);
    });
});
