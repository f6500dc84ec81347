import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
    ConfigError,
    ConfigProblem,
    formatProblems,
    fromEntries,
    fromStackYaml,
    validateStackConfig,
} from "../components/config";
import { appEnvironment } from "../components/environment";
import { allRegistrations, runProgram } from "./mocks";
import { secretKeysOf, stackConfig, stackEntries, StackName, stackYaml } from "./stacks";

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
    // Whitespace: rejected, never trimmed.
    {
        what: "an account id with a trailing space",
        stack: "dev",
        key: "accountId",
        overrides: { accountId: "123456789012 " },
    },
    { what: "an image tag with a trailing space", stack: "qa", key: "imageTag", overrides: { imageTag: "v1.0.0 " } },
    { what: "a domain with a leading tab", stack: "dev", key: "domain", overrides: { domain: "\tdev.example.com" } },
    {
        what: "a Dokploy URL with a trailing newline",
        stack: "qa",
        key: "dokployUrl",
        overrides: { dokployUrl: "https://dokploy-qa.example.com\n" },
    },
    {
        what: "a Clerk secret key with a trailing newline",
        stack: "dev",
        key: "clerkSecretKey",
        overrides: { clerkSecretKey: "sk_test_abc\n" },
    },
    {
        what: "a database URL with a leading space",
        stack: "prod",
        key: "databaseUrl",
        overrides: { databaseUrl: " postgresql://u:p@h/db" },
    },
    // Regions: a real one only.
    { what: "a region that does not exist", stack: "qa", key: "aws:region", overrides: { "aws:region": "us-west-3" } },
    { what: "a misspelt region", stack: "prod", key: "aws:region", overrides: { "aws:region": "us-wset-2" } },
    // Lists and maps.
    { what: "an empty OIDC subject list", stack: "dev", key: "oidcSubjects", overrides: { oidcSubjects: "[]" } },
    { what: "an empty CORS origin list", stack: "qa", key: "corsOrigins", overrides: { corsOrigins: "[]" } },
    {
        what: "OIDC subjects that are not JSON",
        stack: "dev",
        key: "oidcSubjects",
        overrides: { oidcSubjects: "repo:a/b:ref:refs/heads/main" },
    },
    {
        what: "two runtime keys in the same slot",
        stack: "dev",
        key: "runtimeAccessKeys",
        overrides: { runtimeAccessKeys: '["blue","blue"]' },
    },
    {
        what: "a reviewer that is not a GitHub login",
        stack: "prod",
        key: "prodReviewers",
        overrides: { prodReviewers: '["-bob"]' },
    },
    { what: "appEnv as a list", stack: "dev", key: "appEnv", overrides: { appEnv: '["LOG_LEVEL=info"]' } },
    {
        what: "an appEnv name with a hyphen",
        stack: "dev",
        key: "appEnv",
        overrides: { appEnv: '{"LOG-LEVEL":"info"}' },
    },
    {
        what: "an appEnv name starting with a digit",
        stack: "qa",
        key: "appEnv",
        overrides: { appEnv: '{"1PASSWORD":"x"}' },
    },
    {
        what: "an appEnv value Dokploy's env text would change",
        stack: "qa",
        key: "appEnv",
        overrides: { appEnv: JSON.stringify({ GREETING: `it's "quoted" and \`ticked\`\\n` }) },
    },
    {
        what: "appEnv setting DATABASE_URL",
        stack: "dev",
        key: "appEnv",
        overrides: { appEnv: '{"DATABASE_URL":"postgresql://x"}' },
    },
    {
        what: "appEnv setting CLERK_SECRET_KEY",
        stack: "prod",
        key: "appEnv",
        overrides: { appEnv: '{"CLERK_SECRET_KEY":"sk_live_x"}' },
    },
    {
        what: "appEnv setting the Clerk publishable key",
        stack: "qa",
        key: "appEnv",
        overrides: { appEnv: '{"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY":"pk_live_x"}' },
    },
    {
        what: "appEnv setting AWS_PROFILE",
        stack: "dev",
        key: "appEnv",
        overrides: { appEnv: '{"AWS_PROFILE":"default"}' },
    },
    {
        what: "appEnv setting S3_ENDPOINT",
        stack: "qa",
        key: "appEnv",
        overrides: { appEnv: '{"S3_ENDPOINT":"http://minio"}' },
    },
    { what: "appEnv setting PORT", stack: "dev", key: "appEnv", overrides: { appEnv: '{"PORT":"8080"}' } },
    {
        what: "appEnv setting NODE_ENV",
        stack: "dev",
        key: "appEnv",
        overrides: { appEnv: '{"NODE_ENV":"development"}' },
    },
    // Clerk in prod.
    {
        what: "prod with a Clerk test publishable key",
        stack: "prod",
        key: "clerkPublishableKey",
        overrides: { clerkPublishableKey: "pk_test_abc" },
    },
    {
        what: "prod with a Clerk test secret key",
        stack: "prod",
        key: "clerkSecretKey",
        overrides: { clerkSecretKey: "sk_test_abc" },
    },
    {
        what: "the prod-only override set in dev",
        stack: "dev",
        key: "allowClerkTestKeysInProd",
        overrides: { allowClerkTestKeysInProd: "true" },
    },
    // Other values.
    { what: "an empty health path", stack: "dev", key: "healthPath", overrides: { healthPath: "" } },
    { what: "zero replicas", stack: "qa", key: "replicas", overrides: { replicas: "0" } },
    { what: "an SSH port that is not a number", stack: "dev", key: "sshPort", overrides: { sshPort: "ssh" } },
    { what: "an SSH user in upper case", stack: "qa", key: "sshUser", overrides: { sshUser: "Root" } },
    {
        what: "an SSH private key that is a public key",
        stack: "dev",
        key: "sshPrivateKey",
        overrides: { sshPrivateKey: "ssh-ed25519 AAAA" },
    },
    { what: "an image reference with upper case", stack: "qa", key: "image", overrides: { image: "Registry/App:v1" } },
    { what: "a missing infra repository", stack: "prod", key: "infraRepository", drop: ["infraRepository"] },
    { what: "the Dokploy token in plain text", stack: "prod", key: "dokployApiToken", plain: ["dokployApiToken"] },
    {
        what: "untagged images kept forever",
        stack: "dev",
        key: "ecrUntaggedExpiryDays",
        overrides: { ecrUntaggedExpiryDays: "0" },
    },
    { what: "a mistyped key", stack: "dev", key: "acountId", overrides: { acountId: "123456789012" } },
];

describe("stack config", () => {
    describe(`${BROKEN.length} broken configs, each rejected naming its key`, () => {
        for (const b of BROKEN) {
            it(`${b.stack}: ${b.what} → ${b.key}`, () => {
                const problems = problemsOf(b.stack, b.overrides ?? {}, { drop: b.drop, plain: b.plain });
                // Only the root cause: one broken key, no problem for any key derived from it.
                expect([...new Set(problems.map((p) => p.key))], "problem keys").to.deep.equal([b.key]);
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

    describe("what a problem says", () => {
        const only = (problems: readonly ConfigProblem[], key: string) => {
            const found = problems.filter((p) => p.key === key);
            expect(found, `problems of ${key}`).to.have.length(1);
            return found[0];
        };

        it("whitespace in a secret is reported without any part of its value", () => {
            const problems = problemsOf("qa", { databaseUrl: "postgresql://app:hunter2-secret@db:5432/app " });
            const p = only(problems, "databaseUrl");
            expect(p.message).to.include("whitespace");
            expect(p.fix).to.equal(
                "pulumi config set --secret databaseUrl postgresql://<user>:<password>@<host>:5432/<db> -s qa",
            );
            expect(formatProblems(problems)).not.to.include("hunter2");
        });
        it("whitespace in a plain value is shown quoted, and the fix sets the value without it", () => {
            const p = only(problemsOf("qa", { imageTag: "v1.0.0 " }), "imageTag");
            expect(p.message).to.include('("v1.0.0 ")');
            expect(p.fix).to.equal("pulumi config set imageTag v1.0.0 -s qa");
        });
        it("nothing is trimmed: a valid value reaches StackConfig exactly as set, a PEM key with its final newline", () => {
            const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";
            expect(stackConfig("dev", { sshPrivateKey: key }).ssh.privateKey.reveal()).to.equal(key);
            expect(only(problemsOf("dev", { sshPrivateKey: `${key}\n` }), "sshPrivateKey").message).to.include(
                "whitespace",
            );
        });
        it("a region is checked against the real list, with a did-you-mean", () => {
            expect(only(problemsOf("prod", { "aws:region": "us-wset-2" }), "aws:region").message).to.include(
                "did you mean us-west-2?",
            );
            expect(only(problemsOf("qa", { "aws:region": "us-west-3" }), "aws:region").message).to.include(
                '"us-west-3" is not an AWS region',
            );
            for (const region of ["eu-central-2", "ap-southeast-5", "mx-central-1", "us-gov-west-1"])
                expect(stackConfig("dev", { "aws:region": region }).aws.region).to.equal(region);
        });
        it("empty lists say what they would break", () => {
            expect(only(problemsOf("dev", { oidcSubjects: "[]" }), "oidcSubjects").message).to.include(
                "no workflow could push",
            );
            expect(only(problemsOf("dev", { corsOrigins: "[]" }), "corsOrigins").message).to.include(
                "could not upload",
            );
        });
        it("an appEnv entry the stack owns points at its dedicated key, keeps the other entries, and never shows the value", () => {
            const problems = problemsOf("dev", {
                appEnv: JSON.stringify({ LOG_LEVEL: "info", DATABASE_URL: "postgresql://u:hunter2@h/db" }),
            });
            const p = only(problems, "appEnv");
            expect(p.message).to.include('"DATABASE_URL" is set by the stack').and.include("databaseUrl");
            expect(p.fix).to.equal(
                `pulumi config set appEnv '{"LOG_LEVEL":"info"}' -s dev && ` +
                    "pulumi config set --secret databaseUrl postgresql://<user>:<password>@<host>:5432/<db> -s dev",
            );
            expect(formatProblems(problems)).not.to.include("hunter2");
            expect(only(problemsOf("qa", { appEnv: '{"AWS_PROFILE":"x"}' }), "appEnv").fix).to.equal(
                "pulumi config rm appEnv -s qa",
            );
        });
        it("every variable appEnvironment() sets is refused in appEnv", () => {
            const c = stackConfig("dev");
            const values = {
                bucketName: "b",
                accessKeyId: "k",
                secretAccessKey: "s",
                databaseUrl: "d",
                clerkSecretKey: "c",
            };
            const owned = Object.keys(appEnvironment(c, values));
            expect(owned).to.include.members(["DATABASE_URL", "CLERK_SECRET_KEY", "NODE_ENV", "PORT", "AWS_REGION"]);
            for (const name of owned)
                expect(
                    only(problemsOf("dev", { appEnv: JSON.stringify({ [name]: "x" }) }), "appEnv").message,
                ).to.include(`"${name}" is set by the stack`);
            expect(stackConfig("dev", { appEnv: '{"LOG_LEVEL":"info","_X1":"y"}' }).appEnv).to.deep.equal({
                LOG_LEVEL: "info",
                _X1: "y",
            });
        });
        it("only the root cause: a bad appRepository or domain says nothing about the keys derived from it", () => {
            const subjects = '["repo:your-username/nextstack-saas-starter:environment:dev"]';
            const cases: [Record<string, string>, string[], string][] = [
                [{ appRepository: "not a repo", oidcSubjects: subjects }, [], "appRepository"],
                [{ domain: "https://dev.example.com/" }, [], "domain"],
                [{}, ["domain"], "domain"],
                [{ accountId: "12", assumeRoleArn: "arn:aws:iam::123456789012:role/deployer" }, [], "accountId"],
                [{ runtimeAccessKeys: '["red"]', activeRuntimeKey: "green" }, [], "runtimeAccessKeys"],
            ];
            for (const [overrides, drop, key] of cases)
                expect(
                    problemsOf("dev", overrides, { drop }).map((p) => p.key),
                    JSON.stringify(overrides),
                ).to.deep.equal([key]);
        });
        it("prod refuses Clerk test keys unless allowClerkTestKeysInProd is true", () => {
            const test = { clerkPublishableKey: "pk_test_abc", clerkSecretKey: "sk_test_abc" };
            const problems = problemsOf("prod", test);
            expect(problems.map((p) => p.key)).to.deep.equal(["clerkPublishableKey", "clerkSecretKey"]);
            expect(problems[0].message).to.include("allowClerkTestKeysInProd");
            expect(problems[0].fix).to.equal("pulumi config set clerkPublishableKey pk_live_<...> -s prod");
            expect(stackConfig("prod", { ...test, allowClerkTestKeysInProd: "true" }).clerk.publishableKey).to.equal(
                "pk_test_abc",
            );
            expect(stackConfig("qa", test).clerk.publishableKey).to.equal("pk_test_abc");
        });
        it("stateBucket given as s3://name says to drop the scheme and the fix gives the bare name", () => {
            const p = only(problemsOf("qa", { stateBucket: "s3://my-state" }), "stateBucket");
            expect(p.message).to.include("drop the s3:// scheme");
            expect(p.fix).to.equal("pulumi config set stateBucket my-state -s qa");
            expect(stackConfig("qa", { stateBucket: "my-state" }).stateBucket).to.equal("my-state");
        });
        it("reports every problem at once, each with the stack and its fix command", () => {
            const problems = problemsOf("prod", {
                accountId: " 333333333333",
                "aws:region": "us-west-3",
                corsOrigins: "[]",
                appEnv: '{"AWS_PROFILE":"x"}',
                clerkPublishableKey: "pk_test_abc",
                stateBucket: "s3://state",
            });
            expect(problems.map((p) => p.key)).to.have.members([
                "accountId",
                "aws:region",
                "corsOrigins",
                "appEnv",
                "clerkPublishableKey",
                "stateBucket",
            ]);
            for (const p of problems) expect(p.fix, p.key).to.match(/^pulumi config (set|rm) .* -s prod$/);
        });
        it("the README's example is what the program prints", () => {
            const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
            const printed = formatProblems(problemsOf("qa", { imageTag: "v1.0.0 " }, { drop: ["accountId"] }));
            expect(readme).to.include(printed);
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
        it("rejects the new kinds of mistake too (appEnv collision, unknown region, test keys in prod), registering nothing", async () => {
            const entries = stackEntries("prod", {
                "aws:region": "us-wset-2",
                appEnv: '{"DATABASE_URL":"postgresql://u:p@h/db"}',
                clerkSecretKey: "sk_test_abc",
            });
            const error = await runProgram("prod", entries, secretKeysOf(entries)).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as ConfigError).problems.map((p) => p.key)).to.have.members([
                "aws:region",
                "appEnv",
                "clerkSecretKey",
            ]);
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
