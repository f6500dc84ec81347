/**
 * A value known from config that consumers must still treat as "after this resource exists".
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * `value`, carrying a dependency on `resource`: a consumer that takes it as an input is ordered
 * after the resource, as with the resource's own output, but the value never comes from the
 * provider, so it is known at preview time and is never undefined under mocks. The URN resolves
 * once the engine has created or updated the resource.
 */
export function knownAfter(resource: pulumi.Resource, value: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([resource.urn, value]).apply(([, v]) => v);
}
