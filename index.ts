/**
 * One environment of nextstack-saas-starter; the stack name (dev, qa, prod) picks which.
 * Config is validated before anything is registered: a broken stack fails with every problem
 * and its fix command, and creates nothing.
 */
import { ConfigError, validateStackConfig } from "./components/config";
import { fromPulumiRuntime } from "./components/config/runtimeConfig";
import { Environment } from "./components/environment";

const result = validateStackConfig(fromPulumiRuntime());
if (!result.ok) throw new ConfigError(result.problems);
const config = result.config;

const env = new Environment(config.environment, { config });

// The promotion tooling reads these names; none of them is secret.
export const environment = config.environment;
export const accountId = env.accountId;
export const region = config.aws.region;
export const ecrRepositoryUrl = env.registry.repositoryUrl;
export const image = env.image;
export const imageDigest = env.imageDigest;
/** After a fresh account's first `up`: push the first image, then promote ("none" once deployed). */
export const nextStep = env.nextStep;
export const imageTag = config.imageTag;
export const pushRoleArn = env.oidc.pushRoleArn;
export const previewRoleArn = env.oidc.previewRoleArn;
export const bucketName = env.assets.bucketName;
export const runtimeUserName = env.runtime.userName;
export const activeAccessKeyId = env.runtime.activeAccessKeyId;
export const dokployApplicationId = env.application.applicationId;
export const dokployAppName = env.application.appName;
export const appUrl = env.appUrl;
export const healthUrl = env.healthUrl;
export const deploymentStatus = env.application.lastDeploymentStatus;
export const deploymentId = env.application.lastDeploymentId;
