import type { CatalogPort, CatalogProbes, CatalogResources } from "@wharf/contracts";
import { type Tx, withPlatform, withTenant } from "@wharf/db";
import { AppError } from "../errors";
import { catalogRepository as repo } from "./catalog-repository";
import { latestOf, toVersionView } from "./catalog-view";

export interface DeployableVersion {
  item: { id: string; slug: string; name: string; icon: string };
  version: {
    id: string;
    version: string;
    image: string;
    paramsSchema: Record<string, unknown>;
    defaults: Record<string, unknown>;
    ports: CatalogPort[];
    probes: CatalogProbes;
    resources: CatalogResources;
    dependsOn: string[];
  };
}

const NOT_FOUND = "No published catalog version with this id that your organisation can deploy";

/**
 * The version a tenant may deploy or upgrade to: published, of an item that is
 * published and visible to the organisation. Pass `tx` to read inside the
 * caller's transaction (catalog rows carry no tenant scope of their own).
 */
export async function findDeployableVersion(orgId: string, versionId: string, tx?: Tx): Promise<DeployableVersion> {
  const run = async (tx: Tx): Promise<DeployableVersion> => {
    const found = await repo.findVersion(tx, versionId);
    const item = found?.item;
    const visible = item && (item.publisherOrgId === orgId || item.visibility === "PUBLIC" || item.allowedOrgIds.includes(orgId));
    if (!found || !item || !visible) throw new AppError("CATALOG_VERSION_NOT_FOUND", NOT_FOUND);
    if (item.status === "DEPRECATED" || found.status === "DEPRECATED") {
      throw new AppError(
        "CATALOG_VERSION_NOT_FOUND",
        `${item.name} ${found.version} is deprecated: apps already running it keep running, but it cannot be deployed or upgraded to. Choose another catalog item.`,
      );
    }
    if (item.status !== "PUBLISHED" || found.status !== "PUBLISHED") throw new AppError("CATALOG_VERSION_NOT_FOUND", NOT_FOUND);
    const { id, version, image, paramsSchema, defaults, ports, probes, resources, dependsOn } = toVersionView(found);
    return {
      item: { id: item.id, slug: item.slug, name: item.name, icon: item.icon },
      version: { id, version, image, paramsSchema, defaults, ports, probes, resources, dependsOn },
    };
  };
  return tx ? run(tx) : withTenant(orgId, run);
}

/**
 * The highest published version of each item (by semantic version), for "a
 * newer version is available". Deprecated items have none. With `orgId`, only
 * items that organisation may still see.
 */
export async function latestPublishedVersions(
  itemIds: string[],
  options: { orgId?: string; tx?: Tx } = {},
): Promise<Map<string, { id: string; version: string }>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const run = (tx: Tx) => repo.publishedVersionsOf(tx, ids, options.orgId);
  const rows = options.tx ? await run(options.tx) : options.orgId ? await withTenant(options.orgId, run) : await withPlatform("catalog: latest published versions", run);
  const byItem = new Map<string, typeof rows>();
  for (const row of rows) byItem.set(row.itemId, [...(byItem.get(row.itemId) ?? []), row]);
  const latest = new Map<string, { id: string; version: string }>();
  for (const [itemId, versions] of byItem) {
    const best = latestOf(versions);
    if (best) latest.set(itemId, { id: best.id, version: best.version });
  }
  return latest;
}
