/**
 * Small helpers shared by the component specs: explicit providers like Environment creates,
 * and readers for policy documents as they reach the mocks.
 */
import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, Registration, resolve, runProgram, runProgramShared } from "./mocks";
import { secretKeysOf, stackEntries, StackName } from "./stacks";

export function awsProvider(name: string, accountId: string, region = "us-west-2"): aws.Provider {
    return new aws.Provider(name, { region, allowedAccountIds: [accountId] });
}

export function githubProvider(name: string, owner: string): github.Provider {
    return new github.Provider(name, { owner });
}

/** The provider reference the mock monitor sees for resources using `p` (`urn::id`). */
export async function providerReference(p: pulumi.ProviderResource): Promise<string> {
    const [urn, id] = await Promise.all([resolve(p.urn), resolve(p.id)]);
    return `${urn}::${id}`;
}

export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action?: string | string[];
    Resource?: string | string[];
    Principal?: Record<string, string | string[]>;
    Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Document {
    Version: string;
    Statement: Statement[];
}

/** A policy input as registered: typed object or JSON text. */
export function policyOf(r: Registration, key = "policy"): Document {
    const v = r.inputs[key];
    return (typeof v === "string" ? JSON.parse(v) : v) as Document;
}

export function list(v: string | string[] | undefined): string[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Resolves a pure function's document whose fields may be Inputs. */
export async function plainDocument(doc: unknown): Promise<Document> {
    return (await resolve(pulumi.output(doc))) as Document;
}

/** Runs index.ts as a complete, valid stack (committed values + completions + sentinel secrets). */
export async function runStack(stack: StackName, overrides: Record<string, string> = {}): Promise<ProgramRun> {
    const entries = stackEntries(stack, overrides);
    return runProgram(stack, entries, secretKeysOf(entries));
}

/**
 * The run of a complete, valid stack's committed config, for specs that only read it: run once
 * per worker (and ECR mock state), then shared (mocks.ts runProgramShared says why that holds).
 */
export async function committedStackRun(stack: StackName): Promise<ProgramRun> {
    const entries = stackEntries(stack, {});
    return runProgramShared(stack, entries, secretKeysOf(entries));
}

/** Every statement of every IAM/S3 policy registered in a run, with where it came from. */
export function allStatements(registrations: readonly Registration[]): { from: string; statement: Statement }[] {
    const out: { from: string; statement: Statement }[] = [];
    for (const r of registrations) {
        for (const key of ["policy", "assumeRolePolicy"]) {
            if (!r.type.startsWith("aws:iam/") && !r.type.startsWith("aws:s3/")) continue;
            if (r.inputs[key] === undefined) continue;
            for (const s of policyOf(r, key).Statement) out.push({ from: `${r.name}.${key}`, statement: s });
        }
    }
    return out;
}
