/**
 * Real HTTP servers on 127.0.0.1 with a free port, started and stopped by the test, and a
 * deadline-bounded wait for conditions (tests wait for what they need, never for a guessed time).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";

export interface Loopback {
    readonly url: string;
    readonly server: Server;
    close(): Promise<void>;
}

export async function startLoopback(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        server,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** Resolves once `condition()` holds; rejects with `what` if it does not within `deadlineMs`. */
export async function until(condition: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
    const deadline = performance.now() + deadlineMs;
    while (!condition()) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 2));
    }
}
