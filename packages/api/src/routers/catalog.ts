import {
  CatalogCategoriesInput,
  CatalogItemDetail,
  CatalogItemInput,
  CatalogItemPage,
  CatalogItemSummary,
  CatalogReviewPage,
  CatalogVersionInput,
  CatalogVersionView,
  CreateCatalogItemInput,
  GetCatalogItemInput,
  ListAllCatalogItemsInput,
  ListCatalogInput,
  ListMyCatalogItemsInput,
  OperatorCatalogItemInput,
  RejectVersionInput,
  ReviewQueueInput,
  ReviewVersionInput,
} from "@wharf/contracts";
import { AddCatalogVersionInput } from "@wharf/contracts/server";
import { catalog } from "@wharf/core";
import { z } from "zod";
import { operatorProcedure, orgProcedure, router } from "../trpc";

/** Operators: the review queue, decisions, and deprecation of any item. */
const reviewRouter = router({
  queue: operatorProcedure
    .meta({ permission: "catalog.review" })
    .input(ReviewQueueInput)
    .output(CatalogReviewPage)
    .query(({ input }) => catalog.listReviewQueue(input)),

  items: operatorProcedure
    .meta({ permission: "catalog.review" })
    .input(ListAllCatalogItemsInput)
    .output(CatalogItemPage)
    .query(({ input }) => catalog.listAllCatalogItems(input)),

  approve: operatorProcedure
    .meta({ permission: "catalog.review" })
    .input(ReviewVersionInput)
    .output(CatalogVersionView)
    .mutation(({ ctx, input }) => catalog.approveVersion(ctx.actor, input)),

  reject: operatorProcedure
    .meta({ permission: "catalog.review" })
    .input(RejectVersionInput)
    .output(CatalogVersionView)
    .mutation(({ ctx, input }) => catalog.rejectVersion(ctx.actor, input)),

  deprecate: operatorProcedure
    .meta({ permission: "catalog.review" })
    .input(OperatorCatalogItemInput)
    .output(CatalogItemSummary)
    .mutation(({ ctx, input }) => catalog.deprecateAnyCatalogItem(ctx.actor, input)),
});

/** Tenants browse; their admins publish. `orgId` is the organisation acting, as viewer or publisher. */
export const catalogRouter = router({
  list: orgProcedure
    .meta({ permission: "catalog.read" })
    .input(ListCatalogInput)
    .output(CatalogItemPage)
    .query(({ ctx, input }) => catalog.listCatalog(ctx.scope, input)),

  categories: orgProcedure
    .meta({ permission: "catalog.read" })
    .input(CatalogCategoriesInput)
    .output(z.array(z.string()))
    .query(({ ctx, input }) => catalog.listCatalogCategories(ctx.scope, input)),

  get: orgProcedure
    .meta({ permission: "catalog.read" })
    .input(GetCatalogItemInput)
    .output(CatalogItemDetail)
    .query(({ ctx, input }) => catalog.getCatalogItem(ctx.scope, input)),

  mine: orgProcedure
    .meta({ permission: "catalog.publish" })
    .input(ListMyCatalogItemsInput)
    .output(CatalogItemPage)
    .query(({ ctx, input }) => catalog.listMyCatalogItems(ctx.scope, input)),

  createItem: orgProcedure
    .meta({ permission: "catalog.publish" })
    .input(CreateCatalogItemInput)
    .output(CatalogItemDetail)
    .mutation(({ ctx, input }) => catalog.createCatalogItem(ctx.scope, input)),

  addVersion: orgProcedure
    .meta({ permission: "catalog.publish" })
    .input(AddCatalogVersionInput)
    .output(CatalogVersionView)
    .mutation(({ ctx, input }) => catalog.addCatalogVersion(ctx.scope, input)),

  submit: orgProcedure
    .meta({ permission: "catalog.publish" })
    .input(CatalogVersionInput)
    .output(CatalogVersionView)
    .mutation(({ ctx, input }) => catalog.submitForReview(ctx.scope, input)),

  deprecate: orgProcedure
    .meta({ permission: "catalog.publish" })
    .input(CatalogItemInput)
    .output(CatalogItemSummary)
    .mutation(({ ctx, input }) => catalog.deprecateCatalogItem(ctx.scope, input)),

  review: reviewRouter,
});
