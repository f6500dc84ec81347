import { expect } from "chai";
import { forgetConfiguredToken, rememberConfiguredToken, resolveToken } from "../components/dokploy/token";

/** A config that answers only the given full keys, as the engine's dynamic-provider Config does. */
function configWith(project: string, entries: Record<string, string>) {
    return { get: (key: string) => entries[key.includes(":") ? key : `${project}:${key}`] };
}

describe("Dokploy API token lookup", () => {
    const saved = { ...process.env };
    beforeEach(() => {
        forgetConfiguredToken();
        for (const name of ["DOKPLOY_API_TOKEN", "DOKPLOY_API_KEY", "DOKPLOY_TOKEN"]) delete process.env[name];
    });
    after(() => {
        forgetConfiguredToken();
        process.env = saved;
    });

    it("reads this project's stack config key", () => {
        rememberConfiguredToken(configWith("nextstack", { "nextstack:dokployApiToken": "from-config" }));
        expect(resolveToken()).to.equal("from-config");
    });

    it("reads the bare key under another project name (a harness or a renamed project)", () => {
        rememberConfiguredToken(configWith("harness", { "harness:dokployApiToken": "from-harness" }));
        expect(resolveToken()).to.equal("from-harness");
    });

    it("prefers config over the environment, and falls back to DOKPLOY_API_TOKEN, DOKPLOY_API_KEY, DOKPLOY_TOKEN", () => {
        process.env.DOKPLOY_TOKEN = "env-3";
        expect(resolveToken()).to.equal("env-3");
        process.env.DOKPLOY_API_KEY = "env-2";
        expect(resolveToken()).to.equal("env-2");
        process.env.DOKPLOY_API_TOKEN = "env-1";
        expect(resolveToken()).to.equal("env-1");
        rememberConfiguredToken(configWith("nextstack", { "dokploy:apiToken": "config-alias" }));
        expect(resolveToken()).to.equal("config-alias");
    });

    it("without any token, says which key to set and how, and that rate limiting must be off", () => {
        rememberConfiguredToken(configWith("nextstack", {}));
        expect(() => resolveToken()).to.throw(
            /nextstack:dokployApiToken.*pulumi config set --secret dokployApiToken.*rate limiting off/s,
        );
    });
});
