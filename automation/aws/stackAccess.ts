/**
 * How a stack reaches its account, read from its committed Pulumi.<env>.yaml without full
 * validation: the engine adapter needs the profile even for a stack whose config readiness
 * will reject, so that no CLI call of that stack ever runs with the shell's credentials.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { EnvironmentName, fromStackYaml } from "../../components/config";
import { AwsAccess } from "./engineEnv";

export async function stackAwsAccess(projectDir: string, env: EnvironmentName): Promise<AwsAccess> {
    let text = "";
    try {
        text = await readFile(path.join(projectDir, `Pulumi.${env}.yaml`), "utf8");
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const values = fromStackYaml(env, text).values;
    const plain = (key: string): string | undefined => {
        const v = values.get(key);
        return v && !v.secret && v.value !== "" ? v.value : undefined;
    };
    const profile = plain("aws:profile");
    const assumeRoleArn = plain("assumeRoleArn");
    return {
        region: plain("aws:region") ?? "",
        ...(profile ? { profile } : {}),
        ...(assumeRoleArn ? { assumeRoleArn } : {}),
    };
}
