// What embedded mode's demo traffic generator needs from the database: the running demo
// apps with the apps they call, the shared services, and a short-lived ingest key per
// organisation (its token stays in the generator's memory).
import { createId, withPlatform } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import { apiKeyPrefix, generateApiKeyToken, hashApiKeyToken } from "../keys/api-key-token";

export const DEMO_TRAFFIC_KEY_NAME = "demo traffic";
const KEY_LIFETIME_MS = 86_400_000;

export interface DemoTrafficService {
  orgId: string;
  /** The app's space namespace (k8s.namespace.name). */
  namespace: string;
  /** service.name: the app's name. */
  name: string;
  /** Names of the same organisation's apps it calls (its catalog version's dependsOn). */
  calls: string[];
  shared: boolean;
}

interface AppRow {
  org_id: string;
  namespace: string;
  name: string;
  slug: string;
  depends_on: string[];
}

/**
 * Every active organisation's running apps, and every shared service, as the generator
 * sends them; `orgIds` narrows it to some organisations (tests share a database).
 */
export async function listDemoTrafficServices(orgIds?: readonly string[]): Promise<DemoTrafficService[]> {
  const { apps, shared } = await withPlatform("demo traffic lists running apps", async (tx) => ({
    apps: await tx.$queryRaw<AppRow[]>`
      SELECT a.org_id, s.namespace, a.name, i.slug, v.depends_on
        FROM app_instances a
        JOIN tenant_spaces s ON s.id = a.space_id AND s.deleted_at IS NULL
        JOIN organizations o ON o.id = a.org_id AND o.status = 'ACTIVE'
        JOIN catalog_versions v ON v.id = a.catalog_version_id
        JOIN catalog_items i ON i.id = v.item_id
       WHERE a.deleted_at IS NULL
       ORDER BY a.org_id, a.name`,
    shared: await tx.service.findMany({ where: { shared: true }, select: { orgId: true, namespace: true, name: true }, orderBy: { name: "asc" }, take: 50 }),
  }));
  const included = (orgId: string) => !orgIds || orgIds.includes(orgId);
  const services: DemoTrafficService[] = apps.filter((app) => included(app.org_id)).map((app) => ({
    orgId: app.org_id,
    namespace: app.namespace,
    name: app.name,
    calls: [
      ...new Set(apps.filter((other) => other.org_id === app.org_id && app.depends_on.includes(other.slug) && other.name !== app.name).map((o) => o.name)),
    ],
    shared: false,
  }));
  return [...services, ...shared.filter((s) => included(s.orgId)).map((s) => ({ ...s, calls: [], shared: true }))];
}

/**
 * Mints a telemetry:write key valid for a day for each organisation, after revoking the
 * ones earlier runs made; returns the tokens, which are never stored.
 */
export async function createDemoTrafficKeys(orgIds: readonly string[], now = new Date()): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  if (orgIds.length === 0) return tokens;
  await withPlatform("demo traffic mints its ingest keys", async (tx) => {
    await tx.apiKey.updateMany({
      where: { orgId: { in: [...orgIds] }, name: DEMO_TRAFFIC_KEY_NAME, createdById: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const orgs = await tx.organization.findMany({ where: { id: { in: [...orgIds] } }, select: { id: true, kind: true } });
    for (const org of orgs) {
      const token = generateApiKeyToken(org.kind);
      const id = createId("key");
      const expiresAt = new Date(now.getTime() + KEY_LIFETIME_MS);
      await tx.apiKey.create({
        data: {
          id,
          orgId: org.id,
          name: DEMO_TRAFFIC_KEY_NAME,
          kind: org.kind,
          prefix: apiKeyPrefix(token),
          hash: hashApiKeyToken(token),
          scopes: ["telemetry:write"],
          expiresAt,
          createdByEmail: "Wharf demo traffic",
          createdAt: now,
        },
      });
      await recordAuditEvent(tx, {
        actor: null,
        orgId: org.id,
        action: "keys.create",
        target: { type: "api_key", id },
        after: { name: DEMO_TRAFFIC_KEY_NAME, prefix: apiKeyPrefix(token), scopes: ["telemetry:write"], expiresAt, by: "demo traffic generator" },
      });
      tokens.set(org.id, token);
    }
  });
  return tokens;
}
