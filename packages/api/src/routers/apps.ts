import {
  AppInput,
  AppLogsInput,
  AppPage,
  AppRevisionView,
  AppStatus,
  AppSummary,
  ConfigureAppInput,
  DeployAppInput,
  Deployable,
  DeployableInput,
  ListAppsInput,
  RollbackAppInput,
  ScaleAppInput,
  UpgradeAppInput,
} from "@wharf/contracts";
import { apps } from "@wharf/core";
import { z } from "zod";
import { orgProcedure, router } from "../trpc";

/** Poll period of the progress stream; the informers keep the rows it reads current. */
const PROGRESS_INTERVAL_MS = 500;

export const appsRouter = router({
  list: orgProcedure
    .meta({ permission: "apps.read" })
    .input(ListAppsInput)
    .output(AppPage)
    .query(({ ctx, input }) => apps.listApps(ctx.scope, input)),

  get: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppInput)
    .output(AppSummary)
    .query(({ ctx, input }) => apps.getApp(ctx.scope, input)),

  /**
   * The app's status whenever it changes, over server-sent events, for as long
   * as the page is open: every later scale, upgrade or restart streams too.
   */
  progress: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppInput)
    .subscription(async function* ({ ctx, input, signal }) {
      let last = "";
      while (!signal?.aborted) {
        const app = await apps.getApp(ctx.scope, input);
        const key = JSON.stringify([app.phase, app.statusMessage, app.readyReplicas, app.updatedReplicas, app.availableReplicas, app.replicas, app.revision]);
        if (key !== last) {
          last = key;
          yield app;
        }
        await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS));
      }
    }),

  deployable: orgProcedure
    .meta({ permission: "apps.deploy" })
    .input(DeployableInput)
    .output(Deployable)
    .query(({ ctx, input }) => apps.getDeployable(ctx.scope, input)),

  revisions: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppInput)
    .output(z.array(AppRevisionView))
    .query(({ ctx, input }) => apps.listAppRevisions(ctx.scope, input)),

  status: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppInput)
    .output(AppStatus)
    .query(({ ctx, input }) => apps.getAppStatus(ctx.scope, input)),

  logs: orgProcedure
    .meta({ permission: "apps.read" })
    .input(AppLogsInput)
    .output(z.string())
    .query(({ ctx, input }) => apps.getAppLogs(ctx.scope, input)),

  deploy: orgProcedure
    .meta({ permission: "apps.deploy" })
    .input(DeployAppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.deployApp(ctx.scope, input)),

  scale: orgProcedure
    .meta({ permission: "apps.scale" })
    .input(ScaleAppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.scaleApp(ctx.scope, input)),

  configure: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(ConfigureAppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.configureApp(ctx.scope, input)),

  upgrade: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(UpgradeAppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.upgradeApp(ctx.scope, input)),

  restart: orgProcedure
    .meta({ permission: "apps.configure" })
    .input(AppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.restartApp(ctx.scope, input)),

  rollback: orgProcedure
    .meta({ permission: "apps.rollback" })
    .input(RollbackAppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.rollbackApp(ctx.scope, input)),

  delete: orgProcedure
    .meta({ permission: "apps.delete" })
    .input(AppInput)
    .output(AppSummary)
    .mutation(({ ctx, input }) => apps.deleteApp(ctx.scope, input)),
});
