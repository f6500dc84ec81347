/**
 * Which account a stack's credentials actually reach: STS GetCallerIdentity through the stack's
 * profile (and role). Needs no permission (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClientConfigFor } from "./credentials";
import { AwsAccess } from "./engineEnv";

export interface CallerIdentity {
    readonly account: string;
    readonly arn: string;
}

export type IdentityOf = (access: AwsAccess) => Promise<CallerIdentity>;

export const stsCallerIdentity: IdentityOf = async (access) => {
    const client = new STSClient({ ...awsClientConfigFor(access), maxAttempts: 2 });
    try {
        const id = await client.send(new GetCallerIdentityCommand({}));
        return { account: id.Account ?? "", arn: id.Arn ?? "" };
    } finally {
        client.destroy();
    }
};
