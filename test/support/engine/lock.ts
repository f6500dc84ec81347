/**
 * A lock shared by every test process on this machine (several suites may build images at once):
 * a directory created atomically in ENGINE_DIR, with the holder's pid so a crashed holder's lock
 * is taken over instead of waited on forever.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENGINE_DIR } from "./env";
import { waitFor } from "./wait";

export async function withEngineLock<T>(name: string, deadlineMs: number, body: () => Promise<T>): Promise<T> {
    const dir = join(ENGINE_DIR, `${name}.lock`);
    mkdirSync(ENGINE_DIR, { recursive: true });
    await waitFor(() => tryTake(dir), { deadlineMs, what: `lock ${dir}`, intervalMs: 250 });
    try {
        return await body();
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function tryTake(dir: string): boolean {
    try {
        mkdirSync(dir);
        writeFileSync(join(dir, "pid"), String(process.pid));
        return true;
    } catch {
        if (!holderAlive(dir)) rmSync(dir, { recursive: true, force: true });
        return false;
    }
}

function holderAlive(dir: string): boolean {
    let pid: number;
    try {
        pid = Number(readFileSync(join(dir, "pid"), "utf8"));
    } catch {
        return true; // just created, pid not written yet
    }
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}
