import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { invitationsRouter } from "./routers/invitations";
import { membersRouter } from "./routers/members";
import { orgsRouter } from "./routers/orgs";
import { tenantsRouter } from "./routers/tenants";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  account: accountRouter,
  orgs: orgsRouter,
  members: membersRouter,
  invitations: invitationsRouter,
  audit: auditRouter,
  tenants: tenantsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
