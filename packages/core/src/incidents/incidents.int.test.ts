import http from "node:http";
import { type AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { createId, withPlatform } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { gatewayFor } from "../clusters/cluster-connections";
import { deployApp, scaleApp } from "../apps/manage-apps";
import { observeCluster } from "../lifecycle/observe-cluster";
import { processOperations } from "../lifecycle/process-operations";
import { createSpace } from "../spaces/manage-spaces";
import { drainOperations, eventually, seedActor, seedCatalogItem, seedTenant, startRegisteredCluster, unique } from "../test/lifecycle-fixtures";
import { evaluateIncidents } from "./evaluate-incidents";
import { commentOnIncident, declareIncident, transitionIncident, updateIncident } from "./manage-incidents";
import { createIncidentWebhook, listWebhookDeliveries } from "./manage-webhooks";
import { draftPostmortem, getIncident, getIncidentTimeline, incidentBlastRadius, listIncidents, whatChanged } from "./read-incidents";
import { signWebhook } from "./deliver-notifications";
import { discoverTraffic, telemetryServiceRef } from "../cmdb/discover-traffic";
import { createConfigItem } from "../cmdb/manage-items";
import { addCiRelation } from "../cmdb/manage-relations";
import { installBuiltInTypes } from "../cmdb/manage-types";

async function seedService(orgId: string, name: string, extra: { shared?: boolean; appId?: string } = {}) {
  const id = createId("svc");
  await withPlatform("test", (tx) => tx.service.create({ data: { id, orgId, name: `${name}-${unique()}`.toLowerCase(), namespace: "shop", ...extra } }));
  return id;
}

/** Calls seen this minute, as the rollups write them. */
async function seedCalls(orgId: string, calls: Array<[string, string]>) {
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  await withPlatform("test", (tx) =>
    tx.edgeRollup.createMany({ data: calls.map(([callerId, calleeId]) => ({ orgId, callerId, calleeId, minute, requests: 100, errors: 50, latencySumMs: 100, latencyBuckets: [100] })) }),
  );
}

/** A page-level burn alert on the service's SLO, as the SLO evaluation opens it. */
async function openPageAlert(orgId: string, serviceId: string) {
  const sloId = createId("slo");
  const alertId = createId("alr");
  await withPlatform("test", async (tx) => {
    await tx.slo.create({ data: { id: sloId, orgId, serviceId, name: `availability-${unique()}`, sli: "availability", objective: 0.995, window: "30d" } });
    await tx.sloAlert.create({ data: { id: alertId, orgId, sloId, severity: "page", rule: "1h/5m at 14.4x", burnRateLong: 40, burnRateShort: 90 } });
  });
  return alertId;
}
const closeAlert = (alertId: string) => withPlatform("test", (tx) => tx.sloAlert.update({ where: { id: alertId }, data: { closedAt: new Date() } }));
/** The alert opens an incident, then closes and the incident sees it cleared. */
async function closeAlertAfter(alertId: string) {
  await evaluateIncidents();
  await closeAlert(alertId);
  await evaluateIncidents();
}

const tenantView = (scope: TenantScope) => ({ tenant: scope });
const mine = async (scope: TenantScope, serviceId: string) =>
  (await listIncidents(tenantView(scope), { orgId: scope.orgId, serviceId, limit: 10 })).items;

let operator: Actor;

beforeAll(async () => {
  operator = await seedActor(true);
});

describe("incidents from SLO burn alerts", () => {
  it("groups alerts on connected services, keeps tenants apart, and walks the lifecycle to auto-resolve", async () => {
    const shop = await seedTenant();
    const stranger = await seedTenant();
    const web = await seedService(shop.orgId, "web");
    const api = await seedService(shop.orgId, "api");
    const lonely = await seedService(stranger.orgId, "lonely");
    await seedCalls(shop.orgId, [[web, api]]);

    const alerts = [await openPageAlert(shop.orgId, api), await openPageAlert(shop.orgId, web), await openPageAlert(stranger.orgId, lonely)];
    await evaluateIncidents();

    const [incident] = await mine(shop, api);
    expect(incident).toMatchObject({ status: "TRIGGERED", severity: "SEV2", alerts: 2, firingAlerts: 2 });
    // A tenant's list (one statement over incident_orgs) answers exactly as the operators' (Prisma) does.
    expect(await mine(shop, api)).toEqual((await listIncidents({ operator }, { serviceId: api, limit: 10 })).items);
    expect(incident!.serviceIds.sort()).toEqual([api, web].sort());
    // The stranger's alert made its own incident, which the shop never sees, and the other way round.
    const [theirs] = await mine(stranger, lonely);
    expect(theirs!.id).not.toBe(incident!.id);
    await expect(getIncident(tenantView(stranger), incident!.id)).rejects.toMatchObject({ code: "INCIDENT_NOT_FOUND" });
    await expect(transitionIncident(tenantView(stranger), { incidentId: incident!.id, transition: "acknowledge" })).rejects.toMatchObject({ code: "INCIDENT_NOT_FOUND" });
    expect((await listIncidents(tenantView(stranger), { orgId: stranger.orgId, limit: 100 })).items.map((i) => i.id)).not.toContain(incident!.id);

    // Seen twice, a signal does not open a second alert or incident.
    await evaluateIncidents();
    expect(await mine(shop, api)).toHaveLength(1);
    expect((await getIncident(tenantView(shop), incident!.id)).alertList).toHaveLength(2);

    await transitionIncident(tenantView(shop), { incidentId: incident!.id, transition: "acknowledge" });
    await expect(transitionIncident(tenantView(shop), { incidentId: incident!.id, transition: "acknowledge" })).rejects.toMatchObject({ code: "INCIDENT_TRANSITION_NOT_ALLOWED" });
    await commentOnIncident(tenantView(shop), { incidentId: incident!.id, body: "Looking at **api** now" });
    await expect(commentOnIncident(tenantView(shop), { incidentId: incident!.id, body: "x".repeat(10_001) })).rejects.toThrow(/at most 10,000/);
    await updateIncident(tenantView(shop), { incidentId: incident!.id, severity: "SEV1", commanderId: shop.actor.userId });
    await expect(updateIncident(tenantView(shop), { incidentId: incident!.id, commanderId: stranger.actor.userId })).rejects.toMatchObject({ code: "INCIDENT_COMMANDER_INVALID" });
    const acknowledged = await getIncident(tenantView(shop), incident!.id);
    expect(acknowledged).toMatchObject({ status: "ACKNOWLEDGED", severity: "SEV1", commanderEmail: shop.actor.email, canAct: true });

    for (const id of alerts.slice(0, 2)) await closeAlert(id);
    await evaluateIncidents();
    expect((await getIncident(tenantView(shop), incident!.id)).firingAlerts).toBe(0);
    expect(await mine(shop, api)).toEqual([expect.objectContaining({ id: incident!.id, alerts: 2, firingAlerts: 0 })]);
    expect(await mine(shop, api)).toEqual((await listIncidents({ operator }, { serviceId: api, limit: 10 })).items);
    // Quiet for longer than the auto-resolve time (5 minutes by default): resolved.
    await evaluateIncidents(new Date(Date.now() + 6 * 60_000));
    const resolved = await getIncident(tenantView(shop), incident!.id);
    expect(resolved.status).toBe("RESOLVED");
    await expect(transitionIncident(tenantView(shop), { incidentId: incident!.id, transition: "resolve" })).rejects.toMatchObject({ code: "INCIDENT_TRANSITION_NOT_ALLOWED" });

    const kinds = (await getIncidentTimeline(tenantView(shop), { incidentId: incident!.id })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["opened", "alert.opened", "status", "comment", "severity", "commander", "alert.closed"]));
    expect(kinds.filter((k) => k === "alert.opened")).toHaveLength(2);
    const audit = await withPlatform("test", (tx) => tx.auditEvent.findMany({ where: { targetId: incident!.id }, select: { action: true } }));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["incidents.open", "incidents.acknowledge", "incidents.update", "incidents.resolve"]));

    const postmortem = await draftPostmortem(tenantView(shop), incident!.id);
    expect(postmortem.filename).toBe(`INC-${incident!.number}-postmortem.md`);
    expect(postmortem.markdown).toMatch(/## Impact/);
    expect(postmortem.markdown).toMatch(/availability-/);
    await closeAlert(alerts[2]!);
  });

  it("fires a cleared alert again when its signal returns while the incident is open, not a second alert", async () => {
    const shop = await seedTenant();
    const cart = await seedService(shop.orgId, "cart");
    await closeAlertAfter(await openPageAlert(shop.orgId, cart));
    const returned = await openPageAlert(shop.orgId, cart);
    await evaluateIncidents();

    const [incident] = await mine(shop, cart);
    expect(incident).toMatchObject({ status: "TRIGGERED", alerts: 1, firingAlerts: 1 });
    const kinds = (await getIncidentTimeline(tenantView(shop), { incidentId: incident!.id })).map((e) => e.kind);
    expect(kinds.filter((k) => k === "alert.opened")).toHaveLength(2);
    expect(kinds.filter((k) => k === "alert.closed")).toHaveLength(1);
    await closeAlert(returned);
  });

  it("shows a shared service's incident read-only to the tenants that call it", async () => {
    const platform = await seedTenant();
    const caller = await seedTenant();
    const auth = await seedService(platform.orgId, "auth", { shared: true });
    const checkout = await seedService(caller.orgId, "checkout");
    await seedCalls(caller.orgId, [[checkout, auth]]);
    const alert = await openPageAlert(platform.orgId, auth);
    await evaluateIncidents();

    const [seen] = await mine(caller, auth);
    expect(seen).toBeDefined();
    const view = await getIncident(tenantView(caller), seen!.id);
    expect(view.canAct).toBe(false);
    expect(view.tenants.map((t) => t.id)).toEqual([caller.orgId]);
    await expect(transitionIncident(tenantView(caller), { incidentId: seen!.id, transition: "acknowledge" })).rejects.toMatchObject({ code: "INCIDENT_READ_ONLY" });
    expect((await getIncident(tenantView(platform), seen!.id)).canAct).toBe(true);
    expect((await incidentBlastRadius({ operator }, seen!.id)).services.map((s) => [s.id, s.distance])).toEqual(expect.arrayContaining([[auth, 0], [checkout, 1]]));
    await closeAlert(alert);
  });
});

describe("blast radius", () => {
  it("adds what the CMDB says depends on the failing services, each tenant seeing only its own items", async () => {
    const owner = await seedTenant();
    const caller = await seedTenant();
    const auth = await seedService(owner.orgId, "auth", { shared: true });
    const checkout = await seedService(caller.orgId, "checkout");
    await seedCalls(caller.orgId, [[checkout, auth]]);
    // Traffic discovery makes both telemetry-service items and the caller's `calls` relation.
    await installBuiltInTypes();
    await discoverTraffic(new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000));
    const itemOf = async (serviceId: string) => (await withPlatform("test", (tx) => tx.configItem.findUniqueOrThrow({ where: { externalRef: telemetryServiceRef(serviceId) } }))).id;
    const [authItem, checkoutItem] = [await itemOf(auth), await itemOf(checkout)];
    // The owner records in its CMDB the app behind auth, and a gateway that depends on that app.
    const ownerCmdb = { orgId: owner.orgId, actor: owner.actor };
    const authApp = await createConfigItem(owner, { orgId: owner.orgId, type: "app", name: `auth-app-${unique()}` });
    const gateway = await createConfigItem(owner, { orgId: owner.orgId, type: "app", name: `sso-gateway-${unique()}` });
    await addCiRelation(ownerCmdb, { orgId: owner.orgId, fromId: authApp.id, toId: authItem, kind: "reports-as" });
    await addCiRelation(ownerCmdb, { orgId: owner.orgId, fromId: gateway.id, toId: authApp.id, kind: "depends-on" });
    const alert = await openPageAlert(owner.orgId, auth);
    await evaluateIncidents();
    const [incident] = await mine(owner, auth);
    expect(incident).toBeDefined();

    const distances = (radius: Awaited<ReturnType<typeof incidentBlastRadius>>) => Object.fromEntries(radius.items.map((i) => [i.id, [i.type, i.distance]]));
    const everything = await incidentBlastRadius({ operator }, incident!.id);
    expect(everything.services.map((s) => [s.id, s.distance])).toEqual(expect.arrayContaining([[auth, 0], [checkout, 1]]));
    expect(distances(everything)).toMatchObject({ [authItem]: ["telemetry-service", 0], [authApp.id]: ["app", 1], [checkoutItem]: ["telemetry-service", 1], [gateway.id]: ["app", 2] });
    expect(everything.tenants.map((t) => t.id)).toEqual(expect.arrayContaining([owner.orgId, caller.orgId]));

    // The owner sees its own items, not the caller's item that calls auth.
    const owners = await incidentBlastRadius(tenantView(owner), incident!.id);
    expect(distances(owners)).toMatchObject({ [authItem]: ["telemetry-service", 0], [authApp.id]: ["app", 1], [gateway.id]: ["app", 2] });
    expect(owners.items.map((i) => i.id)).not.toContain(checkoutItem);
    expect(owners.tenants.map((t) => t.id)).toEqual([owner.orgId]);

    // The caller follows the incident, and sees none of the owner's items or its name.
    const callers = await incidentBlastRadius(tenantView(caller), incident!.id);
    expect(callers.services.map((s) => s.id)).toEqual(expect.arrayContaining([auth, checkout]));
    expect(callers.items.filter((i) => i.orgId !== caller.orgId)).toEqual([]);
    for (const id of [authItem, authApp.id, gateway.id]) expect(callers.items.map((i) => i.id)).not.toContain(id);
    expect(callers.tenants.map((t) => t.id)).not.toContain(owner.orgId);
    await closeAlert(alert);
  });
});

describe("what changed", () => {
  it("ranks the app change on the failing service first and offers its rollback", async () => {
    const shop = await seedTenant();
    const { sim, clusterId } = await startRegisteredCluster(operator);
    try {
      const space = await createSpace(shop, { orgId: shop.orgId, name: "prod", clusterId });
      const catalog = await seedCatalogItem(shop.orgId);
      const cart = await deployApp(shop, { orgId: shop.orgId, spaceId: space.id, name: "cart", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
      const front = await deployApp(shop, { orgId: shop.orgId, spaceId: space.id, name: "front", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
      const cartService = await seedService(shop.orgId, "cart", { appId: cart.id });
      const frontService = await seedService(shop.orgId, "front", { appId: front.id });
      await seedCalls(shop.orgId, [[frontService, cartService]]);
      await scaleApp(shop, { orgId: shop.orgId, appId: front.id, replicas: 2 });
      await scaleApp(shop, { orgId: shop.orgId, appId: cart.id, replicas: 3 });
      const alert = await openPageAlert(shop.orgId, cartService);
      await evaluateIncidents();
      const [incident] = await mine(shop, cartService);

      const suspects = await whatChanged(tenantView(shop), incident!.id);
      expect(suspects.map((s) => [s.action, s.targetName, s.distance])).toEqual([
        ["apps.scale", "cart", 0],
        ["apps.deploy", "cart", 0],
        ["spaces.create", "prod", 0],
        ["apps.scale", "front", 1],
        ["apps.deploy", "front", 1],
      ]);
      expect(suspects[0]!.rollback).toMatchObject({ appId: cart.id, revision: 1 });
      await drainOperations(clusterId);
      await closeAlert(alert);
    } finally {
      await sim.stop();
    }
  });
});

describe("cluster signals", () => {
  it("opens an incident for a crash-looping pod in the simulator, and it clears with the fault", async () => {
    const shop = await seedTenant();
    const { sim, clusterId } = await startRegisteredCluster(operator);
    const gateway = gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
    const observer = observeCluster({ id: clusterId, name: "incidents-test" }, gateway);
    try {
      await observer.synced;
      const space = await createSpace(shop, { orgId: shop.orgId, name: "prod", clusterId });
      const catalog = await seedCatalogItem(shop.orgId);
      await drainOperations(clusterId);
      sim.faults.crashLoop({ namespace: space.namespace });
      const app = await deployApp(shop, { orgId: shop.orgId, spaceId: space.id, name: "crashy", catalogVersionId: catalog.v1, params: {}, replicas: 1 });
      await drainOperations(clusterId);
      const incident = await eventually(async () => {
        await evaluateIncidents();
        const all = await listIncidents(tenantView(shop), { orgId: shop.orgId, limit: 10 });
        return all.items[0];
      }, 20_000, "an incident for the crash loop");
      const view = await getIncident(tenantView(shop), incident.id);
      expect(view.alertList).toMatchObject([{ source: "crash-loop", appId: app.id, subject: "crashy", severity: "SEV3", firing: true }]);

      sim.faults.clear();
      await eventually(async () => {
        await evaluateIncidents();
        return (await getIncident(tenantView(shop), incident.id)).firingAlerts === 0;
      }, 20_000, "the crash-loop alert to clear");
    } finally {
      observer.stop();
      await sim.stop();
    }
  });
});

describe("declared incidents and bad input", () => {
  it("declares on the tenant's own services only and refuses another tenant's", async () => {
    const shop = await seedTenant();
    const other = await seedTenant();
    const mineService = await seedService(shop.orgId, "mine");
    const theirService = await seedService(other.orgId, "theirs");
    await expect(declareIncident(tenantView(shop), { title: "Checkout is slow", serviceIds: [theirService] })).rejects.toMatchObject({ code: "INCIDENT_SERVICE_NOT_FOUND" });
    await expect(declareIncident(tenantView(shop), { title: "x" })).rejects.toThrow(/at least 3/);
    const declared = await declareIncident(tenantView(shop), { title: "Checkout is slow", severity: "SEV2", serviceIds: [mineService] });
    const view = await getIncident(tenantView(shop), declared.id);
    expect(view).toMatchObject({ status: "TRIGGERED", severity: "SEV2", canAct: true });
    // Declared incidents wait for a person: no alerts, so nothing resolves them automatically.
    await evaluateIncidents(new Date(Date.now() + 60 * 60_000));
    expect((await getIncident(tenantView(shop), declared.id)).status).toBe("TRIGGERED");
    await transitionIncident(tenantView(shop), { incidentId: declared.id, transition: "resolve" });
    await transitionIncident(tenantView(shop), { incidentId: declared.id, transition: "reopen" });
    expect((await getIncident({ operator }, declared.id)).status).toBe("TRIGGERED");
    await expect(getIncident({ operator: { ...operator, isOperator: false } }, declared.id)).rejects.toMatchObject({ code: "NOT_AN_OPERATOR" });
  });

  it("pages a tenant's list by cursor, newest first, as the operators' list orders it", async () => {
    const shop = await seedTenant();
    const service = await seedService(shop.orgId, "paged");
    for (const title of ["First outage", "Second outage", "Third outage"]) await declareIncident(tenantView(shop), { title, serviceIds: [service] });
    const first = await listIncidents(tenantView(shop), { orgId: shop.orgId, serviceId: service, limit: 2 });
    expect(first.items.map((i) => i.title)).toEqual(["Third outage", "Second outage"]);
    const second = await listIncidents(tenantView(shop), { orgId: shop.orgId, serviceId: service, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [expect.objectContaining({ title: "First outage", alerts: 0, firingAlerts: 0 })], nextCursor: null });
    expect([...first.items, ...second.items]).toEqual((await listIncidents({ operator }, { serviceId: service, limit: 10 })).items);
    // Without a filter on the incidents the page is taken from incident_orgs alone: the same answer.
    const unfiltered = await listIncidents(tenantView(shop), { orgId: shop.orgId, limit: 2 });
    expect(unfiltered.items).toEqual(first.items);
    expect((await listIncidents(tenantView(shop), { orgId: shop.orgId, limit: 2, cursor: unfiltered.nextCursor! })).items).toEqual(second.items);
  });
});

describe("webhooks", () => {
  it("signs each delivery, retries after a 500 through the outbox, and logs it", async () => {
    const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    let answers = [500, 204];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(answers.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const shop = await seedTenant();
      const service = await seedService(shop.orgId, "hooked");
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      await expect(createIncidentWebhook(tenantView(shop), { url: "ftp://example.com/x" })).rejects.toThrow(/http or https/);
      const webhook = await createIncidentWebhook(tenantView(shop), { url, description: "on-call" });
      expect(webhook.secret).toMatch(/^whsec_/);

      const declared = await declareIncident(tenantView(shop), { title: "Hooked service down", serviceIds: [service] });
      await eventually(async () => {
        await processOperations({ workerId: "test-webhooks", backoff: { baseMs: 20, capMs: 50 } });
        return received.length >= 2;
      }, 15_000, "the retried delivery");
      for (const { headers, body } of received) {
        expect(headers["x-wharf-event"]).toBe("incident.opened");
        expect(headers["x-wharf-signature"]).toBe(signWebhook(webhook.secret, String(headers["x-wharf-timestamp"]), body));
        expect(JSON.parse(body)).toMatchObject({ event: "incident.opened", incident: { id: declared.id, orgIds: [shop.orgId] } });
      }
      const [delivery] = (await listWebhookDeliveries(tenantView(shop), { webhookId: webhook.id })).items;
      expect(delivery).toMatchObject({ state: "DELIVERED", attempts: 2, lastStatus: 204 });

      // A 4xx is final: no retry.
      answers = [410];
      await transitionIncident(tenantView(shop), { incidentId: declared.id, transition: "acknowledge" });
      const failed = await eventually(async () => {
        await processOperations({ workerId: "test-webhooks", backoff: { baseMs: 20, capMs: 50 } });
        const items = (await listWebhookDeliveries(tenantView(shop), { webhookId: webhook.id })).items;
        return items.find((d) => d.event === "incident.acknowledged" && d.state === "FAILED");
      }, 15_000, "the refused delivery");
      expect(failed).toMatchObject({ attempts: 1, lastStatus: 410 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
