/**
 * Progress output: on a TTY the running step is redrawn in place and ends in one line with its
 * elapsed time; elsewhere each step is plain start and end lines; a failed result is marked ✖.
 */
import { expect } from "chai";
import { LiveProgress, PlainProgress } from "../automation/progress";
import { until } from "./support/loopback";

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
        const running = p.step(
            "qa: update to v1",
            () =>
                new Promise<void>((r) => {
                    release = r;
                }),
        );
        await until(() => out.split("\r\x1b[2K").length > 3, "a few redraws");
        p.info("a message while the step runs");
        release();
        await running;
        expect(out).to.match(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] qa: update to v1 \d+ ms/);
        expect(out).to.include("\r\x1b[2Ka message while the step runs\n");
        expect(out).to.match(/\r\x1b\[2K✔ qa: update to v1 \(\d+ ms\)\n$/);
    });
});
