// Every procedure the fake implements, keyed by canonical name. Procedures that exist in the
// OpenAPI document but not here answer 500 "not implemented" (see server.ts).
import type { ProcedureMap } from "./context";
import { applicationProcedures } from "./application";
import { deploymentProcedures } from "./deployment";
import { dockerProcedures } from "./docker";
import { domainProcedures } from "./domain";
import { environmentProcedures } from "./environment";
import { portProcedures } from "./port";
import { projectProcedures } from "./project";
import { settingsProcedures } from "./settings";

export const procedures: ProcedureMap = {
    ...projectProcedures,
    ...environmentProcedures,
    ...applicationProcedures,
    ...domainProcedures,
    ...portProcedures,
    ...deploymentProcedures,
    ...settingsProcedures,
    ...dockerProcedures,
};

export { EMPTY_BODY, type ProcedureContext } from "./context";
