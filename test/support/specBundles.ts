/**
 * Spec files that run the Pulumi program or its components under test/mocks.ts. Each mocha worker
 * that runs one of them first pays a warm-up of ~3.5 s of CPU on these 2 cores: loading
 * @pulumi/aws, @pulumi/github and @pulumi/command, and serializing the Dokploy dynamic provider
 * (pulumi's closure serializer, once per process). Mocha's parallel mode hands whole files to
 * workers, so these are loaded through one file, test/programUnderMocks.bundle.ts, and run in one
 * worker. .mocharc.json lists the bundle and leaves these out of its other globs;
 * test/engineSuite.spec.ts checks that every spec still runs exactly once.
 */
export const PROGRAM_UNDER_MOCKS_SPECS = [
    "assetsBucket",
    "awsProvider",
    "ciSecrets",
    "config",
    "dokployHost",
    "environment",
    "freshAccount",
    "githubOidc",
    "naiveMocks",
    "registry",
    "runtimeAccess",
] as const;
