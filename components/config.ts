/**
 * The stack config schema and its validation (pure). See config/ for the parts:
 * schema (types), keys (the catalogue), rules (value checks), rawConfig (sources), validate.
 */
export * from "./config/schema";
export * from "./config/keys";
export * from "./config/rawConfig";
export * from "./config/validate";
export * from "./config/appEnv";
export { AWS_REGIONS } from "./config/regions";
