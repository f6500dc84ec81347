/**
 * A loopback STS for tests: answers GetCallerIdentity and AssumeRole in the AWS Query protocol,
 * mapping the caller's access key id (read from the SigV4 Authorization header) to an account.
 *
 * Copies the real service where the SDK cares:
 * - POST form body `Action=GetCallerIdentity&Version=2011-06-15`, answered by
 *   `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">` with
 *   `GetCallerIdentityResult` {Arn, UserId, Account} and `ResponseMetadata/RequestId`
 *   (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html, "Examples");
 *   @aws-sdk/client-sts 3.1177.0 parses it with its AwsQueryProtocol (dist-cjs/index.js).
 * - AssumeRole answers `AssumeRoleResult` {Credentials {AccessKeyId, SecretAccessKey,
 *   SessionToken, Expiration}, AssumedRoleUser {Arn, AssumedRoleId}}
 *   (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, "Examples").
 * - An unknown key gets HTTP 403 `<ErrorResponse><Error><Type>Sender</Type>
 *   <Code>InvalidClientTokenId</Code>…` as STS does for a key it does not know.
 * Signatures are not verified (the SDK signs correctly; the key id is what tells callers apart).
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

export interface StsCall {
    readonly action: string;
    readonly accessKeyId?: string;
    readonly roleArn?: string;
}

export interface StandInSts {
    readonly url: string;
    readonly calls: StsCall[];
    /** Maps an access key id to the account it belongs to (as IAM would). */
    addKey(accessKeyId: string, account: string, userName?: string): void;
    close(): Promise<void>;
}

const accessKeyOf = (auth: string | undefined): string | undefined => /Credential=([^/]+)\//.exec(auth ?? "")?.[1];

const errorXml = (code: string, message: string) =>
    `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${message}</Message>\n  </Error>\n  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n</ErrorResponse>\n`;

export async function startStandInSts(): Promise<StandInSts> {
    const keys = new Map<string, { account: string; arn: string; userId: string }>();
    const calls: StsCall[] = [];
    let sessions = 0;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString("utf8")));
        req.on("end", () => {
            const form = new URLSearchParams(body);
            const action = form.get("Action") ?? "";
            const accessKeyId = accessKeyOf(req.headers.authorization);
            const roleArn = form.get("RoleArn") ?? undefined;
            calls.push({ action, accessKeyId, ...(roleArn ? { roleArn } : {}) });
            const send = (status: number, xml: string) => {
                res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": "req-standin" });
                res.end(xml);
            };
            const caller = accessKeyId ? keys.get(accessKeyId) : undefined;
            if (!caller)
                return send(
                    403,
                    errorXml("InvalidClientTokenId", "The security token included in the request is invalid."),
                );
            if (action === "GetCallerIdentity") {
                return send(
                    200,
                    `<GetCallerIdentityResponse xmlns="${NS}">\n  <GetCallerIdentityResult>\n    <Arn>${caller.arn}</Arn>\n    <UserId>${caller.userId}</UserId>\n    <Account>${caller.account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`,
                );
            }
            if (action === "AssumeRole" && roleArn) {
                const account = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
                if (!account) return send(400, errorXml("ValidationError", `${roleArn} is not a role ARN`));
                const session = form.get("RoleSessionName") ?? "session";
                const tempKey = `ASIASTANDIN${String(++sessions).padStart(9, "0")}`;
                const arn = `arn:aws:sts::${account[1]}:assumed-role/${account[2]}/${session}`;
                keys.set(tempKey, { account: account[1], arn, userId: `AROASTANDIN:${session}` });
                const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
                return send(
                    200,
                    `<AssumeRoleResponse xmlns="${NS}">\n  <AssumeRoleResult>\n    <SourceIdentity></SourceIdentity>\n    <AssumedRoleUser>\n      <Arn>${arn}</Arn>\n      <AssumedRoleId>AROASTANDIN:${session}</AssumedRoleId>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>${tempKey}</AccessKeyId>\n      <SecretAccessKey>standin-secret-${sessions}</SecretAccessKey>\n      <SessionToken>standin-token-${sessions}</SessionToken>\n      <Expiration>${expiration}</Expiration>\n    </Credentials>\n    <PackedPolicySize>6</PackedPolicySize>\n  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n`,
                );
            }
            return send(400, errorXml("InvalidAction", `Could not find operation ${action} for version 2011-06-15`));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        calls,
        addKey(accessKeyId, account, userName = accessKeyId) {
            keys.set(accessKeyId, {
                account,
                arn: `arn:aws:iam::${account}:user/${userName}`,
                userId: `AIDA${accessKeyId}`,
            });
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
