/**
 * One line per step with its elapsed time. On a TTY the running step's line is redrawn in place
 * (spinner and clock); elsewhere (CI logs, pipes, tests) each step prints a start and an end line.
 * Small on purpose: listr2's renderers assume they own the terminal, which fights the gate prompt
 * and --verbose engine output.
 */

/** What a finished step says after its label; `failed` marks a step that returned a failure. */
export type StepDetail = string | { readonly text?: string; readonly failed?: boolean } | undefined;

function detailOf(d: StepDetail): { text?: string; failed: boolean } {
    return typeof d === "object" ? { text: d.text, failed: d.failed === true } : { text: d, failed: false };
}

export interface Progress {
    /** Runs one step, showing it live, and prints its outcome with the elapsed time. */
    step<T>(label: string, run: () => Promise<T>, detail?: (result: T) => StepDetail): Promise<T>;
    /** A line of its own (messages, tables). */
    info(text: string): void;
    /** Engine output (--verbose), passed through as it arrives. */
    output(text: string): void;
}

export function elapsed(ms: number): string {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class PlainProgress implements Progress {
    constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

    async step<T>(label: string, run: () => Promise<T>, detail?: (result: T) => StepDetail): Promise<T> {
        this.write(`… ${label}`);
        const started = performance.now();
        try {
            const result = await run();
            const d = detailOf(detail?.(result));
            this.write(
                `${d.failed ? "✖" : "✔"} ${label}${d.text ? `: ${d.text}` : ""} (${elapsed(performance.now() - started)})`,
            );
            return result;
        } catch (err) {
            this.write(`✖ ${label} (${elapsed(performance.now() - started)})`);
            throw err;
        }
    }

    info(text: string): void {
        this.write(text);
    }

    output(text: string): void {
        for (const line of text.replace(/\n$/, "").split("\n")) this.write(`    ${line}`);
    }
}

export class LiveProgress implements Progress {
    private live?: { label: string; started: number; frame: number };
    private timer?: NodeJS.Timeout;

    constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {}

    private draw(): void {
        if (!this.live) return;
        const l = this.live;
        l.frame = (l.frame + 1) % FRAMES.length;
        this.stream.write(`\r\x1b[2K${FRAMES[l.frame]} ${l.label} ${elapsed(performance.now() - l.started)}`);
    }

    private clear(): void {
        if (this.live) this.stream.write("\r\x1b[2K");
    }

    async step<T>(label: string, run: () => Promise<T>, detail?: (result: T) => StepDetail): Promise<T> {
        this.live = { label, started: performance.now(), frame: 0 };
        this.draw();
        this.timer = setInterval(() => this.draw(), 100);
        const finish = (mark: string, d?: string) => {
            clearInterval(this.timer);
            const started = this.live?.started ?? performance.now();
            this.clear();
            this.live = undefined;
            this.stream.write(`${mark} ${label}${d ? `: ${d}` : ""} (${elapsed(performance.now() - started)})\n`);
        };
        try {
            const result = await run();
            const d = detailOf(detail?.(result));
            finish(d.failed ? "✖" : "✔", d.text);
            return result;
        } catch (err) {
            finish("✖");
            throw err;
        }
    }

    info(text: string): void {
        this.clear();
        this.stream.write(`${text}\n`);
        this.draw();
    }

    output(text: string): void {
        this.info(
            text
                .replace(/\n$/, "")
                .split("\n")
                .map((l) => `    ${l}`)
                .join("\n"),
        );
    }
}
