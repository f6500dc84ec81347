import { expect } from "chai";
import { findResource } from "./mocks";
import { corsRules, tlsOnlyBucketPolicy } from "../components/assetsBucket";
import { committedStackRun, plainDocument, policyOf, runStack } from "./helpers";

const S3 = (t: string) => `aws:s3/${t.charAt(0).toLowerCase()}${t.slice(1)}:${t}`;

describe("AssetsBucket", () => {
    describe("pure parts", () => {
        it("tlsOnlyBucketPolicy denies every s3 action on the bucket and its objects without TLS", async () => {
            const doc = await plainDocument(tlsOnlyBucketPolicy("arn:aws:s3:::b"));
            expect(doc.Statement).to.deep.equal([
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]);
        });
        it("corsRules refuses wildcard or empty origins (any site could upload)", () => {
            expect(() => corsRules(["*"])).to.throw(/exact origins/);
            expect(() => corsRules(["https://*.example.com"])).to.throw(/exact origins/);
            expect(() => corsRules([])).to.throw(/exact origins/);
        });
    });

    const cases = [
        { stack: "dev", origin: "https://dev.nextstack-saas-starter.com", prod: false },
        { stack: "qa", origin: "https://qa.nextstack-saas-starter.com", prod: false },
        { stack: "prod", origin: "https://nextstack-saas-starter.com", prod: true },
    ] as const;
    for (const c of cases) {
        describe(`${c.stack} stack`, () => {
            before(async () => {
                await committedStackRun(c.stack);
            });
            const name = (role: string) => `${c.stack}-assets-${role}`;
            const bucket = `nextstack-saas-starter-${c.stack}-assets`;

            it(`is ${bucket}; ${c.prod ? "protected, never force-destroyed" : "force-destroyable, unprotected"}`, () => {
                const b = findResource(S3("Bucket"), name("bucket"));
                expect(b.inputs.bucket).to.equal(bucket);
                expect(b.inputs.forceDestroy).to.equal(!c.prod);
                expect(b.options.protect).to.equal(c.prod);
            });
            it("blocks all public access and disables ACLs", () => {
                expect(findResource(S3("BucketPublicAccessBlock"), name("public-access")).inputs).to.deep.include({
                    bucket,
                    blockPublicAcls: true,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                });
                expect(findResource(S3("BucketOwnershipControls"), name("ownership")).inputs).to.deep.include({
                    bucket,
                    rule: { objectOwnership: "BucketOwnerEnforced" },
                });
            });
            it("encrypts with SSE-S3 and versions objects, expiring old versions", () => {
                expect(
                    findResource(S3("BucketServerSideEncryptionConfiguration"), name("encryption")).inputs.rules,
                ).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
                expect(
                    findResource(S3("BucketVersioning"), name("versioning")).inputs.versioningConfiguration,
                ).to.deep.include({ status: "Enabled" });
                const rules = findResource(S3("BucketLifecycleConfiguration"), name("lifecycle")).inputs
                    .rules as Record<string, unknown>[];
                expect(rules[0]).to.deep.include({
                    status: "Enabled",
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                });
            });
            it("denies plain-HTTP requests on this bucket", () => {
                const p = findResource(S3("BucketPolicy"), name("tls-only"));
                expect(p.inputs.bucket).to.equal(bucket);
                const s = policyOf(p).Statement[0];
                expect(s).to.deep.include({ Effect: "Deny", Action: "s3:*" });
                expect(s.Resource).to.deep.equal([`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
            });
            it(`allows browser uploads from ${c.origin} only`, () => {
                expect(findResource(S3("BucketCorsConfiguration"), name("cors")).inputs.corsRules).to.deep.equal([
                    {
                        allowedMethods: ["PUT", "GET", "HEAD"],
                        allowedOrigins: [c.origin],
                        allowedHeaders: ["content-type"],
                        exposeHeaders: ["ETag"],
                        maxAgeSeconds: 3000,
                    },
                ]);
            });
        });
    }

    it("uses the configured bucket name and CORS origins", async () => {
        await runStack("qa", {
            bucketName: "qa-uploads.example",
            corsOrigins: '["https://qa.example.com","https://admin.qa.example.com"]',
        });
        expect(findResource(S3("Bucket"), "qa-assets-bucket").inputs.bucket).to.equal("qa-uploads.example");
        const rules = findResource(S3("BucketCorsConfiguration"), "qa-assets-cors").inputs.corsRules as {
            allowedOrigins: string[];
        }[];
        expect(rules[0].allowedOrigins).to.deep.equal(["https://qa.example.com", "https://admin.qa.example.com"]);
    });
});
