import {
  AppPage,
  AppRevisionPage,
  AppSummary,
  CatalogItemDetail,
  CatalogItemPage,
  RestAppPath,
  RestCatalogPath,
  RestConfigureAppBody,
  RestDeployAppBody,
  RestListAppsQuery,
  RestListCatalogQuery,
  RestRevisionsQuery,
  RestRollbackAppBody,
  RestScaleAppBody,
  RestServicePath,
  RestSlaQuery,
  SlaSummary,
  SlaSummaryPage,
  RestSpacesQuery,
  SpacePage,
  RestUsageQuery,
  UsageReport,
} from "@wharf/contracts";
import { AppError, apps, catalog, slo, spaces, usage } from "@wharf/core";
import { autoscalingRoutes } from "./autoscaling-routes";
import { cmdbRoutes } from "./cmdb-routes";
import { incidentsRoutes } from "./incidents-routes";
import { GATE_NOTE, checkAppInKeySpace, spaceFilter } from "./app-guards";
import { releasesRoutes } from "./releases-routes";
import { type RestRoute, defineRoute } from "./rest-route";

const catalogRoutes = [
  defineRoute({
    method: "GET",
    path: "/catalog",
    operationId: "listCatalogItems",
    summary: "List the catalog items your organisation can deploy",
    tag: "Catalog",
    scope: "catalog:read",
    query: RestListCatalogQuery,
    response: { name: "CatalogItemPage", schema: CatalogItemPage },
    status: 200,
    handle: ({ scope, query }) => catalog.listCatalog(scope, { orgId: scope.orgId, ...query }),
  }),
  defineRoute({
    method: "GET",
    path: "/catalog/{slug}",
    operationId: "getCatalogItem",
    summary: "Get a catalog item by its slug, with its versions and their parameter schemas",
    tag: "Catalog",
    scope: "catalog:read",
    params: RestCatalogPath,
    response: { name: "CatalogItemDetail", schema: CatalogItemDetail },
    status: 200,
    handle: ({ scope, params }) => catalog.getCatalogItem(scope, { orgId: scope.orgId, slug: params.slug }),
  }),
];

const spaceRoutes = [
  defineRoute({
    method: "GET",
    path: "/spaces",
    operationId: "listSpaces",
    summary: "List the spaces you can deploy into, oldest first",
    tag: "Spaces",
    scope: "apps:read",
    query: RestSpacesQuery,
    response: { name: "SpacePage", schema: SpacePage },
    status: 200,
    handle: async ({ principal, scope, query }) => {
      // An organisation has few spaces (core returns at most 100); pages are cut from them.
      const all = (await spaces.listSpaces(scope)).filter((s) => !principal.spaceId || s.id === principal.spaceId);
      const rest = query.cursor ? all.slice(all.findIndex((s) => s.id === query.cursor) + 1) : all;
      const items = rest.slice(0, query.limit);
      return { items, nextCursor: rest.length > query.limit ? items[items.length - 1]!.id : null };
    },
  }),
];

const appRoutes = [
  defineRoute({
    method: "GET",
    path: "/apps",
    operationId: "listApps",
    summary: "List your apps, newest first",
    tag: "Apps",
    scope: "apps:read",
    query: RestListAppsQuery,
    response: { name: "AppPage", schema: AppPage },
    status: 200,
    handle: ({ principal, scope, query }) => apps.listApps(scope, { orgId: scope.orgId, ...query, spaceId: spaceFilter(principal, query.spaceId) }),
  }),
  defineRoute({
    method: "POST",
    path: "/apps",
    operationId: "deployApp",
    summary: "Deploy a published catalog version into one of your spaces",
    description:
      "Parameters are checked against the version's parameter schema and the space's quota before anything is stored. The app then converges in the background: poll `GET /apps/{appId}` for its phase. " +
      GATE_NOTE,
    tag: "Apps",
    scope: "apps:write",
    body: RestDeployAppBody,
    response: { name: "AppSummary", schema: AppSummary },
    status: 201,
    handle: ({ principal, scope, body }) => apps.deployApp(scope, { orgId: scope.orgId, ...body, spaceId: spaceFilter(principal, body.spaceId)! }),
  }),
  defineRoute({
    method: "GET",
    path: "/apps/{appId}",
    operationId: "getApp",
    summary: "Get an app and its current phase",
    tag: "Apps",
    scope: "apps:read",
    params: RestAppPath,
    response: { name: "AppSummary", schema: AppSummary },
    status: 200,
    handle: async ({ principal, scope, params }) => {
      const app = await apps.getApp(scope, { orgId: scope.orgId, appId: params.appId });
      if (principal.spaceId && app.space.id !== principal.spaceId) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
      return app;
    },
  }),
  defineRoute({
    method: "POST",
    path: "/apps/{appId}/scale",
    operationId: "scaleApp",
    summary: "Set the number of replicas",
    tag: "Apps",
    scope: "apps:write",
    params: RestAppPath,
    body: RestScaleAppBody,
    response: { name: "AppSummary", schema: AppSummary },
    status: 200,
    handle: async ({ principal, scope, params, body }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return apps.scaleApp(scope, { orgId: scope.orgId, appId: params.appId, replicas: body.replicas });
    },
  }),
  defineRoute({
    method: "PUT",
    path: "/apps/{appId}/params",
    operationId: "updateAppParams",
    summary: "Replace the app's parameters",
    description: "The parameters are checked against the running version's parameter schema; missing ones take their defaults. Creates a new revision. " + GATE_NOTE,
    tag: "Apps",
    scope: "apps:write",
    params: RestAppPath,
    body: RestConfigureAppBody,
    response: { name: "AppSummary", schema: AppSummary },
    status: 200,
    handle: async ({ principal, scope, params, body }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return apps.configureApp(scope, { orgId: scope.orgId, appId: params.appId, params: body.params, override: body.override });
    },
  }),
  defineRoute({
    method: "DELETE",
    path: "/apps/{appId}",
    operationId: "deleteApp",
    summary: "Delete the app",
    description: "Accepted at once; the app's objects are removed from the cluster in the background and the app disappears from the list when they are gone.",
    tag: "Apps",
    scope: "apps:write",
    params: RestAppPath,
    response: { name: "AppSummary", schema: AppSummary },
    status: 202,
    handle: async ({ principal, scope, params }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return apps.deleteApp(scope, { orgId: scope.orgId, appId: params.appId });
    },
  }),
  defineRoute({
    method: "GET",
    path: "/apps/{appId}/revisions",
    operationId: "listAppRevisions",
    summary: "List the app's revisions, newest first",
    tag: "Apps",
    scope: "apps:read",
    params: RestAppPath,
    query: RestRevisionsQuery,
    response: { name: "AppRevisionPage", schema: AppRevisionPage },
    status: 200,
    handle: async ({ principal, scope, params, query }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      // Core returns the newest 100 revisions; pages are cut from them by revision number.
      const below = query.cursor ? Number(query.cursor) : Infinity;
      const rest = (await apps.listAppRevisions(scope, { orgId: scope.orgId, appId: params.appId })).filter((r) => r.n < below);
      const items = rest.slice(0, query.limit);
      return { items, nextCursor: rest.length > query.limit ? String(items[items.length - 1]!.n) : null };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/apps/{appId}/rollback",
    operationId: "rollbackApp",
    summary: "Run an earlier revision's version and parameters again",
    tag: "Apps",
    scope: "apps:write",
    params: RestAppPath,
    body: RestRollbackAppBody,
    response: { name: "AppSummary", schema: AppSummary },
    status: 200,
    handle: async ({ principal, scope, params, body }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return apps.rollbackApp(scope, { orgId: scope.orgId, appId: params.appId, revision: body.revision });
    },
  }),
];

const slaRoutes = [
  defineRoute({
    method: "GET",
    path: "/sla",
    operationId: "listServiceSlas",
    summary: "Your services' SLAs: each service's SLOs with the current SLI, error budget left and open alerts",
    tag: "SLA",
    scope: "sla:read",
    query: RestSlaQuery,
    response: { name: "SlaSummaryPage", schema: SlaSummaryPage },
    status: 200,
    handle: ({ scope, query }) => slo.listSlaSummaries(scope, query),
  }),
  defineRoute({
    method: "GET",
    path: "/sla/{serviceId}",
    operationId: "getServiceSla",
    summary: "One service's SLA",
    tag: "SLA",
    scope: "sla:read",
    params: RestServicePath,
    response: { name: "SlaSummary", schema: SlaSummary },
    status: 200,
    handle: ({ scope, params }) => slo.getServiceSla(scope, { serviceId: params.serviceId }),
  }),
];

const usageRoutes = [
  defineRoute({
    method: "GET",
    path: "/usage",
    operationId: "getUsage",
    summary: "Your organisation's API traffic: requests by status class, latency, and per endpoint",
    tag: "Usage",
    scope: "usage:read",
    query: RestUsageQuery,
    response: { name: "UsageReport", schema: UsageReport },
    status: 200,
    handle: ({ scope, query }) => usage.getUsage(scope, { orgId: scope.orgId, ...query }),
  }),
];

export const restRoutes: RestRoute[] = [...catalogRoutes, ...spaceRoutes, ...appRoutes, ...slaRoutes, ...usageRoutes, ...cmdbRoutes, ...incidentsRoutes, ...releasesRoutes, ...autoscalingRoutes];
