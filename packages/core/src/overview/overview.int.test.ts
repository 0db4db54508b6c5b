import { beforeAll, describe, expect, it } from "vitest";
import { createId, withPlatform } from "@wharf/db";
import type { Actor } from "../context";
import { declareIncident, transitionIncident } from "../incidents/manage-incidents";
import { seedActor, seedCatalogItem, seedTenant, unique } from "../test/lifecycle-fixtures";
import { getOperatorOverview } from "./get-operator-overview";

let operator: Actor;

beforeAll(async () => {
  operator = await seedActor(true);
});

/** Counts are platform-wide and other tests' rows share the database, so each test compares before and after. */
function delta(before: unknown, after: unknown): unknown {
  if (typeof before === "number" && typeof after === "number") return after - before;
  if (before instanceof Date) return undefined;
  if (before && after && typeof before === "object") {
    const entries = Object.keys(before)
      .map((key) => [key, delta((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key])] as const)
      .filter(([, value]) => value !== undefined);
    return Object.fromEntries(entries);
  }
  return undefined;
}

async function seedIncidents() {
  const declare = (severity: "SEV1" | "SEV2" | "SEV3" | "SEV4") => declareIncident({ operator }, { title: `Overview ${severity} ${unique()}`, severity });
  await declare("SEV1");
  await declare("SEV1");
  await declare("SEV3");
  const acknowledged = await declare("SEV4");
  await transitionIncident({ operator }, { incidentId: acknowledged.id, transition: "acknowledge" });
  const resolved = await declare("SEV2");
  await transitionIncident({ operator }, { incidentId: resolved.id, transition: "resolve" });
}

async function seedSlos() {
  const tenant = await seedTenant();
  const serviceId = createId("svc");
  await withPlatform("test", async (tx) => {
    await tx.service.create({ data: { id: serviceId, orgId: tenant.orgId, name: `checkout-${unique()}`, namespace: "shop" } });
    const slo = async (name: string, budgetRemaining: number | null, alerts: Array<{ severity: "page" | "ticket"; closed?: boolean }>) => {
      const sloId = createId("slo");
      await tx.slo.create({ data: { id: sloId, orgId: tenant.orgId, serviceId, name, sli: "availability", objective: 0.995, window: "28d", budgetRemaining } });
      for (const alert of alerts) {
        await tx.sloAlert.create({
          data: { id: createId("alr"), orgId: tenant.orgId, sloId, severity: alert.severity, rule: "1h/5m at 14.4x", burnRateLong: 20, burnRateShort: 30, closedAt: alert.closed ? new Date() : null },
        });
      }
    };
    // Paging (a ticket alert beside the page does not count it twice), budget spent.
    await slo("spent", -0.2, [{ severity: "page" }, { severity: "ticket" }]);
    // Ticketing only, budget low.
    await slo("low", 0.1, [{ severity: "ticket" }, { severity: "page", closed: true }]);
    // Healthy: plenty of budget, only closed alerts.
    await slo("healthy", 0.9, [{ severity: "page", closed: true }]);
    // Not evaluated yet: neither spent nor low.
    await slo("unknown", null, []);
    // Exactly at the threshold is not low.
    await slo("edge", 0.25, []);
  });
  return tenant;
}

async function seedClustersAndOperations() {
  const cluster = (status: "READY" | "UNREACHABLE", draining: boolean) => {
    const name = `overview-${unique()}`;
    return { id: createId("clu"), name, apiServer: `https://${name}.invalid`, contextName: name, credentials: "not-read-by-this-test", status, draining };
  };
  const ready = cluster("READY", false);
  await withPlatform("test", async (tx) => {
    await tx.cluster.createMany({ data: [ready, cluster("UNREACHABLE", true), cluster("UNREACHABLE", false)] });
    const operation = (state: "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED", attempts: number) => ({
      id: createId("op"),
      clusterId: ready.id,
      kind: "space.converge",
      targetType: "space",
      targetId: createId("spc"),
      generation: 1,
      state,
      attempts,
      idempotencyKey: `overview-${unique()}`,
    });
    await tx.operation.createMany({
      data: [operation("FAILED", 8), operation("FAILED", 1), operation("PENDING", 3), operation("PENDING", 0), operation("RUNNING", 1), operation("SUCCEEDED", 2)],
    });
  });
}

async function seedApprovals(publisherOrgId: string) {
  const first = await seedCatalogItem(publisherOrgId);
  const second = await seedCatalogItem(publisherOrgId);
  await withPlatform("test", async (tx) => {
    await tx.catalogVersion.updateMany({ where: { id: { in: [first.v2, second.v2] } }, data: { status: "IN_REVIEW" } });
    await tx.catalogVersion.update({ where: { id: second.v1 }, data: { status: "REJECTED" } });
    const application = async (status: "UNVERIFIED" | "PENDING" | "APPROVED") => {
      const orgId = createId("org");
      const applicant = await seedActor();
      const company = `Partner ${unique()}`;
      await tx.organization.create({ data: { id: orgId, slug: `partner-${unique()}`, name: company, kind: "PARTNER", status: status === "APPROVED" ? "ACTIVE" : "PENDING" } });
      await tx.partnerApplication.create({
        data: {
          id: createId("pap"),
          orgId,
          applicantId: applicant.userId,
          company,
          website: "https://partner.example",
          contactName: "Pat Partner",
          contactEmail: applicant.email,
          intendedUse: "Reselling",
          termsAcceptedAt: new Date(),
          emailVerifiedAt: status === "UNVERIFIED" ? null : new Date(),
          status,
        },
      });
    };
    await application("PENDING");
    await application("PENDING");
    await application("UNVERIFIED");
    await application("APPROVED");
  });
}

describe("getOperatorOverview", () => {
  it("counts what needs attention, and nothing that does not", async () => {
    const before = await getOperatorOverview(operator);

    await seedIncidents();
    const tenant = await seedSlos();
    await seedClustersAndOperations();
    await seedApprovals(tenant.orgId);

    const after = await getOperatorOverview(operator);
    expect(delta(before, after)).toEqual({
      incidents: { open: 4, unacknowledged: 3, bySeverity: { SEV1: 2, SEV2: 0, SEV3: 1, SEV4: 1 } },
      slos: { paging: 1, ticketing: 1, budgetExhausted: 1, budgetLow: 1 },
      clusters: { total: 3, unreachable: 2, draining: 1 },
      operations: { failed: 2, retrying: 1 },
      approvals: { catalogVersions: 2, partnerApplications: 2 },
    });
    expect(after.generatedAt.getTime()).toBeGreaterThanOrEqual(before.generatedAt.getTime());
  });

  it("follows the state: a closed alert and an acknowledged or resolved incident leave their counts", async () => {
    const tenant = await seedTenant();
    const serviceId = createId("svc");
    const sloId = createId("slo");
    const alertId = createId("alr");
    await withPlatform("test", async (tx) => {
      await tx.service.create({ data: { id: serviceId, orgId: tenant.orgId, name: `api-${unique()}`, namespace: "shop" } });
      await tx.slo.create({ data: { id: sloId, orgId: tenant.orgId, serviceId, name: "availability", sli: "availability", objective: 0.995, window: "28d" } });
      await tx.sloAlert.create({ data: { id: alertId, orgId: tenant.orgId, sloId, severity: "page", rule: "1h/5m at 14.4x", burnRateLong: 20, burnRateShort: 30 } });
    });
    const incident = await declareIncident({ operator }, { title: `Overview follow ${unique()}`, severity: "SEV2" });
    const before = await getOperatorOverview(operator);

    await withPlatform("test", (tx) => tx.sloAlert.update({ where: { id: alertId }, data: { closedAt: new Date() } }));
    await transitionIncident({ operator }, { incidentId: incident.id, transition: "acknowledge" });

    const after = await getOperatorOverview(operator);
    expect(after.slos.paging - before.slos.paging).toBe(-1);
    expect(after.incidents.open - before.incidents.open).toBe(0);
    expect(after.incidents.unacknowledged - before.incidents.unacknowledged).toBe(-1);
    expect(after.incidents.bySeverity.SEV2 - before.incidents.bySeverity.SEV2).toBe(0);

    await transitionIncident({ operator }, { incidentId: incident.id, transition: "resolve" });
    const resolved = await getOperatorOverview(operator);
    expect(resolved.incidents.bySeverity.SEV2 - after.incidents.bySeverity.SEV2).toBe(-1);
  });

  it("is for operators only", async () => {
    const member = await seedActor(false);
    await expect(getOperatorOverview(member)).rejects.toMatchObject({ code: "NOT_AN_OPERATOR" });
  });
});
