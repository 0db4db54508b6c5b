import { accountRouter } from "./routers/account";
import { appsRouter } from "./routers/apps";
import { releasesRouter } from "./routers/releases";
import { auditRouter } from "./routers/audit";
import { automationRouter } from "./routers/automation";
import { autoscalingRouter } from "./routers/autoscaling";
import { catalogRouter } from "./routers/catalog";
import { clustersRouter } from "./routers/clusters";
import { cmdbRouter } from "./routers/cmdb";
import { deployGateRouter } from "./routers/deploy-gate";
import { incidentsRouter } from "./routers/incidents";
import { invitationsRouter } from "./routers/invitations";
import { membersRouter } from "./routers/members";
import { orgsRouter } from "./routers/orgs";
import { overviewRouter } from "./routers/overview";
import { spacesRouter } from "./routers/spaces";
import { tenantsRouter } from "./routers/tenants";
import { keysRouter } from "./routers/keys";
import { partnersRouter } from "./routers/partners";
import { usageRouter } from "./routers/usage";
import { telemetryRouter } from "./routers/telemetry";
import { sloRouter } from "./routers/slo";
import { topologyRouter } from "./routers/topology";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  orgs: orgsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  audit: auditRouter,
  tenants: tenantsRouter,
  clusters: clustersRouter,
  spaces: spacesRouter,
  catalog: catalogRouter,
  apps: appsRouter,
  autoscaling: autoscalingRouter,
  releases: releasesRouter,
  keys: keysRouter,
  partners: partnersRouter,
  usage: usageRouter,
  telemetry: telemetryRouter,
  slo: sloRouter,
  topology: topologyRouter,
  cmdb: cmdbRouter,
  incidents: incidentsRouter,
  overview: overviewRouter,
  automation: automationRouter,
  deployGate: deployGateRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
