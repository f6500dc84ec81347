/**
 * Loaded where specs run (test/support/mochaSetup.mjs). Two stack traces @pulumi/pulumi 3.276.0
 * takes that no test reads, and that tsx's source maps make costly (every frame is mapped):
 *
 * - debuggablePromise (runtime/debuggable.js) formats a trace for every promise it tracks, kept
 *   only for the leak report it prints at exit: ~7 s of the suite's ~60 s of CPU when measured.
 *   Here it is captured with a stack depth of 0; the tracking itself (leak candidates, the
 *   `promise` on errors, the context string the report names) is the SDK's own code, unchanged.
 * - Resource.callsites (resource.js) takes a full-depth trace for every resource registered, to
 *   send the monitor a source position that the mocks never read: ~1 s of the program specs'
 *   CPU. Here the SDK's own code runs with source maps off, so positions are the transpiled
 *   file's lines instead of the .ts lines.
 */
type Track = <T>(p: Promise<T>, ctx: string) => Promise<T>;
type Callsites = () => unknown[];

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

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites: Callsites } };
const callsites = Resource.callsites;

Resource.callsites = function (): unknown[] {
    const mapped = process.sourceMapsEnabled;
    if (mapped) process.setSourceMapsEnabled(false);
    try {
        return callsites.call(this);
    } finally {
        if (mapped) process.setSourceMapsEnabled(true);
    }
};
