import { expect } from "chai";
import { ConfigError, ConfigProblem, fromEntries, fromStackYaml, validateStackConfig } from "../components/config";
import { allRegistrations, runProgram } from "./mocks";
import { secretKeysOf, stackEntries, StackName, stackYaml } from "./stacks";

function problemsOf(
    stack: StackName,
    overrides: Record<string, string>,
    options: { drop?: string[]; plain?: string[] } = {},
): readonly ConfigProblem[] {
    const entries = stackEntries(stack, overrides);
    for (const key of options.drop ?? []) delete entries[key];
    const secrets = secretKeysOf(entries).filter((k) => !(options.plain ?? []).includes(k));
    const result = validateStackConfig(fromEntries(stack, entries, secrets));
    return result.ok ? [] : result.problems;
}

/** One broken setting each; the problem must name that key, and the message must too. */
const BROKEN: {
    what: string;
    stack: StackName;
    key: string;
    overrides?: Record<string, string>;
    drop?: string[];
    plain?: string[];
}[] = [
    { what: "an 11-digit account id", stack: "dev", key: "accountId", overrides: { accountId: "12345678901" } },
    { what: "a made-up region", stack: "dev", key: "aws:region", overrides: { "aws:region": "mars-north-1" } },
    {
        what: "an app name with upper case and underscores",
        stack: "dev",
        key: "appName",
        overrides: { appName: "Next_Stack" },
    },
    {
        what: "an app repository without owner",
        stack: "dev",
        key: "appRepository",
        overrides: { appRepository: "nextstack-saas-starter" },
    },
    {
        what: "an infra repository with a path",
        stack: "qa",
        key: "infraRepository",
        overrides: { infraRepository: "a/b/c" },
    },
    {
        what: "a wildcard OIDC subject",
        stack: "dev",
        key: "oidcSubjects",
        overrides: { oidcSubjects: '["repo:your-username/nextstack-saas-starter:*"]' },
    },
    {
        what: "an OIDC subject of another repository",
        stack: "qa",
        key: "oidcSubjects",
        overrides: { oidcSubjects: '["repo:someone/else:environment:qa"]' },
    },
    {
        what: "prod trusting pull requests to push",
        stack: "prod",
        key: "oidcSubjects",
        overrides: { oidcSubjects: '["repo:your-username/nextstack-saas-starter:pull_request"]' },
    },
    {
        what: "a domain with a scheme",
        stack: "dev",
        key: "domain",
        overrides: { domain: "https://dev.nextstack-saas-starter.com" },
    },
    { what: "a port out of range", stack: "dev", key: "port", overrides: { port: "70000" } },
    { what: "an image tag with a space", stack: "qa", key: "imageTag", overrides: { imageTag: "v1 .2" } },
    {
        what: "a yes/no flag written as yes",
        stack: "dev",
        key: "createOidcProvider",
        overrides: { createOidcProvider: "yes" },
    },
    { what: "a wildcard CORS origin", stack: "dev", key: "corsOrigins", overrides: { corsOrigins: '["*"]' } },
    {
        what: "a plain-HTTP CORS origin",
        stack: "qa",
        key: "corsOrigins",
        overrides: { corsOrigins: '["http://qa.example.com"]' },
    },
    {
        what: "an unknown key slot",
        stack: "dev",
        key: "runtimeAccessKeys",
        overrides: { runtimeAccessKeys: '["red"]' },
    },
    {
        what: "an active key that does not exist",
        stack: "dev",
        key: "activeRuntimeKey",
        overrides: { activeRuntimeKey: "green" },
    },
    {
        what: "a Dokploy URL over plain HTTP",
        stack: "dev",
        key: "dokployUrl",
        overrides: { dokployUrl: "http://dokploy-dev.nextstack-saas-starter.com" },
    },
    { what: "an SSH host key that is not one", stack: "qa", key: "sshHostKey", overrides: { sshHostKey: "not a key" } },
    {
        what: "a secret key given as the publishable key",
        stack: "dev",
        key: "clerkPublishableKey",
        overrides: { clerkPublishableKey: "sk_test_abc" },
    },
    {
        what: "the Clerk secret key stored in plain text",
        stack: "dev",
        key: "clerkSecretKey",
        plain: ["clerkSecretKey"],
    },
    { what: "a MySQL database URL", stack: "prod", key: "databaseUrl", overrides: { databaseUrl: "mysql://u:p@h/db" } },
    { what: "a missing Dokploy API token", stack: "qa", key: "dokployApiToken", drop: ["dokployApiToken"] },
    { what: "force-delete in prod", stack: "prod", key: "ecrForceDelete", overrides: { ecrForceDelete: "true" } },
    {
        what: "seven prod reviewers",
        stack: "prod",
        key: "prodReviewers",
        overrides: { prodReviewers: JSON.stringify(["a", "b", "c", "d", "e", "f", "g"]) },
    },
    { what: "an invalid bucket name", stack: "dev", key: "bucketName", overrides: { bucketName: "Bad_Bucket" } },
    { what: "an invalid state bucket name", stack: "qa", key: "stateBucket", overrides: { stateBucket: "s3://state" } },
    { what: "a health path without a slash", stack: "dev", key: "healthPath", overrides: { healthPath: "api/health" } },
    {
        what: "an AWS profile with a space",
        stack: "qa",
        key: "aws:profile",
        overrides: { "aws:profile": "jesusidev QA" },
    },
    {
        what: "a role to assume in another account",
        stack: "prod",
        key: "assumeRoleArn",
        overrides: { assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" },
    },
    {
        what: "a role ARN that is a user ARN",
        stack: "dev",
        key: "assumeRoleArn",
        overrides: { assumeRoleArn: "arn:aws:iam::123456789012:user/deployer" },
    },
    { what: "a mistyped key", stack: "dev", key: "acountId", overrides: { acountId: "123456789012" } },
];

describe("stack config", () => {
    describe(`${BROKEN.length} broken configs, each rejected naming its key`, () => {
        for (const b of BROKEN) {
            it(`${b.stack}: ${b.what} → ${b.key}`, () => {
                const problems = problemsOf(b.stack, b.overrides ?? {}, { drop: b.drop, plain: b.plain });
                expect(
                    problems.map((p) => p.key),
                    "problem keys",
                ).to.include(b.key);
                const message = new ConfigError(problems).message;
                expect(message).to.include(`Stack "${b.stack}"`).and.include(`- ${b.key}:`);
                const problem = problems.find((p) => p.key === b.key);
                expect(problem?.fix, "fix command").to.match(new RegExp(`pulumi config (set|rm).* -s ${b.stack}`));
            });
        }
        it("covers at least 15 distinct keys", () => {
            expect(new Set(BROKEN.map((b) => b.key)).size).to.be.at.least(15);
        });
        it("a mistyped key suggests the right one", () => {
            const p = problemsOf("dev", { acountId: "1" }).find((x) => x.key === "acountId");
            expect(p?.message).to.include("did you mean accountId?");
        });
        it("a profile and a role of the stack's own account reach StackConfig.aws", () => {
            const entries = stackEntries("qa", {
                "aws:profile": "jesusidev-QA",
                assumeRoleArn: "arn:aws:iam::222222222222:role/nextstack-deployer",
            });
            const r = validateStackConfig(fromEntries("qa", entries, secretKeysOf(entries)));
            expect(r.ok && r.config.aws).to.deep.equal({
                accountId: "222222222222",
                region: "us-west-2",
                profile: "jesusidev-QA",
                assumeRoleArn: "arn:aws:iam::222222222222:role/nextstack-deployer",
            });
        });
        it("without a profile or role, StackConfig.aws has neither", () => {
            const entries = stackEntries("dev");
            const r = validateStackConfig(fromEntries("dev", entries, secretKeysOf(entries)));
            expect(r.ok && r.config.aws).to.deep.equal({ accountId: "123456789012", region: "us-west-2" });
        });
        it("a stack outside dev/qa/prod is refused", () => {
            const r = validateStackConfig(fromEntries("staging", stackEntries("dev")));
            expect(r.ok).to.equal(false);
            expect(r.problems[0].key).to.equal("(stack name)");
        });
    });

    describe("the committed stack files", () => {
        it("dev is complete and valid", () => {
            const result = validateStackConfig(fromStackYaml("dev", stackYaml("dev")));
            expect(result.problems).to.deep.equal([]);
            expect(result.ok).to.equal(true);
        });
        for (const stack of ["qa", "prod"] as const) {
            it(`${stack} reports exactly its not-yet-known values as missing, each with its fix command`, () => {
                const result = validateStackConfig(fromStackYaml(stack, stackYaml(stack)));
                expect(result.ok).to.equal(false);
                expect(result.problems.map((p) => p.kind)).to.satisfy((kinds: string[]) =>
                    kinds.every((k) => k === "missing"),
                );
                expect(result.problems.map((p) => p.key)).to.have.members([
                    "accountId",
                    "dokployUrl",
                    "dokployHost",
                    "sshHostKey",
                    "clerkPublishableKey",
                    "dokployApiToken",
                    "sshPrivateKey",
                    "clerkSecretKey",
                    "databaseUrl",
                ]);
                const token = result.problems.find((p) => p.key === "dokployApiToken");
                expect(token?.fix).to.match(new RegExp(`^pulumi config set --secret dokployApiToken .* -s ${stack}$`));
            });
            it(`${stack} is valid once the missing values are set`, () => {
                const entries = stackEntries(stack);
                expect(validateStackConfig(fromEntries(stack, entries, secretKeysOf(entries))).problems).to.deep.equal(
                    [],
                );
            });
        }
    });

    describe("the program with an invalid config", () => {
        it("rejects with ConfigError naming the stack and every key, and registers no resource", async () => {
            const entries = stackEntries("qa", { accountId: "12", corsOrigins: '["*"]' });
            let error: unknown;
            try {
                await runProgram("qa", entries, secretKeysOf(entries));
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(ConfigError);
            const message = (error as Error).message;
            expect(message)
                .to.include('Stack "qa"')
                .and.include("- accountId:")
                .and.include("- corsOrigins:")
                .and.include("nothing was created");
            expect(allRegistrations()).to.deep.equal([]);
        });
        it("the committed qa file as it stands is refused before anything is registered", async () => {
            const raw = fromStackYaml("qa", stackYaml("qa"));
            const entries = Object.fromEntries([...raw.values].map(([k, v]) => [k, v.value]));
            const error = await runProgram("qa", entries).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as ConfigError).problems.map((p) => p.key)).to.include("accountId");
            expect(allRegistrations()).to.deep.equal([]);
        });
    });
});
