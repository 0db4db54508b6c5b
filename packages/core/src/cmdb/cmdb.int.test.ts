import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cluster } from "@wharf/kube-sim";
import { createId, withPlatform } from "@wharf/db";
import type { ClusterGateway } from "@wharf/kube";
import type { Actor, TenantScope } from "../context";
import { deployApp } from "../apps/manage-apps";
import { gatewayFor } from "../clusters/cluster-connections";
import { observeCluster } from "../lifecycle/observe-cluster";
import { createSpace } from "../spaces/manage-spaces";
import { drainOperations, eventually, seedActor, seedCatalogItem, seedTenant, startRegisteredCluster } from "../test/lifecycle-fixtures";
import { analyzeImpact } from "./analyze-impact";
import { clusterRef, objectRef, wharfRef } from "./discover-cluster";
import { discoverTraffic, sweepCmdb, telemetryServiceRef } from "./discover-traffic";
import { addCiRelation, removeCiRelation } from "./manage-relations";
import { createConfigItem, retireConfigItem, updateConfigItem } from "./manage-items";
import { createCiType, updateCiType } from "./manage-types";
import { getConfigItem, getItemAt, getItemHistory, listCmdbChanges, listConfigItems } from "./read-cmdb";
import type { CmdbViewer } from "./cmdb-scope";
import { exportConfigItems } from "./export-items";
import { applyCmdbImport, previewCmdbImport } from "./import-items";

let operator: Actor;
let tenant: TenantScope;
let other: TenantScope;
let sim: Cluster;
let clusterId: string;
let gateway: ClusterGateway;
let namespace: string;
let observer: ReturnType<typeof observeCluster>;
let appId: string;

const platform = (): CmdbViewer => ({ orgId: null, actor: operator });
const asTenant = (scope: TenantScope = tenant): CmdbViewer => ({ orgId: scope.orgId, actor: scope.actor });
const itemByRef = (externalRef: string) => withPlatform("test", (tx) => tx.configItem.findUnique({ where: { externalRef } }));
const live = async (externalRef: string) => {
  const item = await itemByRef(externalRef);
  return item && !item.retiredAt ? item : null;
};

beforeAll(async () => {
  operator = await seedActor(true);
  tenant = await seedTenant();
  other = await seedTenant();
  ({ sim, clusterId } = await startRegisteredCluster(operator));
  gateway = gatewayFor((await withPlatform("test", (tx) => tx.cluster.findUnique({ where: { id: clusterId } })))!);
  observer = observeCluster({ id: clusterId, name: "cmdb-test" }, gateway);
  await observer.synced;
  const space = await createSpace(tenant, { orgId: tenant.orgId, name: "cmdb", clusterId });
  namespace = space.namespace;
  const catalog = await seedCatalogItem(tenant.orgId);
  await drainOperations(clusterId);
  appId = (await deployApp(tenant, { orgId: tenant.orgId, spaceId: space.id, name: "shop", catalogVersionId: catalog.v1, params: {}, replicas: 1 })).id;
  await drainOperations(clusterId);
});

afterAll(async () => {
  observer.stop();
  await sim.stop();
});

describe("discovery from the cluster and from Wharf", () => {
  it("makes one connected thing of an app, its Deployment, its Service, its space and where they run", async () => {
    const app = await eventually(() => live(wharfRef("app", appId)), 10_000, "the app's item");
    const deployment = await eventually(() => live(objectRef(clusterId, { kind: "Deployment", metadata: { name: "shop", namespace } })), 10_000, "the Deployment's item");
    expect(deployment).toMatchObject({ typeKey: "deployment", orgId: tenant.orgId, source: "CLUSTER", attributes: expect.objectContaining({ namespace, replicas: 1 }) });
    await eventually(async () => (await getConfigItem(asTenant(), app.id)).relations.length >= 4, 10_000, "the app's relations");
    const detail = await getConfigItem(asTenant(), app.id);
    const names = detail.relations.map((r) => `${r.name} ${r.other?.type ?? "(hidden)"}`).sort();
    expect(names).toEqual(expect.arrayContaining(["exposes k8s-service", "member-of space", "runs-as deployment"]));
    // Seen from the Deployment, the same relation reads the other way.
    const fromDeployment = await getConfigItem(asTenant(), deployment.id);
    expect(fromDeployment.relations.map((r) => `${r.direction} ${r.name}`)).toEqual(expect.arrayContaining(["incoming runs", "outgoing member-of"]));
    expect(await live(clusterRef(clusterId))).toMatchObject({ typeKey: "cluster", orgId: null });
  });

  it("records a Deployment made outside Wharf, and retires it with history when it is deleted", async () => {
    const ref = objectRef(clusterId, { kind: "Deployment", metadata: { name: "sidecar", namespace } });
    await gateway.apply(
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "sidecar", namespace },
        spec: { replicas: 1, selector: { matchLabels: { app: "sidecar" } }, template: { metadata: { labels: { app: "sidecar" } }, spec: { containers: [{ name: "c", image: "busybox:1" }] } } },
      },
      { fieldManager: "kubectl" },
    );
    const item = await eventually(() => live(ref), 10_000, "the sidecar's item");
    expect(item).toMatchObject({ name: "sidecar", orgId: null, attributes: expect.objectContaining({ image: "busybox:1" }) });
    await gateway.delete({ kind: "Deployment", namespace, name: "sidecar" });
    await eventually(async () => (await itemByRef(ref))?.retiredAt, 10_000, "the sidecar to be retired");
    const history = await getItemHistory(platform(), { itemId: item.id, limit: 50 });
    expect(history.items.map((c) => c.action)).toEqual(expect.arrayContaining(["created", "retired"]));
    expect(history.items.at(-1)).toMatchObject({ action: "created", source: "CLUSTER", actor: "cluster cmdb-test" });
  });

  it("relates a Deployment to the nodes its pods run on, and lets go when they stop", async () => {
    const deploymentRef = objectRef(clusterId, { kind: "Deployment", metadata: { name: "shop", namespace } });
    const deployment = await eventually(() => live(deploymentRef), 10_000, "the Deployment's item");
    const runsOn = async (itemId: string) => (await getConfigItem(platform(), itemId)).relations.filter((r) => r.name === "runs-on");
    const [relation] = await eventually(async () => ((await runsOn(deployment.id)).length ? runsOn(deployment.id) : null), 10_000, "shop's runs-on relation");
    const pods = await gateway.list({ kind: "Pod", namespace });
    const shopNodes = pods.items.filter((p) => p.metadata.name.startsWith("shop-")).map((p) => (p.spec as { nodeName?: string }).nodeName);
    expect(relation).toMatchObject({ direction: "outgoing", source: "CLUSTER", other: { type: "node", name: shopNodes[0] } });
    // Seen from the node, it hosts the Deployment; if the node goes, the app and its tenant are affected.
    const node = relation!.other!;
    expect((await getConfigItem(platform(), node.id)).relations.map((r) => `${r.name} ${r.other?.name}`)).toContain("hosts shop");
    const impact = await analyzeImpact(platform(), { itemId: node.id, depth: 2, direction: "dependents" });
    expect(impact.items.find((i) => i.type === "app" && i.name === "shop")).toMatchObject({ distance: 2 });
    expect(impact.tenants.map((t) => t.id)).toContain(tenant.orgId);

    // A Deployment scaled to nothing runs nowhere: the relation is retired, with history.
    const worker = (replicas: number) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "batch", namespace },
      spec: { replicas, selector: { matchLabels: { app: "batch" } }, template: { metadata: { labels: { app: "batch" } }, spec: { containers: [{ name: "c", image: "busybox:1" }] } } },
    });
    await gateway.apply(worker(1), { fieldManager: "kubectl" });
    const batch = await eventually(() => live(objectRef(clusterId, { kind: "Deployment", metadata: { name: "batch", namespace } })), 10_000, "the batch item");
    await eventually(async () => (await runsOn(batch.id)).length === 1, 10_000, "batch's runs-on relation");
    await gateway.apply(worker(0), { fieldManager: "kubectl" });
    await eventually(async () => (await runsOn(batch.id)).length === 0, 10_000, "batch's runs-on relation to be retired");
    const history = await getItemHistory(platform(), { itemId: batch.id, limit: 50 });
    expect(history.items.filter((c) => (c.fields as { kind?: string }).kind === "runs-on").map((c) => c.action)).toEqual(["unrelated", "related"]);
    await gateway.delete({ kind: "Deployment", namespace, name: "batch" });
  });

  it("turns traffic between two services into a calls relation with its evidence", async () => {
    const [caller, callee] = [createId("svc"), createId("svc")];
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await withPlatform("test", async (tx) => {
      await tx.service.create({ data: { id: caller, orgId: tenant.orgId, name: "cart", namespace, appId } });
      await tx.service.create({ data: { id: callee, orgId: tenant.orgId, name: "payments", namespace } });
      await tx.edgeRollup.create({ data: { orgId: tenant.orgId, callerId: caller, calleeId: callee, minute, requests: 120, errors: 3, latencySumMs: 600, latencyBuckets: [] } });
    });
    await discoverTraffic(new Date(minute.getTime() - 60_000));
    const cart = (await itemByRef(telemetryServiceRef(caller)))!;
    const detail = await getConfigItem(asTenant(), cart.id);
    expect(detail.relations.find((r) => r.name === "calls")).toMatchObject({ other: { name: "payments", type: "telemetry-service" }, source: "TELEMETRY", evidence: expect.objectContaining({ requests: 120, errors: 3 }) });
    expect(detail.relations.find((r) => r.name === "reported-by")?.other).toMatchObject({ type: "app" });
  });
});

describe("impact", () => {
  it("names the apps and tenants affected if the cluster goes down", async () => {
    const cluster = (await itemByRef(clusterRef(clusterId)))!;
    const impact = await analyzeImpact(platform(), { itemId: cluster.id, depth: 4, direction: "dependents" });
    // cluster <- namespace <- Deployment <- app (runs-as): three hops.
    expect(impact.items.find((i) => i.type === "app" && i.name === "shop")).toMatchObject({ distance: 3 });
    expect(impact.tenants.map((t) => t.id)).toContain(tenant.orgId);
    expect(impact.items.find((i) => i.type === "namespace" && i.name === namespace)?.distance).toBe(1);
    expect(impact.items.find((i) => i.type === "deployment" && i.name === "shop")?.distance).toBe(2);
    const shallow = await analyzeImpact(platform(), { itemId: cluster.id, depth: 2, direction: "dependents" });
    expect(shallow.items.some((i) => i.type === "app")).toBe(false);
  });
});

describe("what people add", () => {
  it("adds a team, links it as owner, refuses loops, and keeps every change with its author", async () => {
    const team = await createConfigItem(tenant, { orgId: tenant.orgId, type: "team", name: "Payments team", attributes: { email: "payments@acme.example" } });
    const app = (await itemByRef(wharfRef("app", appId)))!;
    const owned = await addCiRelation(asTenant(), { orgId: tenant.orgId, fromId: app.id, toId: team.id, kind: "owned-by" });
    await expect(addCiRelation(asTenant(), { orgId: tenant.orgId, fromId: team.id, toId: app.id, kind: "owned-by" })).rejects.toMatchObject({ code: "CI_RELATION_CYCLE" });
    await expect(addCiRelation(asTenant(), { orgId: tenant.orgId, fromId: app.id, toId: team.id, kind: "owned-by" })).rejects.toMatchObject({ code: "CI_RELATION_EXISTS" });

    const before = new Date();
    await updateConfigItem(asTenant(), { orgId: tenant.orgId, itemId: app.id, manualAttributes: { owner: "payments", tier: "tier-1" } });
    await expect(updateConfigItem(asTenant(), { orgId: tenant.orgId, itemId: app.id, attributes: { replicas: 9 } })).rejects.toMatchObject({ code: "CI_DISCOVERED_READ_ONLY" });
    await expect(updateConfigItem(asTenant(), { orgId: tenant.orgId, itemId: app.id, manualAttributes: { tier: "gold" } })).rejects.toMatchObject({ code: "CI_ATTRIBUTES_INVALID", message: expect.stringContaining("tier") });
    const history = await getItemHistory(asTenant(), { itemId: app.id, limit: 50 });
    expect(history.items[0]).toMatchObject({ action: "updated", actor: tenant.actor.email, fields: { "manual.owner": { before: null, after: "payments" } } });
    expect((await getItemAt(asTenant(), { itemId: app.id, at: before })).fields["manual.owner"]).toBeUndefined();
    expect((await getItemAt(asTenant(), { itemId: app.id, at: new Date() })).fields).toMatchObject({ "manual.owner": "payments", name: "shop" });

    await removeCiRelation(asTenant(), { orgId: tenant.orgId, relationId: owned.id });
    expect((await getConfigItem(asTenant(), app.id)).relations.some((r) => r.name === "owned-by")).toBe(false);
    await retireConfigItem(asTenant(), team.id);
    expect((await listConfigItems(asTenant(), { orgId: tenant.orgId, type: "team" })).items).toHaveLength(0);
  });

  it("refuses attributes that break the type's schema, naming the field", async () => {
    await expect(createConfigItem(tenant, { orgId: tenant.orgId, type: "team", name: "Bad", attributes: { email: "not an email" } })).rejects.toMatchObject({
      code: "CI_ATTRIBUTES_INVALID",
      message: expect.stringContaining("email"),
    });
    await expect(createConfigItem(tenant, { orgId: tenant.orgId, type: "no-such-type", name: "X" })).rejects.toMatchObject({ code: "CI_TYPE_NOT_FOUND" });
  });

  it("refuses a type change that would make existing items invalid, naming them", async () => {
    const key = `vendor-${Date.now().toString(36)}`;
    await createCiType({ key, name: "Vendor", icon: "", color: "#123456", attributeSchema: { type: "object", properties: { contract: { type: "string" } } } });
    await createConfigItem(tenant, { orgId: tenant.orgId, type: key, name: "Acme Cloud", attributes: { contract: "C-1" } });
    await expect(updateCiType({ key, attributeSchema: { type: "object", properties: { contract: { type: "integer" } } } })).rejects.toMatchObject({
      code: "CI_TYPE_BREAKS_ITEMS",
      message: expect.stringContaining("Acme Cloud"),
    });
    await expect(updateCiType({ key: "team", name: "Squad" })).rejects.toMatchObject({ code: "CI_TYPE_BUILT_IN" });
  });
});

describe("search, facets and isolation", () => {
  it("finds items by words of their name or attributes, with facet counts", async () => {
    const page = await listConfigItems(asTenant(), { orgId: tenant.orgId, search: "busybox" });
    expect(page.items).toHaveLength(0); // the sidecar was platform-wide and is retired
    const shop = await listConfigItems(asTenant(), { orgId: tenant.orgId, search: "sho" });
    expect(shop.items.map((i) => i.type), JSON.stringify(shop.items)).toEqual(expect.arrayContaining(["app", "deployment", "k8s-service"]));
    expect(shop.facets.type.find((f) => f.value === "app")?.count).toBe(1);
    // Each facet counts with the other filters but not its own: filtered to apps, the type facet still offers the Deployment.
    const apps = await listConfigItems(asTenant(), { orgId: tenant.orgId, search: "sho", type: "app" });
    expect(apps.items.map((i) => i.type)).toEqual(["app"]);
    expect(apps.facets.type.find((f) => f.value === "deployment")?.count).toBe(1);
    expect(apps.facets.source).toEqual([{ value: "WHARF", count: 1 }]);
    expect(apps.facets.org).toEqual([{ value: tenant.orgId, count: 1 }]);
    expect(apps.facets.stale.reduce((n, f) => n + f.count, 0)).toBe(1);
    const bySource = await listConfigItems(platform(), { search: "shop", source: "WHARF" });
    expect(bySource.items.every((i) => i.source === "WHARF")).toBe(true);
    // An operator picks one organisation; its facet still counts the others, by name.
    const picked = await listConfigItems(platform(), { search: "shop", tenantId: tenant.orgId });
    expect(picked.items.length).toBeGreaterThan(0);
    expect(picked.items.every((i) => i.orgId === tenant.orgId)).toBe(true);
    expect(picked.facets.org.find((f) => f.value === tenant.orgId)).toMatchObject({ count: picked.items.length, label: expect.any(String) });
    expect(picked.facets.type.reduce((n, f) => n + f.count, 0)).toBe(picked.items.length);
  });

  it("never shows a tenant another tenant's items, relations, history or impact", async () => {
    const app = (await itemByRef(wharfRef("app", appId)))!;
    const theirs = asTenant(other);
    expect((await listConfigItems(theirs, { orgId: other.orgId, search: "shop" })).items).toHaveLength(0);
    expect((await listConfigItems(theirs, { orgId: other.orgId })).facets.org.every((f) => f.value === other.orgId)).toBe(true);
    await expect(getConfigItem(theirs, app.id)).rejects.toMatchObject({ code: "CI_ITEM_NOT_FOUND" });
    await expect(getItemHistory(theirs, { itemId: app.id })).rejects.toMatchObject({ code: "CI_ITEM_NOT_FOUND" });
    await expect(analyzeImpact(theirs, { orgId: other.orgId, itemId: app.id })).rejects.toMatchObject({ code: "CI_ITEM_NOT_FOUND" });
    const mine = await createConfigItem(other, { orgId: other.orgId, type: "team", name: "Intruders" });
    await expect(addCiRelation(theirs, { orgId: other.orgId, fromId: mine.id, toId: app.id, kind: "depends-on" })).rejects.toMatchObject({ code: "CI_ITEM_NOT_FOUND" });
    expect((await listCmdbChanges(theirs, { orgId: other.orgId, limit: 100 })).items.every((c) => c.itemId === mine.id)).toBe(true);
    // The tenant's own view of a cluster-level impact stops at its own items.
    const cluster = (await itemByRef(clusterRef(clusterId)))!;
    await expect(analyzeImpact(asTenant(), { orgId: tenant.orgId, itemId: cluster.id })).rejects.toMatchObject({ code: "CI_ITEM_NOT_FOUND" });
  });
});

describe("import and export", () => {
  it("previews a CSV with every bad row named, writes only the confirmed valid rows, and records them as imported", async () => {
    const suffix = createId("ci").slice(3, 11);
    const teams = [
      "type,name,owner,tier,email",
      `team,Payments ${suffix},payments,tier-1,payments@example.test`,
      `team,Search ${suffix},,tier-9,`,
      `widget,Gizmo ${suffix},,,`,
      `team,"Quoted, ${suffix}",,,not-an-email`,
      `team,Payments ${suffix},,,`,
    ].join("\n");
    const preview = await previewCmdbImport(asTenant(), { format: "csv", text: teams });
    expect(preview.totalRows).toBe(5);
    expect(preview.items.map((i) => i.name)).toEqual([`Payments ${suffix}`]);
    expect(preview.errors.map((e) => [e.line, e.field])).toEqual([
      [3, "tier"],
      [4, "type"],
      [5, "email"],
      [6, "name"],
    ]);
    const before = await listConfigItems(asTenant(), { orgId: tenant.orgId, search: suffix });
    expect(before.items).toEqual([]); // a preview writes nothing

    expect(await applyCmdbImport(asTenant(), { orgId: tenant.orgId, items: preview.items })).toEqual({ items: 1, relations: 0, errors: [] });
    const relations = ["from_type,from_name,kind,to_type,to_name", `app,shop,owned-by,team,Payments ${suffix}`, `app,shop,owned-by,team,Nobody ${suffix}`].join("\r\n");
    const relationPreview = await previewCmdbImport(asTenant(), { format: "csv", text: relations });
    expect(relationPreview.errors).toEqual([{ line: 3, field: "to", message: `no team named Nobody ${suffix} in this CMDB or file` }]);
    expect(await applyCmdbImport(asTenant(), { orgId: tenant.orgId, relations: relationPreview.relations })).toMatchObject({ relations: 1, errors: [] });

    const team = (await listConfigItems(asTenant(), { orgId: tenant.orgId, search: `payments ${suffix}` })).items[0]!;
    expect(team.manualAttributes).toEqual({ owner: "payments", tier: "tier-1" });
    const detail = await getConfigItem(asTenant(), team.id);
    expect(detail.relations.map((r) => [r.name, r.other?.name])).toEqual([["owns", "shop"]]);
    const history = await getItemHistory(asTenant(), { itemId: team.id });
    expect(history.items.map((c) => c.action)).toContain("imported");

    // Re-applying the same rows (a double click, a stale tab) writes nothing twice.
    expect((await applyCmdbImport(asTenant(), { orgId: tenant.orgId, items: preview.items })).errors).toMatchObject([{ line: 2, field: "name" }]);
    // Another tenant cannot reach this tenant's items as relation ends.
    const intrusion = await previewCmdbImport(asTenant(other), { format: "csv", text: relations });
    expect(intrusion.relations).toEqual([]);

    const csv = await exportConfigItems(asTenant(), { orgId: tenant.orgId, search: suffix }, "csv");
    expect(csv.body.split("\r\n")[0]).toBe("id,type,name,org,source,owner,tier,notes,attributes,external_ref,first_seen,last_seen,retired_at");
    expect(csv.body).toContain(`,team,Payments ${suffix},${tenant.orgId},MANUAL,payments,tier-1,`);
    expect(csv.count).toBe(1);
    expect((await exportConfigItems(asTenant(other), { orgId: other.orgId, search: suffix }, "json")).count).toBe(0);
  });

  it("writes a batch of relations together, refusing a loop or a repeat within the batch", async () => {
    const suffix = createId("ci").slice(3, 11);
    const names = ["A", "B", "C"].map((n) => `${n} ${suffix}`);
    const items = await previewCmdbImport(asTenant(), { format: "csv", text: ["type,name,notes", ...names.map((n) => `team,${n},imported ${suffix}`)].join("\n") });
    expect(await applyCmdbImport(asTenant(), { orgId: tenant.orgId, items: items.items })).toEqual({ items: 3, relations: 0, errors: [] });
    const [a, b, c] = names;
    const relations = ["from_type,from_name,kind,to_type,to_name", `team,${a},depends-on,team,${b}`, `team,${b},depends-on,team,${c}`, `team,${c},depends-on,team,${a}`, `team,${a},depends-on,team,${b}`].join("\n");
    const preview = await previewCmdbImport(asTenant(), { format: "csv", text: relations });
    expect(preview.relations).toHaveLength(4);
    const applied = await applyCmdbImport(asTenant(), { orgId: tenant.orgId, relations: preview.relations });
    expect(applied.relations).toBe(2);
    expect(applied.errors).toEqual([
      { line: 4, field: "kind", message: `${a} already depends-on ${c} (perhaps through others): depends-on cannot go round in a loop` },
      { line: 5, field: "kind", message: `${a} depends-on ${b} is recorded already` },
    ]);
    // Every imported item is searchable by its words and has its own history.
    const found = await listConfigItems(asTenant(), { orgId: tenant.orgId, search: `imported ${suffix}` });
    expect(found.items.map((i) => i.name).sort()).toEqual(names);
    const itemA = found.items.find((i) => i.name === a)!;
    const history = await getItemHistory(asTenant(), { itemId: itemA.id });
    expect(history.items.map((h) => h.action).sort()).toEqual(["imported", "related"]);
    expect(history.items.find((h) => h.action === "imported")).toMatchObject({ actor: tenant.actor.email, fields: { name: { before: null, after: a }, "manual.notes": { before: null, after: `imported ${suffix}` } } });
    expect((await getConfigItem(asTenant(), itemA.id)).relations.map((r) => `${r.name} ${r.other?.name}`)).toEqual([`depends-on ${b}`]);
  });

  it("previews a file larger than one statement's parameters allow", async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => `team,Bulk team ${i}`);
    const preview = await previewCmdbImport(asTenant(other), { format: "csv", text: ["type,name", ...rows].join("\n") });
    expect(preview.items).toHaveLength(40_000);
    expect(preview.errors).toEqual([]);
  });

  it("refuses malformed files with the line named, and writes nothing", async () => {
    await expect(previewCmdbImport(asTenant(), { format: "csv", text: 'type,name\nteam,"open' })).rejects.toMatchObject({ code: "CI_IMPORT_INVALID", message: expect.stringContaining("line 2") });
    await expect(previewCmdbImport(asTenant(), { format: "csv", text: "kind,label\nteam,x" })).rejects.toMatchObject({ message: expect.stringContaining("type, name") });
    await expect(previewCmdbImport(asTenant(), { format: "json", text: "{not json" })).rejects.toMatchObject({ code: "CI_IMPORT_INVALID" });
    const json = await previewCmdbImport(asTenant(), { format: "json", text: JSON.stringify({ items: [{ type: "team", name: "" }, { type: "team", name: "x".repeat(300) }] }) });
    expect(json.errors.map((e) => [e.line, e.field])).toEqual([
      [1, "name"],
      [2, "name"],
    ]);
  });
});

describe("staleness and retention", () => {
  it("marks discovered relations not seen for the stale period stale, then retires them", async () => {
    const later = new Date(Date.now() + 8 * 86_400_000);
    const first = await sweepCmdb(later, 7, 400);
    expect(first.stale).toBeGreaterThan(0);
    const cart = (await withPlatform("test", (tx) => tx.configItem.findFirst({ where: { typeKey: "telemetry-service", name: "cart", orgId: tenant.orgId } })))!;
    expect((await getConfigItem(asTenant(), cart.id)).relations.find((r) => r.name === "calls")?.stale).toBe(true);
    const stale = await listConfigItems(asTenant(), { orgId: tenant.orgId, stale: true });
    expect(stale.items.map((i) => i.id)).toContain(cart.id);
    expect(stale.facets.stale.find((f) => f.value === "stale")?.count).toBeGreaterThan(0);
    const muchLater = new Date(Date.now() + 15 * 86_400_000);
    expect((await sweepCmdb(muchLater, 7, 400)).retired).toBeGreaterThan(0);
    expect((await getConfigItem(asTenant(), cart.id)).relations.some((r) => r.name === "calls")).toBe(false);
    const history = await getItemHistory(asTenant(), { itemId: cart.id, limit: 50 });
    expect(history.items.map((c) => c.action)).toEqual(expect.arrayContaining(["related", "stale", "unrelated"]));
  });
});
