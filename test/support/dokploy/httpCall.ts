// A small node:http client for the specs that test the fake Dokploy server itself
// (test/dokployServer.spec.ts, test/dokployServerRollout.spec.ts). It is not fetch on purpose:
// on this 2-core machine Node's fetch (undici) costs ~1.2 ms more CPU per request than
// http.request with the default keep-alive agent (loopback: fetch ~1.5 ms, http ~0.33 ms per
// request, server side included), and those two specs make ~460 requests per run. They check the
// fake's answers, not a client, so the transport is free to choose. The product's Dokploy client
// (components/dokploy/http.ts) keeps using fetch, and the client and provider specs go through it.
//
// What it copies from fetch, as far as those specs look: the status, the response text decoded as
// UTF-8 like Response.text() (TextDecoder, BOM dropped), response headers by lower-case name, a
// string body sent with its Content-Length, and only the headers given (fetch would add
// `content-type: text/plain;charset=UTF-8` to a string body without one; here a body without a
// content-type header goes without Content-Type, as fetch sends a type-less Blob). A dropped
// socket, a refused connection or the timeout rejects with an Error, as fetch rejects.
import { request } from "node:http";

export interface HttpReply {
    status: number;
    /** Response headers, names in lower case (node:http's IncomingHttpHeaders). */
    headers: Record<string, string | string[] | undefined>;
    text: string;
}

export interface HttpCallInit {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    /** The whole exchange's deadline (connect to last byte); the request is destroyed after it. */
    timeoutMs?: number;
}

/** Default deadline: far above any answer the fake gives (its deploys finish in ms), below mocha's 20 s. */
const DEFAULT_TIMEOUT_MS = 10_000;

export function httpCall(url: string, init: HttpCallInit = {}): Promise<HttpReply> {
    const timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
    return new Promise<HttpReply>((resolve, reject) => {
        const req = request(url, { method: init.method ?? "GET", headers });
        const timer = setTimeout(() => {
            req.destroy(new Error(`${init.method ?? "GET"} ${url}: no complete answer within ${timeoutMs} ms`));
        }, timeoutMs);
        const fail = (error: Error): void => {
            clearTimeout(timer);
            reject(error);
        };
        req.on("error", fail);
        req.on("response", (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("error", fail);
            // a socket destroyed mid-body: `aborted` then `close` without `end`
            res.on("close", () => {
                if (!res.complete) fail(new Error(`${init.method ?? "GET"} ${url}: response cut off`));
            });
            res.on("end", () => {
                clearTimeout(timer);
                resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    text: new TextDecoder().decode(Buffer.concat(chunks)),
                });
            });
        });
        req.end(init.body);
    });
}
