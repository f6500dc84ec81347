/**
 * Loaded in every mocha worker (.mocharc.json "require"). @pulumi/pulumi 3.276.0 formats a stack
 * trace for every promise it tracks (runtime/debuggable.js debuggablePromise: `new Error().stack`),
 * kept only for the leak report it prints at exit. Under tsx every trace is mapped through source
 * maps, which made this ~7 s of the fast suite's ~60 s of CPU. Here the trace is captured with a
 * stack depth of 0: the tracking itself (leak candidates, the `promise` on errors, the context
 * string the report names) is the SDK's own code, unchanged.
 */
type Track = <T>(p: Promise<T>, ctx: string) => Promise<T>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: Track };
const track = debuggable.debuggablePromise;

debuggable.debuggablePromise = function <T>(p: Promise<T>, ctx: string): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return track(p, ctx);
    } finally {
        Error.stackTraceLimit = limit;
    }
};
