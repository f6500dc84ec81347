import { expect } from "chai";
import {
    ecrRegistryHost,
    ecrRepositoryArn,
    ecrRepositoryUrl,
    githubOidcProviderArn,
    iamArn,
    s3BucketArn,
} from "../components/arns";

describe("ARNs derived from config", () => {
    const t = { accountId: "123456789012", region: "us-west-2" };
    it("match what AWS returns for the commercial partition", () => {
        expect(ecrRepositoryArn(t, "app-dev")).to.equal("arn:aws:ecr:us-west-2:123456789012:repository/app-dev");
        expect(ecrRegistryHost(t)).to.equal("123456789012.dkr.ecr.us-west-2.amazonaws.com");
        expect(ecrRepositoryUrl(t, "app-dev")).to.equal("123456789012.dkr.ecr.us-west-2.amazonaws.com/app-dev");
        expect(s3BucketArn("us-west-2", "b")).to.equal("arn:aws:s3:::b");
        expect(iamArn(t, "role", "R")).to.equal("arn:aws:iam::123456789012:role/R");
        expect(githubOidcProviderArn(t)).to.equal(
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        );
    });
    it("follow the region's partition (China, GovCloud)", () => {
        const cn = { accountId: "123456789012", region: "cn-north-1" };
        expect(ecrRepositoryArn(cn, "x")).to.equal("arn:aws-cn:ecr:cn-north-1:123456789012:repository/x");
        expect(ecrRegistryHost(cn)).to.equal("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn");
        expect(s3BucketArn("cn-north-1", "b")).to.equal("arn:aws-cn:s3:::b");
        const gov = { accountId: "123456789012", region: "us-gov-west-1" };
        expect(iamArn(gov, "user", "u")).to.equal("arn:aws-us-gov:iam::123456789012:user/u");
        expect(ecrRegistryHost(gov)).to.equal("123456789012.dkr.ecr.us-gov-west-1.amazonaws.com");
    });
});
