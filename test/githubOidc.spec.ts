import { expect } from "chai";
import { allInvocations, findResource, ProgramRun, resourcesOfType } from "./mocks";
import { ecrPushPolicy, ECR_PUSH_ACTIONS, githubTrustPolicy, previewReadOnlyPolicy } from "../components/githubOidc";
import { committedStackRun, Document, list, plainDocument, policyOf, runStack } from "./helpers";

const CLAIM = "token.actions.githubusercontent.com";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** Actions that only read. Anything else (Put*, Create*, Delete*, Tag*, Upload*, *…) is a write. */
const READ_ONLY = [
    /^ecr:(Describe|List|Get)[A-Za-z]*\*?$/,
    /^iam:(Get|List)[A-Za-z]*\*?$/,
    /^s3:(Get|List)[A-Za-z]*\*?$/,
    /^sts:GetCallerIdentity$/,
];

export function isReadOnly(action: string): boolean {
    return READ_ONLY.some((re) => re.test(action));
}

describe("GithubOidc", () => {
    describe("githubTrustPolicy", () => {
        it("trusts only the exact subjects with audience sts.amazonaws.com, both with StringEquals", async () => {
            const doc = await plainDocument(githubTrustPolicy("arn:oidc", ["repo:o/r:environment:prod"]));
            expect(doc.Statement).to.have.length(1);
            const s = doc.Statement[0];
            expect(s.Effect).to.equal("Allow");
            expect(s.Principal).to.deep.equal({ Federated: "arn:oidc" });
            expect(s.Action).to.equal("sts:AssumeRoleWithWebIdentity");
            expect(s.Condition).to.deep.equal({
                StringEquals: {
                    [`${CLAIM}:aud`]: "sts.amazonaws.com",
                    [`${CLAIM}:sub`]: ["repo:o/r:environment:prod"],
                },
            });
        });
        it("refuses to build a trust policy without a subject (any GitHub repository could assume it)", () => {
            expect(() => githubTrustPolicy("arn:oidc", [])).to.throw(/at least one exact OIDC subject/);
        });
    });

    describe("ecrPushPolicy", () => {
        it("pushes to one repository; only GetAuthorizationToken has Resource *", async () => {
            const doc = await plainDocument(ecrPushPolicy("arn:aws:ecr:us-west-2:1:repository/app-dev"));
            const [push, login] = doc.Statement;
            expect(list(push.Action)).to.have.members([...ECR_PUSH_ACTIONS]);
            expect(push.Resource).to.equal("arn:aws:ecr:us-west-2:1:repository/app-dev");
            expect(login).to.deep.include({ Action: "ecr:GetAuthorizationToken", Resource: "*" });
            expect(list(push.Action)).to.not.include("ecr:GetDownloadUrlForLayer");
        });
    });

    describe("previewReadOnlyPolicy", () => {
        it("grants no write action and no `*` resource", async () => {
            const doc = await plainDocument(
                previewReadOnlyPolicy({ repositoryArn: "arn:repo", bucketArn: "arn:bucket", iamArns: ["arn:role"] }),
            );
            const actions = doc.Statement.flatMap((s) => list(s.Action));
            expect(
                actions.filter((a) => !isReadOnly(a)),
                "write actions",
            ).to.deep.equal([]);
            expect(doc.Statement.flatMap((s) => list(s.Resource))).to.not.include("*");
            expect(doc.Statement.every((s) => s.Effect === "Allow")).to.equal(true);
        });
        it("the read-only pattern list really rejects writes (so the check above can fail)", () => {
            for (const write of [
                "ecr:PutImage",
                "s3:PutObject",
                "iam:CreateRole",
                "iam:PassRole",
                "s3:*",
                "ecr:*",
                "*",
                "s3:DeleteBucket",
                "iam:TagRole",
            ]) {
                expect(isReadOnly(write), write).to.equal(false);
            }
        });
    });

    const expected = {
        dev: {
            title: "Dev",
            account: "123456789012",
            subjects: [
                "repo:your-username/nextstack-saas-starter:ref:refs/heads/main",
                "repo:your-username/nextstack-saas-starter:environment:dev",
            ],
        },
        qa: {
            title: "QA",
            account: "222222222222",
            subjects: [
                "repo:your-username/nextstack-saas-starter:ref:refs/heads/main",
                "repo:your-username/nextstack-saas-starter:environment:qa",
            ],
        },
        prod: {
            title: "Prod",
            account: "333333333333",
            subjects: ["repo:your-username/nextstack-saas-starter:environment:prod"],
        },
    } as const;

    for (const stack of ["dev", "qa", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let run: ProgramRun;
            const e = expected[stack];
            before(async () => {
                run = await committedStackRun(stack);
            });

            it("creates the account's OIDC provider without thumbprints and retains it on destroy", () => {
                const p = findResource(OIDC, `${stack}-oidc-provider`);
                expect(p.inputs.url).to.equal("https://token.actions.githubusercontent.com");
                expect(p.inputs.clientIdLists).to.deep.equal(["sts.amazonaws.com"]);
                expect(p.inputs.thumbprintLists).to.equal(undefined);
                expect(p.options.retainOnDelete).to.equal(true);
            });

            it(`push role GitHubActionsECRPush-${e.title} trusts exactly the configured subjects`, () => {
                const role = findResource(ROLE, `${stack}-oidc-push-role`);
                expect(role.inputs.name).to.equal(`GitHubActionsECRPush-${e.title}`);
                expect(role.inputs.maxSessionDuration).to.equal(3600);
                const trust = policyOf(role, "assumeRolePolicy");
                expect(trust.Statement).to.have.length(1);
                expect(trust.Statement[0].Principal).to.deep.equal({
                    Federated: `arn:aws:iam::${e.account}:oidc-provider/token.actions.githubusercontent.com`,
                });
                expect(trust.Statement[0].Condition).to.deep.equal({
                    StringEquals: { [`${CLAIM}:aud`]: "sts.amazonaws.com", [`${CLAIM}:sub`]: [...e.subjects] },
                });
                expect(JSON.stringify(trust)).to.not.match(/\*|ForAllValues|StringLike/);
            });

            it("push role may push to this stack's repository only", () => {
                const doc: Document = policyOf(findResource(ROLE_POLICY, `${stack}-oidc-push-policy`));
                const repo = `arn:aws:ecr:us-west-2:${e.account}:repository/nextstack-saas-starter-${stack}`;
                const scoped = doc.Statement.filter((s) => list(s.Resource).join() !== "*");
                expect(scoped.flatMap((s) => list(s.Resource))).to.deep.equal([repo]);
                expect(scoped.flatMap((s) => list(s.Action))).to.have.members([...ECR_PUSH_ACTIONS]);
            });

            it(`preview role GitHubActionsPulumiPreview-${e.title} trusts only pull requests of the infra repository and cannot write`, () => {
                const role = findResource(ROLE, `${stack}-oidc-preview-role`);
                expect(role.inputs.name).to.equal(`GitHubActionsPulumiPreview-${e.title}`);
                expect(role.inputs.maxSessionDuration).to.equal(3600);
                const cond = policyOf(role, "assumeRolePolicy").Statement[0].Condition;
                expect(cond).to.deep.equal({
                    StringEquals: {
                        [`${CLAIM}:aud`]: "sts.amazonaws.com",
                        [`${CLAIM}:sub`]: ["repo:your-username/nextstack-environments:pull_request"],
                    },
                });
                const doc = policyOf(findResource(ROLE_POLICY, `${stack}-oidc-preview-policy`));
                const actions = doc.Statement.flatMap((s) => list(s.Action));
                expect(actions.filter((a) => !isReadOnly(a))).to.deep.equal([]);
                const resources = doc.Statement.flatMap((s) => list(s.Resource));
                expect(resources).to.include(`arn:aws:s3:::nextstack-saas-starter-${stack}-assets`);
                expect(
                    resources.every(
                        (r) => r.includes(e.account) || r === `arn:aws:s3:::nextstack-saas-starter-${stack}-assets`,
                    ),
                ).to.equal(true);
                expect(run.registrations.length).to.be.greaterThan(0);
            });
        });
    }

    describe("when the account already has the provider (createOidcProvider=false)", () => {
        let run: ProgramRun;
        before(async () => {
            run = await runStack("qa", { createOidcProvider: "false" });
        });

        it("looks it up through the stack's provider instead of creating a second one", () => {
            expect(resourcesOfType(OIDC)).to.deep.equal([]);
            const lookups = allInvocations().filter(
                (i) => i.token === "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider",
            );
            expect(lookups).to.have.length(1);
            // By its ARN, derived from the account: no iam:ListOpenIDConnectProviders on `*` is needed.
            expect(lookups[0].inputs).to.deep.equal({
                arn: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
            });
            const awsProvider = run.registrations.find((r) => r.type === "pulumi:providers:aws");
            expect(lookups[0].provider.startsWith(`${awsProvider?.urn}::`)).to.equal(true);
        });

        it("the preview role can make that lookup: iam:Get* on exactly that ARN, and no list on `*`", () => {
            const doc = policyOf(findResource(ROLE_POLICY, "qa-oidc-preview-policy"));
            const onProvider = doc.Statement.filter((s) =>
                list(s.Resource).includes(
                    "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
                ),
            );
            expect(onProvider.flatMap((s) => list(s.Action))).to.include("iam:Get*");
            expect(doc.Statement.filter((s) => list(s.Resource).includes("*"))).to.deep.equal([]);
        });

        it("trusts the looked-up provider's ARN", () => {
            const trust = policyOf(findResource(ROLE, "qa-oidc-push-role"), "assumeRolePolicy");
            expect(trust.Statement[0].Principal).to.deep.equal({
                Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
            });
        });
    });

    it("with a self-managed backend (stateBucket), the preview role may read that bucket's .pulumi/ state and nothing else of it", async () => {
        await runStack("qa", { stateBucket: "nextstack-pulumi-state" });
        const doc = policyOf(findResource(ROLE_POLICY, "qa-oidc-preview-policy"));
        const state = doc.Statement.filter((s) => list(s.Resource).some((r) => r.includes("nextstack-pulumi-state")));
        expect(state.map((s) => [list(s.Action), list(s.Resource)])).to.deep.equal([
            [["s3:ListBucket"], ["arn:aws:s3:::nextstack-pulumi-state"]],
            [["s3:GetObject"], ["arn:aws:s3:::nextstack-pulumi-state/.pulumi/*"]],
        ]);
        expect(state[0].Condition).to.deep.equal({ StringLike: { "s3:prefix": [".pulumi", ".pulumi/*"] } });
        expect(doc.Statement.flatMap((s) => list(s.Action)).filter((a) => !isReadOnly(a))).to.deep.equal([]);
    });

    it("without stateBucket, the preview role has no access to any other bucket", async () => {
        await committedStackRun("qa");
        const doc = policyOf(findResource(ROLE_POLICY, "qa-oidc-preview-policy"));
        const buckets = doc.Statement.flatMap((s) => list(s.Resource)).filter((r) => r.startsWith("arn:aws:s3:::"));
        expect([...new Set(buckets)]).to.deep.equal(["arn:aws:s3:::nextstack-saas-starter-qa-assets"]);
    });

    it("configured oidcSubjects (e.g. immutable owner@id/repo@id forms) are trusted exactly, in order", async () => {
        const subjects = [
            "repo:your-username@123/nextstack-saas-starter@456:environment:dev",
            "repo:your-username/nextstack-saas-starter:environment:dev",
        ];
        await runStack("dev", { oidcSubjects: JSON.stringify(subjects) });
        const cond = policyOf(findResource(ROLE, "dev-oidc-push-role"), "assumeRolePolicy").Statement[0].Condition;
        expect(cond?.StringEquals[`${CLAIM}:sub`]).to.deep.equal(subjects);
    });
});
