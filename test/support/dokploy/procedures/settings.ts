// settings.getDokployVersion → the JSON string "v0.25.6" / "v0.30.2" (packageInfo.version).
import type { ProcedureMap } from "./context";

export const settingsProcedures: ProcedureMap = {
    "settings.getDokployVersion": (ctx) => ctx.version,
};
