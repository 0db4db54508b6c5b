import {
  CatalogPort,
  CatalogProbes,
  CatalogResources,
  compareSemver,
  DEFAULT_CONTAINER_REQUESTS,
  ReleaseStrategy,
  type CatalogItemDetail,
  type CatalogItemSummary,
  type CatalogVersionView,
} from "@wharf/contracts";
import { z } from "zod";
import type { CatalogItemRow, CatalogItemSummaryRow, CatalogVersionRow } from "./catalog-repository";

/** Who is looking: the publisher and operators see review comments and sharing; others do not. */
export type Viewer = { kind: "org"; orgId: string } | { kind: "operator" };

const JsonRecord = z.record(z.string(), z.unknown());
const stored = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
};

export function isPrivileged(viewer: Viewer, publisherOrgId: string): boolean {
  return viewer.kind === "operator" || viewer.orgId === publisherOrgId;
}

export function latestOf<T extends { version: string }>(versions: T[]): T | null {
  return versions.reduce<T | null>((best, v) => (!best || compareSemver(v.version, best.version) > 0 ? v : best), null);
}

export function toVersionView(row: CatalogVersionRow): CatalogVersionView {
  return {
    id: row.id,
    itemId: row.itemId,
    version: row.version,
    status: row.status,
    image: row.image,
    paramsSchema: stored(JsonRecord, row.paramsSchema, {}),
    defaults: stored(JsonRecord, row.defaults, {}),
    ports: stored(z.array(CatalogPort), row.ports, []),
    probes: stored(CatalogProbes, row.probes, {}),
    resources: stored(CatalogResources, row.resources, { ...DEFAULT_CONTAINER_REQUESTS }),
    dependsOn: row.dependsOn,
    releaseNotes: row.releaseNotes,
    createdAt: row.createdAt,
  };
}

export function toSummary(row: CatalogItemSummaryRow, publishers: Map<string, string>, viewer: Viewer): CatalogItemSummary {
  const latest = latestOf(row.versions);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    summary: row.summary,
    icon: row.icon,
    categories: row.categories,
    status: row.status,
    visibility: row.visibility,
    publisher: { id: row.publisherOrgId, name: publishers.get(row.publisherOrgId) ?? "Unknown publisher" },
    latestVersion: latest ? { id: latest.id, version: latest.version } : null,
    reviewComment: isPrivileged(viewer, row.publisherOrgId) ? row.reviewComment : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toDetail(row: CatalogItemRow, versions: CatalogVersionRow[], publishers: Map<string, string>, viewer: Viewer): CatalogItemDetail {
  const privileged = isPrivileged(viewer, row.publisherOrgId);
  return {
    ...toSummary(row, publishers, viewer),
    description: row.description,
    allowedOrgIds: privileged ? row.allowedOrgIds : [],
    versions: versions.map(toVersionView).sort((a, b) => compareSemver(b.version, a.version)),
    viewerIsPublisher: viewer.kind === "org" && viewer.orgId === row.publisherOrgId,
    releaseStrategy: ReleaseStrategy.safeParse(row.releaseStrategy).data ?? null,
  };
}
