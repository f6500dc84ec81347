/**
 * The dynamic provider for DokployApplication.
 *
 * It is shipped to the engine as text: `pulumi.dynamic.Resource` runs
 * `pulumi.runtime.serializeFunction(() => provider)` and stores the result in the `__provider`
 * input of every resource; the engine's dynamic-provider host loads that text with
 * `require-from-string` in a separate Node process, calls `.handler()` to get this object, then
 * `configure({config})` once, then check/diff/create/read/update/delete. Hence:
 * - a plain object literal, no `this` (the serializer rebinds it), no captured clients or SDK
 *   modules: only plain functions from this folder and plain numbers (the tuning);
 * - the token is read from the configure slot or the environment inside each method (token.ts);
 * - node built-ins would be `require`d inside methods (none are needed: fetch is global).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { clientFor, DEFAULT_TUNING, ProviderTuning } from "./context";
import { createApplication } from "./create";
import { AppState, diffSpec } from "./plan";
import { AppSpec, normalizeSpec } from "./spec";
import { deleteApplication, readApplication, updateApplication } from "./sync";
import { rememberConfiguredToken } from "./token";

/** Builds the provider. Tests pass short timings; the resource uses the defaults. */
export function createDokployProvider(tuning: Partial<ProviderTuning> = {}): dynamic.ResourceProvider {
    const t: ProviderTuning = { ...DEFAULT_TUNING, ...tuning };
    return {
        async configure(req: dynamic.ConfigureRequest): Promise<void> {
            rememberConfiguredToken(req.config);
        },

        async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<dynamic.CheckResult> {
            const { spec, failures } = normalizeSpec(news);
            return { inputs: { ...spec }, failures };
        },

        async diff(_id: string, olds: Partial<AppState>, news: AppSpec): Promise<dynamic.DiffResult> {
            // Local only: no API calls, so previews are free and work without a token.
            const d = diffSpec(olds, news);
            return { changes: d.changes.length > 0, replaces: d.replaces, deleteBeforeReplace: false };
        },

        async create(inputs: AppSpec & { __provider?: unknown }): Promise<dynamic.CreateResult> {
            const client = clientFor(inputs.serverUrl, t);
            const { id, outs } = await createApplication(client, inputs, t, inputs.__provider);
            return { id, outs };
        },

        async read(id: string, props?: Partial<AppState>): Promise<dynamic.ReadResult> {
            const p = props ?? {};
            if (!p.serverUrl) throw new Error(`Dokploy application ${id}: state has no serverUrl; cannot refresh`);
            const state = await readApplication(clientFor(p.serverUrl, t), id, p);
            // An empty id tells the engine the resource is gone.
            return state ? { id, props: state } : { id: "", props: {} };
        },

        async update(
            id: string,
            olds: AppState,
            news: AppSpec & { __provider?: unknown },
        ): Promise<dynamic.UpdateResult> {
            const outs = await updateApplication(clientFor(news.serverUrl, t), id, olds, news, t, news.__provider);
            return { outs };
        },

        async delete(id: string, props: Partial<AppState>): Promise<void> {
            if (!props.serverUrl) throw new Error(`Dokploy application ${id}: state has no serverUrl; cannot delete`);
            await deleteApplication(clientFor(props.serverUrl, t), id, props);
        },
    };
}

/** The provider every DokployApplication uses. */
export const dokployProvider = createDokployProvider();
