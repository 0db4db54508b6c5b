import { accountRouter } from "./routers/account";
import { appsRouter } from "./routers/apps";
import { auditRouter } from "./routers/audit";
import { catalogRouter } from "./routers/catalog";
import { clustersRouter } from "./routers/clusters";
import { invitationsRouter } from "./routers/invitations";
import { membersRouter } from "./routers/members";
import { orgsRouter } from "./routers/orgs";
import { spacesRouter } from "./routers/spaces";
import { tenantsRouter } from "./routers/tenants";
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
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
