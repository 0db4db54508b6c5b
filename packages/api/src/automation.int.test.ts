import { beforeAll, describe, expect, it } from "vitest";
import { automation } from "@wharf/core";
import { createId, withPlatform } from "@wharf/db";
import { callerFor, seedOrg, seedSpace, seedUser } from "./test/factories";

// The operators' automation page reads every tenant's releases and automatic decisions.
// Rows are dated a year ahead so they are the newest in the test database, whatever else ran.
const base = Date.now() + 365 * 24 * 3_600_000;
const at = (seconds: number) => new Date(base + seconds * 1000);

type Seeded = Awaited<ReturnType<typeof seedTenant>>;

async function seedTenant() {
  const tenant = await seedOrg();
  const { appId } = await seedSpace(tenant.org.id);
  return { ...tenant, appId };
}

function release(orgId: string, appId: string, state: "RUNNING" | "PAUSED" | "PROMOTED", createdAt: Date, extra: { verdicts?: object[]; reason?: string; step?: number } = {}) {
  return {
    id: createId("rel"),
    orgId,
    appId,
    fromRevision: 1,
    toRevision: 2,
    catalogVersionId: "cv_unused0000000",
    params: {},
    weights: [10, 50, 100],
    pauseSeconds: 60,
    minRequests: 10,
    step: extra.step ?? 0,
    stepStartedAt: createdAt,
    state,
    trafficMode: "gateway",
    verdicts: extra.verdicts ?? [],
    reason: extra.reason ?? null,
    createdAt,
  };
}

let a: Seeded;
let b: Seeded;
let operator: ReturnType<typeof callerFor>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  [a, b] = [await seedTenant(), await seedTenant()];
  const operatorUser = await seedUser({ operator: true });
  // The operator is also a member of A: only A's app pages open for them.
  const { link } = await a.caller.members.invite({ orgId: a.org.id, email: operatorUser.email, role: "VIEWER" });
  operator = callerFor(operatorUser);
  await operator.invitations.accept({ token: link!.split("/invite/")[1]! });

  const audit = (orgId: string, appId: string, action: string, createdAt: Date, before: object, after: object, actor: { id: string; email: string } | null = null) => {
    const id = createId("aud");
    return { id, orgId, action, targetType: "app", targetId: appId, before, after, createdAt, actorId: actor?.id ?? null, actorEmail: actor?.email ?? null };
  };
  const decision = (orgId: string, appId: string, outcome: "scaled" | "capped", createdAt: Date, from: number, to: number) => ({
    id: createId("asd"),
    orgId,
    appId,
    fromReplicas: from,
    toReplicas: to,
    wantedReplicas: outcome === "capped" ? to + 3 : to,
    outcome,
    reason: `${outcome} for the test`,
    createdAt,
  });

  const rows = {
    aScaled: decision(a.org.id, a.appId, "scaled", at(10), 2, 4),
    aStep: audit(a.org.id, a.appId, "releases.step", at(20), { step: 0, weight: 10 }, { step: 1, weight: 50, reasons: ["error rate 0.1% within 2x stable"] }),
    bCapped: decision(b.org.id, b.appId, "capped", at(30), 3, 4),
    bPromote: audit(b.org.id, b.appId, "releases.promote", at(40), { revision: 1 }, { revision: 2, reason: "promoted automatically: every step passed (10, 50, 100%)" }),
    // Same instant as bPromote: the tie is broken on id, across both sources.
    bScaled: decision(b.org.id, b.appId, "scaled", at(40), 4, 2),
    aAbort: audit(a.org.id, a.appId, "releases.abort", at(50), { step: 1, weight: 50 }, { revision: 1, reason: "aborted automatically at 50%: p95 over 300 ms" }),
    // A person's promotion and a start are not automatic decisions.
    aManual: audit(a.org.id, a.appId, "releases.promote", at(60), { revision: 1 }, { revision: 2, reason: "promoted by owner" }, { id: a.owner.id, email: a.owner.email }),
    aStart: audit(a.org.id, a.appId, "releases.start", at(61), {}, {}),
  };
  await withPlatform("test seed", async (tx) => {
    await tx.autoscalingDecision.createMany({ data: [rows.aScaled, rows.bCapped, rows.bScaled] });
    await tx.auditEvent.createMany({ data: [rows.aStep, rows.bPromote, rows.aAbort, rows.aManual, rows.aStart] });
    const running = release(a.org.id, a.appId, "RUNNING", at(100), {
      step: 1,
      verdicts: [{ step: 0, weight: 10, at: at(110).toISOString(), verdict: "pass", reasons: ["canary within budget"] }],
    });
    const paused = release(b.org.id, b.appId, "PAUSED", at(90), { reason: "paused by owner" });
    const finished = release(a.org.id, a.appId, "PROMOTED", at(120));
    await tx.release.createMany({ data: [running, paused, finished] });
    Object.assign(ids, { running: running.id, paused: paused.id, finished: finished.id });
  });
  for (const [name, row] of Object.entries(rows)) ids[name] = row.id;
});

const ours = <T extends { org: { id: string } }>(items: T[]) => items.filter((i) => i.org.id === a.org.id || i.org.id === b.org.id);

describe("automation.releases", () => {
  it("lists every tenant's running and paused releases, with step, weight and latest verdict, and links only where the operator is a member", async () => {
    const page = await operator.automation.releases({ limit: 100 });
    const mine = ours(page.items);
    expect(mine.map((r) => r.id)).toEqual([ids.running, ids.paused]);
    const [running, paused] = mine;
    expect(running).toMatchObject({
      org: { id: a.org.id, slug: a.org.slug, name: a.org.name },
      app: { id: a.appId },
      canOpen: true,
      fromRevision: 1,
      toRevision: 2,
      weight: 50,
      step: 2,
      steps: 3,
      trafficMode: "gateway",
      state: "RUNNING",
      latestVerdict: { verdict: "pass", weight: 10, reasons: ["canary within budget"], at: at(110) },
      startedAt: at(100),
    });
    expect(running!.app.name).toMatch(/^a-/);
    expect(paused).toMatchObject({ org: { id: b.org.id }, canOpen: false, state: "PAUSED", step: 1, weight: 10, latestVerdict: null, reason: "paused by owner" });
  });

  it("pages with a cursor", async () => {
    const first = await operator.automation.releases({ limit: 1 });
    expect(first.items.map((r) => r.id)).toEqual([ids.running]);
    const second = await operator.automation.releases({ limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([ids.paused]);
  });
});

describe("automation.decisions", () => {
  const newestFirst = () => {
    // bPromote and bScaled share an instant: by id, descending, aud_ comes before asd_.
    return [ids.aAbort, ids.bPromote, ids.bScaled, ids.bCapped, ids.aStep, ids.aScaled];
  };

  it("merges scaling decisions and the release worker's own outcomes across tenants, newest first, without people's actions", async () => {
    const page = await operator.automation.decisions({ limit: 100 });
    const mine = ours(page.items);
    expect(mine.map((d) => d.id).sort()).toEqual(newestFirst().sort());
    expect(mine.map((d) => d.at.getTime())).toEqual([...mine.map((d) => d.at.getTime())].sort((x, y) => y - x));
    const byId = new Map(mine.map((d) => [d.id, d]));
    expect(byId.get(ids.aScaled!)).toMatchObject({ kind: "scaling", outcome: "scaled", change: { unit: "replicas", from: 2, to: 4 }, reason: "scaled for the test", canOpen: true, org: { slug: a.org.slug } });
    expect(byId.get(ids.bCapped!)).toMatchObject({ kind: "scaling", outcome: "capped", change: { unit: "replicas", from: 3, to: 4 }, canOpen: false });
    expect(byId.get(ids.aStep!)).toMatchObject({ kind: "release", outcome: "step", change: { unit: "percent", from: 10, to: 50 }, reason: "error rate 0.1% within 2x stable" });
    expect(byId.get(ids.bPromote!)).toMatchObject({ kind: "release", outcome: "promoted", change: { unit: "revision", from: 1, to: 2 }, reason: expect.stringContaining("every step passed") });
    expect(byId.get(ids.aAbort!)).toMatchObject({ kind: "release", outcome: "aborted", change: { unit: "percent", from: 50, to: 0 }, reason: expect.stringContaining("p95 over 300 ms") });
    expect(byId.get(ids.aAbort!)!.app.name).toMatch(/^a-/);
  });

  it("pages through the merged list with a cursor, in order, with nothing repeated or skipped", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const page = await operator.automation.decisions({ limit: 2, cursor });
      expect(page.items).toHaveLength(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
      if (i < 2) expect(cursor).toBeTruthy();
    }
    expect(seen).toEqual(newestFirst());
  });

  it("filters by kind", async () => {
    const scaling = ours((await operator.automation.decisions({ limit: 100, kind: "scaling" })).items);
    expect(scaling.map((d) => d.id)).toEqual([ids.bScaled, ids.bCapped, ids.aScaled]);
    expect(scaling.every((d) => d.kind === "scaling")).toBe(true);
    const release = ours((await operator.automation.decisions({ limit: 100, kind: "release" })).items);
    expect(release.map((d) => d.id)).toEqual([ids.aAbort, ids.bPromote, ids.aStep]);
  });
});

describe("who may read it, and bad input", () => {
  it("refuses tenant users, even an owner of a tenant with releases, as FORBIDDEN", async () => {
    await expect(a.caller.automation.releases({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(b.caller.automation.decisions({ kind: "release" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(null).automation.decisions({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Core refuses on its own too, whatever transport calls it.
    const actor = { userId: a.owner.id, email: a.owner.email, isOperator: false, ip: null, userAgent: null };
    await expect(automation.listAutomaticDecisions(actor, {})).rejects.toMatchObject({ code: "NOT_AN_OPERATOR", kind: "FORBIDDEN" });
    await expect(automation.listReleasesInProgress(actor, {})).rejects.toMatchObject({ code: "NOT_AN_OPERATOR", kind: "FORBIDDEN" });
  });

  it.each([
    ["limit 0", { limit: 0 }],
    ["limit over the maximum", { limit: 101 }],
    ["a cursor that is not one", { cursor: "not-a-cursor" }],
    ["an unknown kind", { kind: "deploys" }],
  ])("answers BAD_REQUEST for %s", async (_, input) => {
    await expect(operator.automation.decisions(input as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("answers BAD_REQUEST for a bad cursor or limit on releases", async () => {
    await expect(operator.automation.releases({ limit: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(operator.automation.releases({ cursor: "bm9wZQ" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
