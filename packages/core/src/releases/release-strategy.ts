import {
  AppReleaseInput,
  DEFAULT_RELEASE_STRATEGY,
  ReleaseStrategy,
  type ReleaseStrategyView,
  SetAppReleaseStrategyInput,
  SetCatalogReleaseStrategyInput,
} from "@wharf/contracts";
import { type Prisma, type Tx, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { appsRepository } from "../apps/apps-repository";
import { catalogRepository } from "../catalog/catalog-repository";
import { releasesRepository as repo } from "./releases-repository";

/** A stored strategy, or null when there is none (or it no longer parses: the next default applies). */
function stored(value: unknown): ReleaseStrategy | null {
  const parsed = ReleaseStrategy.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The strategy a canary of the app runs when its start names none: the app's, its catalog item's, or Wharf's. */
export async function defaultStrategyOf(tx: Tx, appId: string): Promise<ReleaseStrategyView> {
  const row = await repo.strategiesOf(tx, appId);
  const own = stored(row?.releaseStrategy);
  if (own) return { strategy: own, source: "app" };
  const item = stored(row?.catalogVersion.item.releaseStrategy);
  if (item) return { strategy: item, source: "catalog" };
  return { strategy: DEFAULT_RELEASE_STRATEGY, source: "platform" };
}

export async function getReleaseStrategy(scope: TenantScope, input: AppReleaseInput): Promise<ReleaseStrategyView> {
  const { appId } = AppReleaseInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    if (!(await appsRepository.find(tx, scope.orgId, appId))) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
    return defaultStrategyOf(tx, appId);
  });
}

export async function setAppReleaseStrategy(scope: TenantScope, input: SetAppReleaseStrategyInput): Promise<ReleaseStrategyView> {
  const { appId, strategy } = SetAppReleaseStrategyInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const app = await appsRepository.find(tx, scope.orgId, appId);
    if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
    const before = await defaultStrategyOf(tx, appId);
    await repo.setAppStrategy(tx, appId, strategy as Prisma.InputJsonValue | null);
    const after = await defaultStrategyOf(tx, appId);
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "releases.strategy", target: { type: "app", id: appId }, before, after });
    return after;
  });
}

/** Only the publishing organisation sets its item's default; apps with their own keep theirs. */
export async function setCatalogReleaseStrategy(scope: TenantScope, input: SetCatalogReleaseStrategyInput): Promise<ReleaseStrategy> {
  const { itemId, strategy } = SetCatalogReleaseStrategyInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const item = await catalogRepository.findOwnItem(tx, scope.orgId, itemId);
    if (!item) throw new AppError("CATALOG_ITEM_NOT_FOUND", "No catalog item with this id published by your organisation");
    const before = await repo.setCatalogStrategy(tx, itemId, strategy as Prisma.InputJsonValue | null);
    await recordAuditEvent(tx, {
      actor: scope.actor,
      orgId: scope.orgId,
      action: "catalog.release-strategy",
      target: { type: "catalog_item", id: itemId },
      before: { strategy: stored(before) },
      after: { strategy },
    });
    return strategy ?? DEFAULT_RELEASE_STRATEGY;
  });
}
