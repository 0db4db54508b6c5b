import type { AppSummary } from "@wharf/contracts";
import type { AppViewRow } from "./apps-repository";

/** What a summary reads from an app row: an `AppRow` or an `AppViewRow`. */
type SummarisedRow = Pick<
  AppViewRow,
  "id" | "name" | "catalogVersionId" | "phase" | "statusMessage" | "replicas" | "readyReplicas" | "updatedReplicas" | "availableReplicas" | "revision" | "params" | "createdAt" | "observedAt" | "catalogVersion"
>;

export interface SpaceRef {
  id: string;
  name: string;
  namespace: string;
  clusterName: string;
}

/**
 * What the console shows for an app. While an operation waits on an
 * unreachable cluster, the phase says queued and the message says why.
 */
export function toAppSummary(
  row: SummarisedRow,
  space: SpaceRef,
  extras: { newerVersion?: { id: string; version: string } | null; pendingError?: string | null } = {},
): AppSummary {
  const waiting = extras.pendingError && (row.phase === "QUEUED" || row.phase === "APPLYING");
  return {
    id: row.id,
    name: row.name,
    space,
    item: { slug: row.catalogVersion.item.slug, name: row.catalogVersion.item.name, icon: row.catalogVersion.item.icon },
    version: row.catalogVersion.version,
    catalogVersionId: row.catalogVersionId,
    image: row.catalogVersion.image,
    phase: row.phase,
    statusMessage: waiting ? `Waiting for the cluster, will retry: ${extras.pendingError}` : row.statusMessage,
    replicas: row.replicas,
    readyReplicas: row.readyReplicas,
    updatedReplicas: row.updatedReplicas,
    availableReplicas: row.availableReplicas,
    revision: row.revision,
    params: (row.params ?? {}) as Record<string, unknown>,
    newerVersion: extras.newerVersion ?? null,
    createdAt: row.createdAt,
    observedAt: row.observedAt,
  };
}
