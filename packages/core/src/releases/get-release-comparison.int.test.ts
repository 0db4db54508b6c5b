import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS } from "@wharf/telemetry";
import { type Cluster } from "@wharf/kube-sim";
import { withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { deployApp } from "../apps/manage-apps";
import { createSpace } from "../spaces/manage-spaces";
import { telemetryRepository } from "../telemetry/telemetry-repository";
import { drainOperations, seedActor, seedCatalogItem, seedTenant, startRegisteredCluster, unique } from "../test/lifecycle-fixtures";
import { getReleaseComparison } from "./get-release-comparison";
import { abortRelease, startCanary } from "./manage-releases";
import { releasesRepository } from "./releases-repository";

let sim: Cluster;
let tenant: TenantScope;
let clusterId: string;
let spaceId: string;
let catalog: Awaited<ReturnType<typeof seedCatalogItem>>;

beforeAll(async () => {
  const operator = await seedActor(true);
  tenant = await seedTenant();
  ({ sim, clusterId } = await startRegisteredCluster(operator, `sim-${unique()}`, { gatewayApi: false }));
  spaceId = (await createSpace(tenant, { orgId: tenant.orgId, name: "shop", clusterId })).id;
  catalog = await seedCatalogItem(tenant.orgId);
  await drainOperations(clusterId);
});

afterAll(async () => {
  await sim.stop();
});

/** A latency histogram with every request in one bucket (LATENCY_BUCKET_BOUNDS_MS, then +Inf). */
const inBucket = (index: number, requests: number) => Array.from({ length: 12 }, (_, i) => (i === index ? requests : 0));

describe("comparing a canary with the stable revision", () => {
  it("gives each minute since the release began, canary and stable side by side, and nothing of other revisions or earlier minutes", async () => {
    const orgId = tenant.orgId;
    const app = await deployApp(tenant, { orgId, spaceId, name: `web-${unique()}`, catalogVersionId: catalog.v1, params: {}, replicas: 2 });
    const release = await startCanary(tenant, { orgId, appId: app.id, catalogVersionId: catalog.v2, strategy: { weights: [25, 100], pauseSeconds: 60, minRequests: 10 } });
    expect([release.fromRevision, release.toRevision]).toEqual([1, 2]);
    const m0 = Math.floor(release.createdAt.getTime() / MINUTE_MS) * MINUTE_MS;

    await withTenant(orgId, async (tx) => {
      const service = await releasesRepository.serviceOfApp(tx, orgId, app.id);
      const serviceId = service!.id;
      const row = (revision: string, periodMs: number, requests: number, errors: number, buckets: number[]) => ({ serviceId, revision, periodMs, requests, errors, sumMs: 0, buckets });
      await telemetryRepository.addRevisionRollups(tx, orgId, [
        row("1", m0 - MINUTE_MS, 999, 999, inBucket(11, 999)), // before the release: left out
        row("2", m0, 20, 5, inBucket(5, 20)), // (100, 250] ms: p95 = 100 + 150 * 19/20
        row("1", m0, 100, 0, inBucket(2, 100)), // (10, 25] ms: p95 = 10 + 15 * 95/100
        row("1", m0 + MINUTE_MS, 40, 4, inBucket(2, 40)),
        row("3", m0 + MINUTE_MS, 7, 7, inBucket(11, 7)), // not this release's revisions
      ]);
    });

    const comparison = await getReleaseComparison(tenant, { orgId, releaseId: release.id }, m0 + 2 * MINUTE_MS + 30_000);
    expect(comparison).toMatchObject({ releaseId: release.id, canaryRevision: 2, stableRevision: 1 });
    expect(comparison.points).toEqual([
      { t: m0, canary: { requests: 20, errorRate: 0.25, p95Ms: 242.5 }, stable: { requests: 100, errorRate: 0, p95Ms: 24.25 } },
      { t: m0 + MINUTE_MS, canary: { requests: 0, errorRate: null, p95Ms: null }, stable: { requests: 40, errorRate: 0.1, p95Ms: 24.25 } },
      { t: m0 + 2 * MINUTE_MS, canary: { requests: 0, errorRate: null, p95Ms: null }, stable: { requests: 0, errorRate: null, p95Ms: null } },
    ]);

    // A finished release's series ends at the minute it finished, however late it is read.
    const aborted = await abortRelease(tenant, { orgId, releaseId: release.id });
    const later = await getReleaseComparison(tenant, { orgId, releaseId: release.id }, aborted.finishedAt!.getTime() + 60 * MINUTE_MS);
    expect(later.points.at(-1)?.t).toBe(Math.floor(aborted.finishedAt!.getTime() / MINUTE_MS) * MINUTE_MS);
    expect(later.points[0]?.canary).toEqual({ requests: 20, errorRate: 0.25, p95Ms: 242.5 });
  });

  it("does not show another tenant's release", async () => {
    const orgId = tenant.orgId;
    const app = await deployApp(tenant, { orgId, spaceId, name: `web-${unique()}`, catalogVersionId: catalog.v1, params: {}, replicas: 1 });
    const release = await startCanary(tenant, { orgId, appId: app.id, catalogVersionId: catalog.v2 });
    const other = await seedTenant();
    const error = await getReleaseComparison(other, { orgId: other.orgId, releaseId: release.id }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("RELEASE_NOT_FOUND");
  });
});
