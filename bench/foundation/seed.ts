// Bulk seed for the foundation benchmark: 1,000 tenants with members and
// 10,000 audit events, written straight through `pg` as the database owner
// (a superuser, so row-level security does not apply). Runs after
// scripts/start.ts has migrated and seeded the demo data.
import pg from "pg";
import { bulkInsert, id } from "../lib/sql";

export interface SeedOptions {
  tenants: number;
  auditEvents: number;
  /** Of `auditEvents`, how many go to alice's `acme` org (the tenant audit list). */
  acmeAuditEvents: number;
  /** Synthetic users that tenants draw their members from. */
  users: number;
}

export const DEFAULT_SEED: SeedOptions = { tenants: 1_000, auditEvents: 10_000, acmeAuditEvents: 6_000, users: 300 };

export interface SeedResult {
  acmeOrgId: string;
  tenants: number;
  organizations: number;
  memberships: number;
  auditEvents: number;
  acmeAuditEvents: number;
  ms: number;
}

/** Same shape as @wharf/db's createId: prefix + 17 base62 characters. */

const ACTIONS = [
  { action: "members.invite", targetType: "invitation", prefix: "inv" },
  { action: "members.accept_invitation", targetType: "membership", prefix: "mem" },
  { action: "members.change_role", targetType: "membership", prefix: "mem" },
  { action: "members.remove", targetType: "membership", prefix: "mem" },
  { action: "members.revoke_invitation", targetType: "invitation", prefix: "inv" },
] as const;
const ROLES = ["ADMIN", "DEVELOPER", "VIEWER"] as const;
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

export async function seedBenchData(ownerUrl: string, options: SeedOptions = DEFAULT_SEED): Promise<SeedResult> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const acme = await client.query<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'acme'`);
    const alice = await client.query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE email = 'alice@acme.example'`);
    if (!acme.rows[0] || !alice.rows[0]) throw new Error("demo data missing: expected org `acme` and alice@acme.example (did start.ts seed?)");
    const acmeOrgId = acme.rows[0].id;
    const aliceUser = alice.rows[0];
    const acmeMembers = await client.query<{ id: string; email: string }>(
      `SELECT u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1`,
      [acmeOrgId],
    );

    await client.query("BEGIN");
    const now = Date.now();
    const day = 86_400_000;

    // Users: the pool tenants draw members from. No password: they never sign in.
    const users = Array.from({ length: options.users }, (_, i) => ({
      id: id("usr"),
      email: `bench-user-${String(i).padStart(4, "0")}@bench.example`,
      name: `Bench User ${i}`,
    }));
    await bulkInsert(
      client,
      "users",
      { id: "text", email: "text", name: "text", created_at: "timestamp", updated_at: "timestamp" },
      users.map((u, i) => [u.id, u.email, u.name, new Date(now - 200 * day + i * 1000), new Date(now - 200 * day + i * 1000)]),
    );

    // Tenants: created over the last 180 days (older than the demo orgs), a few suspended.
    const tenants = Array.from({ length: options.tenants }, (_, i) => ({
      id: id("org"),
      slug: `bench-tenant-${String(i).padStart(4, "0")}`,
      name: `Bench Tenant ${String(i).padStart(4, "0")} GmbH`,
      createdAt: new Date(now - 180 * day + i * Math.floor((170 * day) / options.tenants)),
      suspended: i % 50 === 7,
    }));
    await bulkInsert(
      client,
      "organizations",
      { id: "text", slug: "text", name: "text", kind: '"OrgKind"', status: '"OrgStatus"', suspended_reason: "text", created_at: "timestamp", updated_at: "timestamp" },
      tenants.map((t, i) => [
        t.id,
        t.slug,
        t.name,
        i % 20 === 3 ? "PARTNER" : "TENANT",
        t.suspended ? "SUSPENDED" : "ACTIVE",
        t.suspended ? "Unpaid invoices" : null,
        t.createdAt,
        t.createdAt,
      ]),
    );

    // Memberships: 1-15 members per tenant (about 8 on average), the first one the owner.
    const memberships: unknown[][] = [];
    const membersOf = new Map<string, { id: string; email: string }[]>();
    tenants.forEach((t, i) => {
      const count = 1 + ((i * 7) % 15);
      const members: { id: string; email: string }[] = [];
      for (let k = 0; k < count; k++) {
        const user = users[(i * 13 + k * 17) % users.length]!;
        if (members.some((m) => m.id === user.id)) continue;
        members.push(user);
        memberships.push([id("mem"), t.id, user.id, k === 0 ? "OWNER" : ROLES[(i + k) % ROLES.length], t.createdAt]);
      }
      membersOf.set(t.id, members);
    });
    await bulkInsert(
      client,
      "memberships",
      { id: "text", org_id: "text", user_id: "text", role: '"MemberRole"', created_at: "timestamp" },
      memberships,
    );

    // Audit events: `acmeAuditEvents` in acme (one every ~10 minutes going back),
    // the rest spread round-robin over the bench tenants.
    const events: unknown[][] = [];
    const event = (orgId: string, actor: { id: string; email: string }, i: number, at: Date) => {
      const kind = ACTIONS[i % ACTIONS.length]!;
      const role = ROLES[i % ROLES.length];
      const email = `invitee-${i}@example.com`;
      const before = kind.action === "members.change_role" ? { role: ROLES[(i + 1) % ROLES.length] } : null;
      const after = kind.action === "members.remove" ? null : { email, role, orgId };
      events.push([
        id("aud"),
        orgId,
        actor.id,
        actor.email,
        kind.action,
        kind.targetType,
        id(kind.prefix),
        before === null ? null : JSON.stringify(before),
        after === null ? null : JSON.stringify(after),
        `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        USER_AGENT,
        at,
      ]);
    };
    const acmeActors = [aliceUser, ...acmeMembers.rows];
    for (let i = 0; i < options.acmeAuditEvents; i++) {
      event(acmeOrgId, acmeActors[i % acmeActors.length]!, i, new Date(now - 60_000 - i * 600_000));
    }
    const rest = options.auditEvents - options.acmeAuditEvents;
    for (let i = 0; i < rest; i++) {
      const tenant = tenants[i % tenants.length]!;
      const members = membersOf.get(tenant.id)!;
      event(tenant.id, members[i % members.length]!, i, new Date(now - 90_000 - i * 577_000));
    }
    await bulkInsert(
      client,
      "audit_events",
      {
        id: "text",
        org_id: "text",
        actor_id: "text",
        actor_email: "text",
        action: "text",
        target_type: "text",
        target_id: "text",
        before: "jsonb",
        after: "jsonb",
        ip: "text",
        user_agent: "text",
        created_at: "timestamp",
      },
      events,
    );
    await client.query("COMMIT");
    await client.query("ANALYZE users, organizations, memberships, audit_events");

    const counts = await client.query<{ orgs: string; mems: string; auds: string; acme: string }>(
      `SELECT (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM memberships) AS mems,
              (SELECT count(*) FROM audit_events) AS auds, (SELECT count(*) FROM audit_events WHERE org_id = $1) AS acme`,
      [acmeOrgId],
    );
    const c = counts.rows[0]!;
    return {
      acmeOrgId,
      tenants: options.tenants,
      organizations: Number(c.orgs),
      memberships: Number(c.mems),
      auditEvents: Number(c.auds),
      acmeAuditEvents: Number(c.acme),
      ms: Date.now() - started,
    };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
