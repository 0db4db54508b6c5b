import { describe, expect, it } from "vitest";
import { isTenantPermission, type Permission } from "@wharf/auth/permissions";
import { appRouter } from "./root";
import { addMember, type callerFor, seedOrg, seedSpace } from "./test/factories";

type Procedures = Record<string, { _def: { meta?: { permission?: Permission | "public" }; type: string } }>;
const procedures = appRouter._def.procedures as unknown as Procedures;

/**
 * A well-formed input for every org-scoped procedure, aimed at `target` ids.
 * A new org-scoped procedure without an entry here fails the test below, so
 * none escapes the cross-tenant check.
 */
function inputFor(path: string, target: { orgId: string; userId: string; spaceId: string; clusterId: string; appId: string; catalogVersionId: string }): unknown {
  const inputs: Record<string, unknown> = {
    "orgs.get": { orgId: target.orgId },
    "orgs.leave": { orgId: target.orgId },
    "members.list": { orgId: target.orgId },
    "members.invite": { orgId: target.orgId, email: "intruder@example.test", role: "VIEWER" },
    "members.invitations": { orgId: target.orgId },
    "members.revokeInvitation": { orgId: target.orgId, invitationId: "inv_000000000000000000" },
    "members.changeRole": { orgId: target.orgId, userId: target.userId, role: "VIEWER" },
    "members.remove": { orgId: target.orgId, userId: target.userId },
    "audit.list": { orgId: target.orgId },
    "spaces.list": { orgId: target.orgId },
    "spaces.placements": { orgId: target.orgId },
    "spaces.create": { orgId: target.orgId, name: "intrusion", clusterId: target.clusterId },
    "spaces.delete": { orgId: target.orgId, spaceId: target.spaceId },
    "catalog.list": { orgId: target.orgId },
    "catalog.categories": { orgId: target.orgId },
    "catalog.get": { orgId: target.orgId, slug: "anything" },
    "catalog.mine": { orgId: target.orgId },
    "catalog.createItem": { orgId: target.orgId, slug: "intrusion", name: "Intrusion", summary: "Not mine to publish", categories: ["security"] },
    "catalog.addVersion": { orgId: target.orgId, itemId: "cat_000000000000000000", version: "1.0.0", image: "ghcr.io/x/y:1.0.0", paramsSchema: { type: "object" } },
    "catalog.submit": { orgId: target.orgId, versionId: "cv_000000000000000000" },
    "catalog.deprecate": { orgId: target.orgId, itemId: "cat_000000000000000000" },
    "apps.list": { orgId: target.orgId },
    "apps.get": { orgId: target.orgId, appId: target.appId },
    "apps.progress": { orgId: target.orgId, appId: target.appId },
    "apps.deployable": { orgId: target.orgId, catalogVersionId: target.catalogVersionId },
    "apps.revisions": { orgId: target.orgId, appId: target.appId },
    "apps.status": { orgId: target.orgId, appId: target.appId },
    "apps.logs": { orgId: target.orgId, appId: target.appId, pod: "web-0" },
    "apps.deploy": { orgId: target.orgId, spaceId: target.spaceId, name: "intruder", catalogVersionId: target.catalogVersionId, params: {}, replicas: 1 },
    "apps.scale": { orgId: target.orgId, appId: target.appId, replicas: 5 },
    "apps.configure": { orgId: target.orgId, appId: target.appId, params: {} },
    "apps.upgrade": { orgId: target.orgId, appId: target.appId, catalogVersionId: target.catalogVersionId },
    "apps.restart": { orgId: target.orgId, appId: target.appId },
    "apps.rollback": { orgId: target.orgId, appId: target.appId, revision: 1 },
    "apps.delete": { orgId: target.orgId, appId: target.appId },
    "autoscaling.get": { orgId: target.orgId, appId: target.appId },
    "autoscaling.set": { orgId: target.orgId, appId: target.appId, minReplicas: 1, maxReplicas: 5, targetRequestsPerSecond: 10 },
    "autoscaling.clear": { orgId: target.orgId, appId: target.appId },
    "releases.forApp": { orgId: target.orgId, appId: target.appId },
    "releases.comparison": { orgId: target.orgId, releaseId: "rel_000000000000000000" },
    "releases.defaultStrategy": { orgId: target.orgId, appId: target.appId },
    "releases.setAppStrategy": { orgId: target.orgId, appId: target.appId, strategy: { weights: [50, 100], pauseSeconds: 60, minRequests: 10 } },
    "releases.setCatalogStrategy": { orgId: target.orgId, itemId: "cat_000000000000000000", strategy: null },
    "releases.start": { orgId: target.orgId, appId: target.appId, catalogVersionId: target.catalogVersionId },
    "releases.promote": { orgId: target.orgId, releaseId: "rel_000000000000000000" },
    "releases.pause": { orgId: target.orgId, releaseId: "rel_000000000000000000" },
    "releases.resume": { orgId: target.orgId, releaseId: "rel_000000000000000000" },
    "releases.abort": { orgId: target.orgId, releaseId: "rel_000000000000000000" },
    "usage.get": { orgId: target.orgId, window: "24h" },
    "slo.list": { orgId: target.orgId },
    "slo.service": { orgId: target.orgId, serviceId: "svc_000000000000000000" },
    "slo.series": { orgId: target.orgId, serviceId: "svc_000000000000000000", range: "24h" },
    "slo.alerts": { orgId: target.orgId, serviceId: "svc_000000000000000000" },
    "slo.report": { orgId: target.orgId, month: "2026-01" },
    "slo.exportOpenSlo": { orgId: target.orgId },
    "slo.importOpenSlo": { orgId: target.orgId, yaml: "apiVersion: openslo/v1\nkind: SLO\n" },
    "slo.create": { orgId: target.orgId, serviceId: "svc_000000000000000000", name: "intrusion", sli: "availability", objective: 0.9, window: "7d" },
    "slo.update": { orgId: target.orgId, sloId: "slo_000000000000000000", name: "intrusion", sli: "availability", objective: 0.9, window: "7d" },
    "slo.delete": { orgId: target.orgId, sloId: "slo_000000000000000000" },
    "topology.graph": { orgId: target.orgId },
    "topology.namespaces": { orgId: target.orgId },
    "partners.profile": { orgId: target.orgId },
    "keys.list": { orgId: target.orgId, includeRevoked: true },
    "keys.create": { orgId: target.orgId, name: "intrusion", scopes: ["apps:read"], spaceId: target.spaceId },
    "keys.revoke": { orgId: target.orgId, keyId: "key_000000000000000000" },
    "cmdb.types": { orgId: target.orgId },
    "cmdb.list": { orgId: target.orgId, search: "storefront" },
    "cmdb.item": { orgId: target.orgId, itemId: "ci_000000000000000000" },
    "cmdb.history": { orgId: target.orgId, itemId: "ci_000000000000000000" },
    "cmdb.itemAt": { orgId: target.orgId, itemId: "ci_000000000000000000", at: new Date() },
    "cmdb.changes": { orgId: target.orgId },
    "cmdb.impact": { orgId: target.orgId, itemId: "ci_000000000000000000" },
    "cmdb.create": { orgId: target.orgId, type: "team", name: "intruders" },
    "cmdb.update": { orgId: target.orgId, itemId: "ci_000000000000000000", manualAttributes: { notes: "mine now" } },
    "cmdb.retire": { orgId: target.orgId, itemId: "ci_000000000000000000" },
    "cmdb.relate": { orgId: target.orgId, fromId: "ci_000000000000000000", toId: "ci_000000000000000001", kind: "depends-on" },
    "cmdb.unrelate": { orgId: target.orgId, relationId: "cir_000000000000000000" },
    "cmdb.importPreview": { orgId: target.orgId, format: "csv", text: "type,name\nteam,Intruders\n" },
    "cmdb.importApply": { orgId: target.orgId, items: [{ line: 2, type: "team", name: "Intruders", attributes: {}, manualAttributes: {} }] },
    "cmdb.export": { orgId: target.orgId, format: "csv" },
    "incidents.list": { orgId: target.orgId },
    "incidents.get": { orgId: target.orgId, incidentId: "inc_000000000000000000" },
    "incidents.timeline": { orgId: target.orgId, incidentId: "inc_000000000000000000" },
    "incidents.whatChanged": { orgId: target.orgId, incidentId: "inc_000000000000000000" },
    "incidents.blastRadius": { orgId: target.orgId, incidentId: "inc_000000000000000000" },
    "incidents.postmortem": { orgId: target.orgId, incidentId: "inc_000000000000000000" },
    "incidents.declare": { orgId: target.orgId, title: "Intrusion" },
    "incidents.transition": { orgId: target.orgId, incidentId: "inc_000000000000000000", transition: "resolve" },
    "incidents.update": { orgId: target.orgId, incidentId: "inc_000000000000000000", title: "Mine now" },
    "incidents.comment": { orgId: target.orgId, incidentId: "inc_000000000000000000", body: "mine now" },
    "incidents.webhooks": { orgId: target.orgId },
    "incidents.createWebhook": { orgId: target.orgId, url: "https://hooks.example.com/steal" },
    "incidents.disableWebhook": { orgId: target.orgId, webhookId: "whk_000000000000000000" },
    "incidents.deliveries": { orgId: target.orgId },
    "deployGate.policy": { orgId: target.orgId },
    "deployGate.updatePolicy": { orgId: target.orgId, enabled: false, onBudgetExhausted: true, onPageAlert: true, minBudgetRemaining: 0 },
    "deployGate.app": { orgId: target.orgId, appId: target.appId },
    "keys.rotate": { orgId: target.orgId, keyId: "key_000000000000000000", overlapDays: 1 },
  };
  return inputs[path];
}

function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<unknown> {
  let fn: unknown = caller;
  for (const part of path.split(".")) fn = (fn as Record<string, unknown>)[part];
  return (fn as (input: unknown) => Promise<unknown>)(input);
}

describe("every procedure", () => {
  it("declares the permission it needs", () => {
    const undeclared = Object.entries(procedures).filter(([, p]) => !p._def.meta?.permission).map(([path]) => path);
    expect(undeclared).toEqual([]);
  });
});

describe("cross-tenant calls", () => {
  const orgScoped = Object.entries(procedures)
    .filter(([, p]) => {
      const permission = p._def.meta?.permission;
      return permission !== undefined && permission !== "public" && isTenantPermission(permission);
    })
    .map(([path]) => path);

  it("covers every org-scoped procedure", () => {
    expect(orgScoped.length).toBeGreaterThan(5);
    expect(orgScoped.filter((path) => inputFor(path, { orgId: "x", userId: "y", spaceId: "z", clusterId: "c", appId: "a", catalogVersionId: "v" }) === undefined)).toEqual([]);
  });

  it.each(orgScoped)("%s refuses another tenant's ids and changes nothing", async (path) => {
    const victim = await seedOrg();
    const victimMember = await addMember(victim.caller, victim.org.id, "DEVELOPER");
    const intruder = await seedOrg(); // an owner, with every permission in their own org
    const before = await victim.caller.audit.list({ orgId: victim.org.id });

    const { clusterId, spaceId, appId, catalogVersionId } = await seedSpace(victim.org.id);
    const attempt = call(intruder.caller, path, inputFor(path, { orgId: victim.org.id, userId: victimMember.user.id, spaceId, clusterId, appId, catalogVersionId }));
    await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/^(NOT_FOUND|FORBIDDEN)$/) });

    const after = await victim.caller.audit.list({ orgId: victim.org.id });
    expect(after.items.map((e) => e.id)).toEqual(before.items.map((e) => e.id));
    const members = await victim.caller.members.list({ orgId: victim.org.id });
    expect(members.items).toHaveLength(2);
    const spaces = await victim.caller.spaces.list({ orgId: victim.org.id });
    expect(spaces.map((s) => [s.id, s.status])).toEqual([[spaceId, "PENDING"]]);
  });
});
