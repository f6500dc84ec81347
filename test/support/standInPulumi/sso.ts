/**
 * A loopback AWS IAM Identity Center (SSO) portal for tests: GetRoleCredentials, the call an SSO
 * profile makes with the access token `aws sso login` cached.
 *
 * Copies the real API where the SDK cares (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html):
 * `GET /federation/credentials?role_name=R&account_id=A` with header `x-amz-sso_bearer_token`,
 * answered `{"roleCredentials":{"accessKeyId","secretAccessKey","sessionToken","expiration"}}`
 * (expiration in epoch milliseconds); an unknown token gets 401 UnauthorizedException. The SDK
 * client is @aws-sdk/nested-clients/sso (GetRoleCredentials$: GET /federation/credentials).
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

export interface StandInSso {
    readonly url: string;
    /** A token `aws sso login` would have cached, allowed into `account` as `role`, whose credentials use `accessKeyId`. */
    addToken(token: string, account: string, role: string, accessKeyId: string): void;
    close(): Promise<void>;
}

export async function startStandInSso(): Promise<StandInSso> {
    const tokens = new Map<string, { account: string; role: string; accessKeyId: string }>();
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const grant = tokens.get(String(req.headers["x-amz-sso_bearer_token"] ?? ""));
        const send = (status: number, body: unknown, type?: string) => {
            res.writeHead(status, {
                "content-type": "application/json",
                ...(type ? { "x-amzn-errortype": type } : {}),
            });
            res.end(JSON.stringify(body));
        };
        if (req.method !== "GET" || url.pathname !== "/federation/credentials")
            return send(404, { message: "not found" }, "ResourceNotFoundException");
        if (
            !grant ||
            grant.account !== url.searchParams.get("account_id") ||
            grant.role !== url.searchParams.get("role_name")
        )
            return send(401, { message: "Session token not found or invalid" }, "UnauthorizedException");
        return send(200, {
            roleCredentials: {
                accessKeyId: grant.accessKeyId,
                secretAccessKey: `sso-secret-${grant.accessKeyId}`,
                sessionToken: `sso-session-${grant.accessKeyId}`,
                expiration: Date.now() + 3600_000,
            },
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        addToken: (token, account, role, accessKeyId) => tokens.set(token, { account, role, accessKeyId }),
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
