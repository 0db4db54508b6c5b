import { describe, expect, it } from "vitest";
import { telemetry } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { callerFor, seedOrg, seedUser } from "./test/factories";

async function seedService(name: string) {
  const { org } = await seedOrg();
  await withPlatform("test seeds a service", (tx) => tx.service.create({ data: { id: createId("svc"), orgId: org.id, namespace: "prod", name } }));
}

async function auditActions(targetId: string) {
  return withPlatform("test reads the audit log", (tx) =>
    tx.auditEvent.findMany({ where: { targetId }, orderBy: { createdAt: "asc" }, select: { action: true, actorEmail: true, orgId: true } }),
  );
}

describe("traffic faults", () => {
  it("lets an operator inject, list and clear a fault, each audited", async () => {
    const name = `checkout-${createId("svc").slice(4, 12).toLowerCase()}`;
    await seedService(name);
    const operator = await seedUser({ operator: true });
    const ops = callerFor(operator);

    expect((await ops.telemetry.serviceNames({ query: name })).items).toEqual([{ name, shared: false }]);
    const fault = await ops.telemetry.injectFault({ serviceName: name, errorRate: 0.5, extraLatencyMs: 300, durationMinutes: 10 });
    expect(fault).toMatchObject({ serviceName: name, errorRate: 0.5, extraLatencyMs: 300, createdByEmail: operator.email });
    expect(fault.expiresAt.getTime() - fault.createdAt.getTime()).toBe(10 * 60_000);
    expect((await ops.telemetry.faults({})).items.map((f) => f.id)).toContain(fault.id);
    expect(await telemetry.activeTrafficFaults()).toContainEqual({ serviceName: name, revision: null, errorRate: 0.5, extraLatencyMs: 300 });

    await ops.telemetry.clearFault({ faultId: fault.id });
    expect((await ops.telemetry.faults({})).items.map((f) => f.id)).not.toContain(fault.id);
    expect((await telemetry.activeTrafficFaults()).map((f) => f.serviceName)).not.toContain(name);
    expect(await auditActions(fault.id)).toEqual([
      { action: "traffic.inject", actorEmail: operator.email, orgId: null },
      { action: "traffic.clear", actorEmail: operator.email, orgId: null },
    ]);
  });

  it("refuses everyone but operators, and changes nothing", async () => {
    const name = `cart-${createId("svc").slice(4, 12).toLowerCase()}`;
    await seedService(name);
    const { caller: tenantOwner } = await seedOrg();
    await expect(tenantOwner.telemetry.injectFault({ serviceName: name, errorRate: 1, durationMinutes: 5 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(tenantOwner.telemetry.faults({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(tenantOwner.telemetry.serviceNames({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(null).telemetry.faults({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Core checks too, whoever calls it.
    const user = await seedUser();
    await expect(
      telemetry.injectTrafficFault({ userId: user.id, email: user.email, isOperator: false, ip: null, userAgent: null }, { serviceName: name, errorRate: 1, durationMinutes: 5 }),
    ).rejects.toMatchObject({ code: "NOT_AN_OPERATOR" });
    expect((await telemetry.activeTrafficFaults()).map((f) => f.serviceName)).not.toContain(name);
  });

  it("asks for a known service and for a fault that changes something", async () => {
    const ops = callerFor(await seedUser({ operator: true }));
    await expect(ops.telemetry.injectFault({ serviceName: "no-such-service-anywhere", errorRate: 1, durationMinutes: 5 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("pick one from the list"),
    });
    const name = `idle-${createId("svc").slice(4, 12).toLowerCase()}`;
    await seedService(name);
    await expect(ops.telemetry.injectFault({ serviceName: name, durationMinutes: 5 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("limits a fault to one revision when asked, shown and audited, and refuses a revision that is not a positive whole number", async () => {
    const name = `payments-${createId("svc").slice(4, 12).toLowerCase()}`;
    await seedService(name);
    const operator = await seedUser({ operator: true });
    const ops = callerFor(operator);

    const fault = await ops.telemetry.injectFault({ serviceName: name, revision: 3, errorRate: 0.2, durationMinutes: 5 });
    expect(fault).toMatchObject({ serviceName: name, revision: 3 });
    expect((await ops.telemetry.faults({})).items.find((f) => f.id === fault.id)?.revision).toBe(3);
    expect(await telemetry.activeTrafficFaults()).toContainEqual({ serviceName: name, revision: 3, errorRate: 0.2, extraLatencyMs: 0 });
    const audit = await withPlatform("test reads the audit entry", (tx) => tx.auditEvent.findFirstOrThrow({ where: { targetId: fault.id, action: "traffic.inject" } }));
    expect(audit.after).toMatchObject({ serviceName: name, revision: 3 });
    const everywhere = await ops.telemetry.injectFault({ serviceName: name, errorRate: 0.2, durationMinutes: 5 });
    expect(everywhere.revision).toBeNull();

    for (const revision of [0, -1, 1.5, "2", "canary"]) {
      await expect(ops.telemetry.injectFault({ serviceName: name, revision: revision as number, errorRate: 1, durationMinutes: 5 })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringMatching(/A revision is a whole number|Revisions start at 1/),
      });
    }
    const faults = (await ops.telemetry.faults({})).items.filter((f) => f.serviceName === name);
    expect(faults.map((f) => f.id).sort()).toEqual([fault.id, everywhere.id].sort());
  });
});
