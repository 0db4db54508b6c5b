import { beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createId, readPlatform, statement, withPlatform } from "@wharf/db";
import { auditRepository } from "./audit-repository";
import type { TenantScope } from "../context";
import { seedTenant } from "../test/lifecycle-fixtures";
import { listAllAuditEvents, listAuditEvents } from "./list-audit-events";

let tenant: TenantScope;
let other: TenantScope;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute, 0, 7));
// Newest first as the page should come: two pairs share a created_at, so the id decides within them.
const events: { id: string; action: string; createdAt: Date; after: unknown }[] = [];

beforeAll(async () => {
  tenant = await seedTenant();
  other = await seedTenant();
  const spec: [string, number][] = [["members.changed", 5], ["membersx.changed", 5], ["members.created", 4], ["apps.deployed", 3], ["apps.deployed", 3], ["apps.scaled", 1]];
  for (const [action, minute] of spec) events.push({ id: createId("aud"), action, createdAt: at(minute), after: minute === 4 ? { replicas: 3, tags: ["x"] } : null });
  events.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (x.id < y.id ? 1 : -1));
  await withPlatform("test setup", async (tx) => {
    await tx.auditEvent.createMany({
      data: events.map((e) => ({ id: e.id, orgId: tenant.orgId, actorId: tenant.actor.userId, actorEmail: "a@example.test", action: e.action, targetType: "app", targetId: "app_x", createdAt: e.createdAt, ...(e.after ? { after: e.after } : {}) })),
    });
    await tx.auditEvent.create({ data: { id: createId("aud"), orgId: other.orgId, action: "apps.deployed", targetType: "app", targetId: "app_y", createdAt: at(3) } });
  });
});

const from = at(0);
const to = at(10);

describe("audit log pages", () => {
  it("page newest first, two at a time, through ties on the same instant, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(tenant, { orgId: tenant.orgId, limit: 2, from, to, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(events.map((e) => e.id));
  });

  it("give each event's fields as written, JSON and instants included", async () => {
    const page = await listAuditEvents(tenant, { orgId: tenant.orgId, limit: 50, from, to });
    const created = page.items.find((e) => e.action === "members.created");
    expect(created).toEqual({
      id: events.find((e) => e.action === "members.created")!.id,
      orgId: tenant.orgId, actorId: tenant.actor.userId, actorEmail: "a@example.test", action: "members.created",
      targetType: "app", targetId: "app_x", before: null, after: { replicas: 3, tags: ["x"] }, ip: null, userAgent: null, createdAt: at(4),
    });
  });

  it("filter by action prefix", async () => {
    const page = await listAuditEvents(tenant, { orgId: tenant.orgId, limit: 50, action: "members.", from, to });
    expect(page.items.map((e) => e.action)).toEqual(["members.changed", "members.created"]);
  });

  it("filter by time, both ends included", async () => {
    const page = await listAuditEvents(tenant, { orgId: tenant.orgId, limit: 50, from: at(3), to: at(4) });
    expect(page.items.map((e) => e.action)).toEqual(["members.created", "apps.deployed", "apps.deployed"]);
  });

  it("keep a tenant to its own events; operators see every organisation's", async () => {
    const mine = await listAuditEvents(tenant, { orgId: tenant.orgId, limit: 50, action: "apps.deployed", from, to });
    expect(mine.items.map((e) => e.orgId)).toEqual([tenant.orgId, tenant.orgId]);
    // A scope for one organisation with another's id in the input still reads only the scope's rows.
    const forged = await listAuditEvents(tenant, { orgId: other.orgId, limit: 50, from, to });
    expect(forged.items.every((e) => e.orgId === tenant.orgId)).toBe(true);
    const all = await listAllAuditEvents({ limit: 50, action: "apps.deployed", from: at(3), to: at(3) });
    expect(new Set(all.items.map((e) => e.orgId))).toEqual(new Set([tenant.orgId, other.orgId]));
  });

  it("read the operators' first page from the newest end of the index, not by sorting the whole log", async () => {
    await withPlatform("test setup", (tx) =>
      tx.auditEvent.createMany({
        data: Array.from({ length: 5_000 }, (_, i) => ({ id: createId("aud"), orgId: i % 10 ? tenant.orgId : null, action: "apps.deployed", targetType: "app", targetId: "app_z", createdAt: at(-i) })),
      }),
    );
    // As the login user (the table's owner here), which may ANALYZE: the planner then knows the log's size.
    const owner = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await owner.connect();
    await owner.query("ANALYZE audit_events").finally(() => owner.end());
    const page = auditRepository.page({ take: 51 });
    const [explained] = await readPlatform("test", statement<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${page.text}`, page.values));
    const plan = JSON.stringify(explained!["QUERY PLAN"]);
    expect(plan).toContain('"Index Name":"audit_events_created_at_id_idx"');
    expect(plan).not.toContain("Seq Scan");
  });
});
