// What embedded mode's demo traffic generator needs from the database: the running demo
// apps with the apps they call, the shared services, and a short-lived ingest key per
// organisation (its token stays in the generator's memory).
import { createId, withPlatform } from "@wharf/db";
import { recordAuditEvent } from "../audit/record-audit-event";
import { apiKeyPrefix, generateApiKeyToken, hashApiKeyToken } from "../keys/api-key-token";
import { canaryName, currentWeight } from "../releases/render-release-manifests";

export const DEMO_TRAFFIC_KEY_NAME = "demo traffic";
const KEY_LIFETIME_MS = 86_400_000;

/** One revision of a service and the share of its requests it serves. */
export interface DemoTrafficRevision {
  /** service.version, as Wharf's pods report it; null for shared services, which Wharf does not render. */
  revision: number | null;
  /** Percent of the service's requests, 0..100. */
  weight: number;
  /** k8s.deployment.name: the app's own Deployment, or `<app>-canary`. */
  deployment: string;
}

export interface DemoTrafficService {
  orgId: string;
  /** The app's space namespace (k8s.namespace.name). */
  namespace: string;
  /** service.name: the app's name. */
  name: string;
  /** Names of the same organisation's apps it calls (its catalog version's dependsOn). */
  calls: string[];
  shared: boolean;
  /** The revisions serving it, as the cluster splits traffic: the stable one, and a release's canary while one is active. */
  revisions: DemoTrafficRevision[];
}

interface AppRow {
  org_id: string;
  namespace: string;
  name: string;
  slug: string;
  depends_on: string[];
  revision: number;
  release_to_revision: number | null;
  release_weights: number[] | null;
  release_step: number | null;
}

/**
 * The stable pods run (and report) the app's revision, which is the release's fromRevision
 * while one is active (the app's revision only moves when it is promoted); the canary gets
 * the current step's weight, as the HTTPRoute or the replica split gives it.
 */
function revisionsOf(app: AppRow): DemoTrafficRevision[] {
  if (app.release_to_revision === null || app.release_weights === null || app.release_step === null) {
    return [{ revision: app.revision, weight: 100, deployment: app.name }];
  }
  const weight = currentWeight({ weights: app.release_weights, step: app.release_step });
  return [
    { revision: app.revision, weight: 100 - weight, deployment: app.name },
    { revision: app.release_to_revision, weight, deployment: canaryName(app) },
  ];
}

/**
 * Every active organisation's running apps, and every shared service, as the generator
 * sends them; `orgIds` narrows it to some organisations (tests share a database).
 */
export async function listDemoTrafficServices(orgIds?: readonly string[]): Promise<DemoTrafficService[]> {
  const { apps, shared } = await withPlatform("demo traffic lists running apps", async (tx) => ({
    apps: await tx.$queryRaw<AppRow[]>`
      SELECT a.org_id, s.namespace, a.name, i.slug, v.depends_on, a.revision,
             r.to_revision AS release_to_revision, r.weights AS release_weights, r.step AS release_step
        FROM app_instances a
        JOIN tenant_spaces s ON s.id = a.space_id AND s.deleted_at IS NULL
        JOIN organizations o ON o.id = a.org_id AND o.status = 'ACTIVE'
        JOIN catalog_versions v ON v.id = a.catalog_version_id
        JOIN catalog_items i ON i.id = v.item_id
        -- At most one active release per app (releases_one_active_per_app).
        LEFT JOIN releases r ON r.app_id = a.id AND r.state IN ('RUNNING', 'PAUSED')
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
    revisions: revisionsOf(app),
  }));
  return [
    ...services,
    ...shared.filter((s) => included(s.orgId)).map((s) => ({ ...s, calls: [], shared: true, revisions: [{ revision: null, weight: 100, deployment: s.name }] })),
  ];
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
