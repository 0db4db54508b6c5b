import {
  AddCiRelationInput,
  CmdbExport,
  CmdbExportInput,
  CmdbImportApplied,
  CmdbImportApplyInput,
  CmdbImportPreview,
  CmdbImportPreviewInput,
  PlatformCmdbExportInput,
  PlatformCmdbImportApplyInput,
  PlatformCmdbImportPreviewInput,
  ChangeFeedInput,
  CiChangePage,
  CiRelationRef,
  CiTypeView,
  ConfigItemDetail,
  ConfigItemPage,
  ConfigItemRef,
  ConfigItemView,
  CreateConfigItemInput,
  CreatePlatformConfigItemInput,
  ImpactInput,
  ImpactView,
  ItemAtInput,
  ItemAtView,
  ItemHistoryInput,
  ListAllConfigItemsInput,
  ListConfigItemsInput,
  OrgInput,
  PlatformAddCiRelationInput,
  PlatformChangeFeedInput,
  PlatformConfigItemRef,
  PlatformImpactInput,
  PlatformItemAtInput,
  PlatformItemHistoryInput,
  PlatformRemoveCiRelationInput,
  PlatformUpdateConfigItemInput,
  RemoveCiRelationInput,
  UpdateConfigItemInput,
} from "@wharf/contracts";
import { CreateCiTypeInput, UpdateCiTypeInput } from "@wharf/contracts/server";
import { cmdb } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, orgProcedure, router } from "../trpc";

// A tenant sees its organisation's items (row-level security); an operator sees every item.
const tenantViewer = (scope: { orgId: string; actor: cmdb.CmdbViewer["actor"] }): cmdb.CmdbViewer => ({ orgId: scope.orgId, actor: scope.actor });
const platformViewer = (actor: cmdb.CmdbViewer["actor"]): cmdb.CmdbViewer => ({ orgId: null, actor });

export const cmdbRouter = router({
  types: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(OrgInput)
    .output(z.array(CiTypeView))
    .query(() => cmdb.listCiTypes()),

  list: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(ListConfigItemsInput)
    .output(ConfigItemPage)
    .query(({ ctx, input }) => cmdb.listConfigItems(tenantViewer(ctx.scope), input)),

  item: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(ConfigItemRef)
    .output(ConfigItemDetail)
    .query(({ ctx, input }) => cmdb.getConfigItem(tenantViewer(ctx.scope), input.itemId)),

  history: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(ItemHistoryInput)
    .output(CiChangePage)
    .query(({ ctx, input }) => cmdb.getItemHistory(tenantViewer(ctx.scope), input)),

  itemAt: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(ItemAtInput)
    .output(ItemAtView)
    .query(({ ctx, input }) => cmdb.getItemAt(tenantViewer(ctx.scope), input)),

  changes: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(ChangeFeedInput)
    .output(CiChangePage)
    .query(({ ctx, input }) => cmdb.listCmdbChanges(tenantViewer(ctx.scope), input)),

  impact: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(ImpactInput)
    .output(ImpactView)
    .query(({ ctx, input }) => cmdb.analyzeImpact(tenantViewer(ctx.scope), input)),

  create: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(CreateConfigItemInput)
    .output(ConfigItemView)
    .mutation(({ ctx, input }) => cmdb.createConfigItem(ctx.scope, input)),

  update: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(UpdateConfigItemInput)
    .output(ConfigItemView)
    .mutation(({ ctx, input }) => cmdb.updateConfigItem(tenantViewer(ctx.scope), input)),

  retire: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(ConfigItemRef)
    .output(ConfigItemView)
    .mutation(({ ctx, input }) => cmdb.retireConfigItem(tenantViewer(ctx.scope), input.itemId)),

  relate: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(AddCiRelationInput)
    .output(CiRelationRef)
    .mutation(({ ctx, input }) => cmdb.addCiRelation(tenantViewer(ctx.scope), input)),

  unrelate: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(RemoveCiRelationInput)
    .output(CiRelationRef)
    .mutation(({ ctx, input }) => cmdb.removeCiRelation(tenantViewer(ctx.scope), input)),

  /** Reads and checks a CSV or JSON file; writes nothing. */
  importPreview: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(CmdbImportPreviewInput)
    .output(CmdbImportPreview)
    .mutation(({ ctx, input }) => cmdb.previewCmdbImport(tenantViewer(ctx.scope), input)),

  /** Writes one batch of previewed rows. */
  importApply: orgProcedure
    .meta({ permission: "cmdb.write" })
    .input(CmdbImportApplyInput)
    .output(CmdbImportApplied)
    .mutation(({ ctx, input }) => cmdb.applyCmdbImport(tenantViewer(ctx.scope), input)),

  export: orgProcedure
    .meta({ permission: "cmdb.read" })
    .input(CmdbExportInput)
    .output(CmdbExport)
    .query(({ ctx, input }) => cmdb.exportConfigItems(tenantViewer(ctx.scope), input, input.format)),

  // Operators: every item, platform-wide ones among them, and the types.
  platformTypes: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(z.void())
    .output(z.array(CiTypeView))
    .query(() => cmdb.listCiTypes()),

  createType: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(CreateCiTypeInput)
    .output(CiTypeView)
    .mutation(({ input }) => cmdb.createCiType(input)),

  updateType: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(UpdateCiTypeInput)
    .output(CiTypeView)
    .mutation(({ input }) => cmdb.updateCiType(input)),

  platformList: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(ListAllConfigItemsInput)
    .output(ConfigItemPage)
    .query(({ ctx, input }) => cmdb.listConfigItems(platformViewer(ctx.actor), input)),

  platformItem: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(PlatformConfigItemRef)
    .output(ConfigItemDetail)
    .query(({ ctx, input }) => cmdb.getConfigItem(platformViewer(ctx.actor), input.itemId)),

  platformHistory: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(PlatformItemHistoryInput)
    .output(CiChangePage)
    .query(({ ctx, input }) => cmdb.getItemHistory(platformViewer(ctx.actor), input)),

  platformItemAt: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(PlatformItemAtInput)
    .output(ItemAtView)
    .query(({ ctx, input }) => cmdb.getItemAt(platformViewer(ctx.actor), input)),

  platformChanges: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(PlatformChangeFeedInput)
    .output(CiChangePage)
    .query(({ ctx, input }) => cmdb.listCmdbChanges(platformViewer(ctx.actor), input)),

  platformImpact: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(PlatformImpactInput)
    .output(ImpactView)
    .query(({ ctx, input }) => cmdb.analyzeImpact(platformViewer(ctx.actor), input)),

  platformCreate: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(CreatePlatformConfigItemInput)
    .output(ConfigItemView)
    .mutation(({ ctx, input }) => cmdb.createPlatformConfigItem(ctx.actor, input)),

  platformUpdate: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(PlatformUpdateConfigItemInput)
    .output(ConfigItemView)
    .mutation(({ ctx, input }) => cmdb.updateConfigItem(platformViewer(ctx.actor), input)),

  platformRetire: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(PlatformConfigItemRef)
    .output(ConfigItemView)
    .mutation(({ ctx, input }) => cmdb.retireConfigItem(platformViewer(ctx.actor), input.itemId)),

  platformImportPreview: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(PlatformCmdbImportPreviewInput)
    .output(CmdbImportPreview)
    .mutation(({ ctx, input }) => cmdb.previewCmdbImport(platformViewer(ctx.actor), input)),

  platformImportApply: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(PlatformCmdbImportApplyInput)
    .output(CmdbImportApplied)
    .mutation(({ ctx, input }) => cmdb.applyCmdbImport(platformViewer(ctx.actor), input)),

  platformExport: operatorProcedure
    .meta({ permission: "platform-cmdb.read" })
    .input(PlatformCmdbExportInput)
    .output(CmdbExport)
    .query(({ ctx, input }) => cmdb.exportConfigItems(platformViewer(ctx.actor), input, input.format)),

  platformRelate: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(PlatformAddCiRelationInput)
    .output(CiRelationRef)
    .mutation(({ ctx, input }) => cmdb.addCiRelation(platformViewer(ctx.actor), input)),

  platformUnrelate: operatorProcedure
    .meta({ permission: "platform-cmdb.manage" })
    .input(PlatformRemoveCiRelationInput)
    .output(CiRelationRef)
    .mutation(({ ctx, input }) => cmdb.removeCiRelation(platformViewer(ctx.actor), input)),
});
