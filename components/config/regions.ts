/**
 * The AWS regions a stack may name. The one list is the AWS provider's own `Region` enum (the
 * values `aws.Provider` accepts), read from its plain-data module so `--plan` stays offline
 * and never loads the Pulumi SDK.
 */
import { Region } from "@pulumi/aws/types/enums";
import { closest } from "./suggest";

export const AWS_REGIONS: readonly string[] = [...new Set(Object.values(Region))].sort();

export function region(v: string): string | undefined {
    if (AWS_REGIONS.includes(v)) return undefined;
    const near = closest(v, AWS_REGIONS);
    return `"${v}" is not an AWS region${near ? ` (did you mean ${near}?)` : " such as us-west-2"}`;
}
