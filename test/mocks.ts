/**
 * The ONE Pulumi mocks module. `setMocks` is process-global (the last call wins), so every spec
 * imports this file, and the only other `setMocks` caller, test/support/naiveMockRun.ts (an
 * auditor's naive mocks), is followed by `useStack` here (test/naiveMocks.spec.ts's `after` hook),
 * which makes these mocks current again for the spec files after it in the worker. It records every
 * registration with its unwrapped inputs, which inputs were secret, and the resource options
 * the engine would see (protect, retainOnDelete, import, additionalSecretOutputs…), and it
 * answers invokes, failing loudly on unknown tokens.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadProgram } from "./support/program";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Secret inputs reach the mock in wire form; a resource output in this form is a secret. */
function wrapSecret(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG]: SECRET_VALUE, value };
}

function isSecretWire(value: unknown): value is { value: unknown } {
    return (
        typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE
    );
}

/** Removes the secret wire form everywhere; reports whether any secret was found. */
export function unwrap(value: unknown): { value: unknown; secret: boolean } {
    if (isSecretWire(value)) return { value: unwrap(value.value).value, secret: true };
    if (Array.isArray(value)) {
        const items = value.map(unwrap);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (typeof value === "object" && value !== null) {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            const u = unwrap(v);
            out[k] = u.value;
            secret ||= u.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

export interface ResourceOptionsSeen {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: readonly string[];
    readonly ignoreChanges: readonly string[];
    /** The `import` option's id, "" when the resource is created. */
    readonly importId: string;
}

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    /** The provider reference (`urn::id`), "" for the default provider or a component. */
    readonly provider: string;
    readonly custom: boolean;
    /** Inputs with the secret wire form removed. */
    readonly inputs: Record<string, unknown>;
    /** Top-level inputs that are (or contain) a Pulumi secret. */
    readonly secretInputs: ReadonlySet<string>;
    /** URNs this resource depends on (dependsOn and inputs). */
    readonly dependencies: readonly string[];
    readonly options: ResourceOptionsSeen;
}

export interface Invocation {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
    readonly provider: string;
}

const registrations: Registration[] = [];
const invocations: Invocation[] = [];
const unknownInvokes: string[] = [];

/** Marks the access-key secret the mock AWS hands out, so tests can search for it. */
export const ACCESS_KEY_SECRET_SENTINEL = "mock-aws-secret-access-key-SENTINEL";

/** The minimal view of the gRPC request objects the mock monitor receives. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getCustom(): boolean;
    getObject(): unknown;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDeletebeforereplace(): boolean;
    getAdditionalsecretoutputsList(): string[];
    getIgnorechangesList(): string[];
    getImportid(): string;
    getDependenciesList(): string[];
}
interface MonitorPrototype {
    registerResource(this: MonitorInstance, req: RegisterRequest, callback: unknown): Promise<void>;
}
interface MonitorInstance {
    newUrn(parent: string, type: string, name: string): string;
}
interface RpcModule {
    deserializeProperties(struct: unknown, keepUnknowns?: boolean, keepSecrets?: boolean): Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const mockModule = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: MonitorPrototype } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require("@pulumi/pulumi/runtime/rpc") as RpcModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

// The mocks API hides resource options; record them from the request before the mock runs.
const originalRegister = mockModule.MockMonitor.prototype.registerResource;
mockModule.MockMonitor.prototype.registerResource = async function (
    this: MonitorInstance,
    req: RegisterRequest,
    callback: unknown,
) {
    const raw = rpc.deserializeProperties(req.getObject(), false, true);
    const secretInputs = new Set<string>();
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        const u = unwrap(value);
        inputs[key] = u.value;
        if (u.secret) secretInputs.add(key);
    }
    registrations.push({
        type: req.getType(),
        name: req.getName(),
        urn: this.newUrn(req.getParent(), req.getType(), req.getName()),
        parent: req.getParent(),
        provider: req.getProvider(),
        custom: req.getCustom(),
        inputs,
        secretInputs,
        dependencies: req.getDependenciesList(),
        options: {
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            ignoreChanges: req.getIgnorechangesList(),
            importId: req.getImportid(),
        },
    });
    return originalRegister.call(this, req, callback);
};

function providerOf(reference: string | undefined): { account: string; region: string } {
    const urn = reference ? reference.slice(0, reference.lastIndexOf("::")) : "";
    const p = registrations.find((r) => r.urn === urn);
    const ids = p?.inputs.allowedAccountIds;
    const parsed: unknown = typeof ids === "string" ? JSON.parse(ids) : ids;
    const account = Array.isArray(parsed) && typeof parsed[0] === "string" ? parsed[0] : "000000000000";
    const region = typeof p?.inputs.region === "string" ? p.inputs.region : "us-east-1";
    return { account, region };
}

function str(value: unknown): string {
    return typeof value === "string" ? value : "";
}

/** Computed outputs per type, as the real providers would return them. */
function computed(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const { account, region } = providerOf(args.provider);
    const inputs = args.inputs as Record<string, unknown>;
    const name = str(inputs.name) || args.name;
    switch (args.type) {
        case "aws:ecr/repository:Repository":
            return {
                id: name,
                state: {
                    name,
                    arn: `arn:aws:ecr:${region}:${account}:repository/${name}`,
                    repositoryUrl: `${account}.dkr.ecr.${region}.amazonaws.com/${name}`,
                },
            };
        case "aws:iam/role:Role":
            return { id: name, state: { name, arn: `arn:aws:iam::${account}:role/${name}` } };
        case "aws:iam/user:User":
            return { id: name, state: { name, arn: `arn:aws:iam::${account}:user/${name}` } };
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
            const arn = `arn:aws:iam::${account}:oidc-provider/${str(inputs.url).replace(/^https:\/\//, "")}`;
            return { id: arn, state: { arn } };
        }
        case "aws:s3/bucket:Bucket": {
            const bucket = str(inputs.bucket) || args.name;
            return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}` } };
        }
        case "aws:iam/accessKey:AccessKey": {
            const id = `AKIAMOCK${args.name
                .replace(/[^A-Za-z0-9]/g, "")
                .toUpperCase()
                .slice(-12)}`;
            return { id, state: { id, secret: `${ACCESS_KEY_SECRET_SENTINEL}-${args.name}`, status: "Active" } };
        }
        case "command:remote:Command":
            return { id: `${args.name}-id`, state: { stdout: "", stderr: "" } };
        default:
            if (args.type.startsWith("pulumi-nodejs:dynamic")) {
                const host = str((inputs.domain as Record<string, unknown> | undefined)?.host);
                return {
                    id: `${args.name}-id`,
                    state: {
                        applicationId: `app-${args.name}`,
                        appName: `${str(inputs.appName) || str(inputs.name)}-x7k2p9`,
                        url: `https://${host}`,
                        lastDeploymentStatus: "done",
                        lastDeploymentId: `deploy-${args.name}`,
                    },
                };
            }
            return { id: `${args.name}-id`, state: {} };
    }
}

const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
        const { id, state } = computed(args);
        const full: Record<string, unknown> = { ...(args.inputs as Record<string, unknown>), ...state };
        // The engine marks outputs listed in additionalSecretOutputs as secret; the mock monitor does not.
        const seen = [...registrations].reverse().find((r) => r.type === args.type && r.name === args.name);
        for (const key of seen?.options.additionalSecretOutputs ?? []) {
            if (key in full && !isSecretWire(full[key])) full[key] = wrapSecret(full[key]);
        }
        return { id: args.id || id, state: full };
    },
    call(args) {
        const inputs = args.inputs as Record<string, unknown>;
        invocations.push({ token: args.token, inputs, provider: args.provider ?? "" });
        const { account, region } = providerOf(args.provider);
        switch (args.token) {
            case "aws:ecr/getImage:getImage":
                return getImage(inputs, account, region);
            case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": {
                const url = str(inputs.url);
                return {
                    arn: `arn:aws:iam::${account}:oidc-provider/${url.replace(/^https:\/\//, "")}`,
                    url,
                    clientIdLists: ["sts.amazonaws.com"],
                    thumbprintLists: [],
                };
            }
            case "github:index/getUser:getUser": {
                const login = str(inputs.username);
                return { id: String(githubUserId(login)), login, username: login, name: login };
            }
            default:
                unknownInvokes.push(args.token);
                throw new Error(`test/mocks.ts: no mock for invoke ${args.token}; add one so the test cannot hang`);
        }
    },
};

/**
 * The images in each ECR repository, as `aws.ecr.getImage` finds them: `<account>/<repository>`
 * → tag → digest. Empty, as in a fresh account, unless a test pushes one (and clears it after).
 */
export const ecrImages = new Map<string, Map<string, string>>();

/**
 * `aws:ecr/getImage:getImage` as the provider answers it: found → the image's digest, tags and
 * `<repositoryUri>@<digest>`; missing → the data source fails with the DescribeImages error
 * (terraform-provider-aws internal/service/ecr/image_data_source.go: "reading ECR Images: %s";
 * the ImageNotFoundException text is ECR's, as recorded from a live account). The bridge wraps a
 * data-source error as "invoking <tok>" (pulumi-terraform-bridge pkg/tfbridge/provider.go, Invoke)
 * and the engine returns it as a gRPC error whose `details` the SDK turns into the rejection.
 */
function getImage(inputs: Record<string, unknown>, account: string, region: string): Record<string, unknown> {
    const repositoryName = str(inputs.repositoryName);
    const images = ecrImages.get(`${account}/${repositoryName}`) ?? new Map<string, string>();
    const tag = str(inputs.imageTag);
    const wanted = str(inputs.imageDigest);
    const digest = wanted ? ([...images.values()].find((d) => d === wanted) ?? "") : (images.get(tag) ?? "");
    if (!digest) {
        const id = `{imageDigest:'${wanted || "null"}', imageTag:'${tag || "null"}'}`;
        const token = "aws:ecr/getImage:getImage";
        const details =
            `invocation of ${token} returned an error: invoking ${token}: reading ECR Images: operation error ECR: DescribeImages, ` +
            `https response error StatusCode: 400, ImageNotFoundException: The image with imageId ${id} does not exist within the repository with name '${repositoryName}' in the registry with id '${account}'`;
        throw Object.assign(new Error(details), { details });
    }
    const tags = [...images].filter(([, d]) => d === digest).map(([t]) => t);
    return {
        id: digest,
        imageDigest: digest,
        imageTags: tags,
        imageUri: `${account}.dkr.ecr.${region}.amazonaws.com/${repositoryName}@${digest}`,
        registryId: account,
        repositoryName,
        imagePushedAt: 1767225600,
        imageSizeInBytes: 52428800,
        ...(tag ? { imageTag: tag } : {}),
    };
}

/** A stable numeric id per GitHub login, as `github.getUser` would return. */
export function githubUserId(login: string): number {
    let h = 7;
    for (const c of login) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
    return 1_000_000 + h;
}

/** Selects the stack the next program runs as; the mocks object stays the same one. */
export async function useStack(stack: string): Promise<void> {
    await pulumi.runtime.setMocks(mocks, "nextstack", stack, false);
}

void useStack("dev");

export function resetRegistrations(): void {
    registrations.length = 0;
    invocations.length = 0;
    unknownInvokes.length = 0;
}

export function allRegistrations(): readonly Registration[] {
    return [...registrations];
}

export function allInvocations(): readonly Invocation[] {
    return [...invocations];
}

export function resourcesOfType(type: string): Registration[] {
    return registrations.filter((r) => r.type === type);
}

export function findResource(type: string, name: string): Registration {
    const found = registrations.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names =
            resourcesOfType(type)
                .map((r) => r.name)
                .join(", ") || "none";
        throw new Error(`expected one ${type} named ${name}, found ${found.length} (registered: ${names})`);
    }
    return found[0];
}

/** The value an Output resolves to (never use it on an Output that may stay unknown). */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((r) =>
        output.apply((v) => {
            r(v);
            return v;
        }),
    );
}

/** Waits until every registration and invoke in flight has reached the mocks. */
export async function settle(): Promise<void> {
    await settings.waitForRPCs();
    if (unknownInvokes.length > 0) throw new Error(`unmocked invokes: ${unknownInvokes.join(", ")}`);
}

export interface ProgramRun {
    readonly registrations: readonly Registration[];
    /** Stack outputs, resolved. */
    readonly outputs: Record<string, unknown>;
    /** Names of stack outputs that are Pulumi secrets. */
    readonly secretOutputs: readonly string[];
}

/** Clears the records of the last run and makes `stack` with this config the one programs see. */
async function selectStack(
    stack: string,
    configEntries: Record<string, string>,
    secretKeys: readonly string[],
): Promise<void> {
    await settle().catch(() => undefined);
    resetRegistrations();
    await useStack(stack);
    const qualified = Object.fromEntries(
        Object.entries(configEntries).map(([k, v]) => [k.includes(":") ? k : `nextstack:${k}`, v]),
    );
    pulumi.runtime.setAllConfig(
        qualified,
        secretKeys.map((k) => (k.includes(":") ? k : `nextstack:${k}`)),
    );
}

/**
 * Runs index.ts as stack `stack` with the given config (keys as `pulumi config` writes them:
 * `nextstack:accountId`, `aws:region`), loading the program fresh each time.
 */
export async function runProgram(
    stack: string,
    configEntries: Record<string, string>,
    secretKeys: readonly string[] = [],
): Promise<ProgramRun> {
    await selectStack(stack, configEntries, secretKeys);
    const exported = loadProgram();
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [key, value] of Object.entries(exported)) {
        if (key === "__esModule" || typeof value === "function") continue;
        if (!pulumi.Output.isInstance(value)) {
            outputs[key] = value;
            continue;
        }
        outputs[key] = await resolve(value);
        if (await pulumi.isSecret(value)) secretOutputs.push(key);
    }
    await settle();
    return { registrations: allRegistrations(), outputs, secretOutputs };
}

/** How `pulumi stack output --json` would print the outputs: secrets masked, the rest in clear. */
export function plainTextOutputs(run: ProgramRun): string {
    const shown = Object.fromEntries(
        Object.entries(run.outputs).map(([k, v]) => [k, run.secretOutputs.includes(k) ? "[secret]" : v]),
    );
    return JSON.stringify(shown);
}

const sharedRuns = new Map<string, { run: ProgramRun; invocations: readonly Invocation[] }>();

/**
 * runProgram for specs that only read the result. The first call with a given stack, config and
 * ECR mock state runs the program; a later one returns that run and puts its registrations and
 * invokes back, so findResource and allInvocations read it as if it had just run. The program
 * specs ran the same three committed stacks ~25 times, ~150 ms of CPU each. This holds because a
 * run depends only on those inputs: environment.spec compares a shared run with a fresh one.
 */
export async function runProgramShared(
    stack: string,
    configEntries: Record<string, string>,
    secretKeys: readonly string[] = [],
): Promise<ProgramRun> {
    const ecrState = [...ecrImages].map(([repository, tags]) => [repository, [...tags]]);
    const key = JSON.stringify([stack, configEntries, secretKeys, ecrState]);
    const shared = sharedRuns.get(key);
    if (!shared) {
        const run = await runProgram(stack, configEntries, secretKeys);
        sharedRuns.set(key, { run, invocations: allInvocations() });
        return run;
    }
    await selectStack(stack, configEntries, secretKeys);
    registrations.push(...shared.run.registrations);
    invocations.push(...shared.invocations);
    return shared.run;
}
