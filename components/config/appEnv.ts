/**
 * The app container's environment variables that the stack itself sets. `appEnvironment()`
 * (environment.ts) builds exactly these, typed against this list, and validation refuses an
 * `appEnv` entry that names one: it would be dropped, so the dedicated key is the way to set it.
 */
import { parseDotenv, toDotenv } from "../dokploy/dotenv";

/** Each owned variable and the config key that sets it (none: the stack fixes its value). */
export const STACK_OWNED_VARIABLES = {
    NODE_ENV: undefined,
    PORT: "port",
    DATABASE_URL: "databaseUrl",
    NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "clerkPublishableKey",
    CLERK_SECRET_KEY: "clerkSecretKey",
    AWS_REGION: "aws:region",
    S3_BUCKET_NAME: "bucketName",
    AWS_ACCESS_KEY_ID: "activeRuntimeKey",
    AWS_SECRET_ACCESS_KEY: "activeRuntimeKey",
} as const;
export type StackOwnedVariable = keyof typeof STACK_OWNED_VARIABLES;

/**
 * Whole families the stack owns: any AWS_* (AWS_PROFILE, AWS_SESSION_TOKEN…) would change which
 * credentials the app's AWS SDK picks up, and S3_* is where the app reads its bucket settings.
 */
export const STACK_OWNED_PREFIXES = ["AWS_", "S3_"] as const;

/** A name a POSIX shell and Docker's env files accept. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface AppEnvProblem {
    readonly name: string;
    readonly message: string;
    /** The dedicated config key for this variable, when there is one. */
    readonly key?: string;
}

function ownedBy(name: string): { owned: boolean; key?: string } {
    if (Object.hasOwn(STACK_OWNED_VARIABLES, name)) {
        const key: string | undefined = STACK_OWNED_VARIABLES[name as StackOwnedVariable];
        return { owned: true, ...(key ? { key } : {}) };
    }
    return { owned: STACK_OWNED_PREFIXES.some((p) => name.startsWith(p)) };
}

/** What is wrong with each entry of `appEnv`; the values are never quoted (one may be a secret put here by mistake). */
export function appEnvProblems(appEnv: Readonly<Record<string, string>>): AppEnvProblem[] {
    const problems: AppEnvProblem[] = [];
    for (const name of Object.keys(appEnv)) {
        if (!VARIABLE_NAME.test(name)) {
            problems.push({
                name,
                message: `"${name}" is not a valid variable name (letters, digits and _, not starting with a digit)`,
            });
            continue;
        }
        const { owned, key } = ownedBy(name);
        if (!owned) {
            // Dokploy keeps env vars as one dotenv text: a value it cannot carry would reach the app changed.
            if (parseDotenv(toDotenv({ [name]: appEnv[name] })).get(name) !== appEnv[name])
                problems.push({
                    name,
                    message: `the value of "${name}" mixes ', " and \` quotes so that Dokploy's env text cannot keep it unchanged`,
                });
            continue;
        }
        const where = key ? `set it with the ${key} key instead` : "its value is fixed by the stack";
        problems.push({ name, message: `"${name}" is set by the stack and would be ignored here; ${where}`, key });
    }
    return problems;
}
