import {
  ChangeSpacePlanInput,
  CreateSpaceInput,
  ListAllSpacesInput,
  SpaceInput,
  type SpaceView,
} from "@wharf/contracts";
import { Prisma, type Tx, withPlatform, withTenant } from "@wharf/db";
import type { Actor, TenantScope } from "../context";
import { AppError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { operationsRepository as ops } from "../lifecycle/operations-repository";
import { decodeCursor, toPage } from "../pagination";
import { tenancyRepository } from "../tenancy/tenancy-repository";
import { namespaceFor } from "./render-space-manifests";
import { type SpaceRow, spacesRepository as repo } from "./spaces-repository";
import { toSpaceView } from "./space-view";

/** The change and the operation that converges it commit together (the outbox). */
async function enqueueConverge(tx: Tx, space: SpaceRow, reason: "change" | "delete") {
  await ops.enqueue(
    tx,
    { orgId: space.orgId, clusterId: space.clusterId, kind: "space.converge", targetType: "space", targetId: space.id, generation: space.desiredGeneration, reason },
    `space.converge:${space.id}:${space.desiredGeneration}`,
  );
}

async function withLatestOperations(tx: Tx, rows: SpaceRow[]): Promise<SpaceView[]> {
  const latest = new Map((await ops.latestForTargets(tx, rows.map((r) => r.id))).map((o) => [o.targetId, o]));
  return rows.map((row) => toSpaceView(row, latest.get(row.id)));
}

/** Clusters a tenant may place a new space on (never their credentials). */
export function listPlacementClusters() {
  return withPlatform("placement choices", async (tx) => (await repo.readyClusters(tx)).map(({ id, name, region }) => ({ id, name, region })));
}

export async function createSpace(scope: TenantScope, input: CreateSpaceInput): Promise<SpaceView> {
  const { name, clusterId } = CreateSpaceInput.parse(input);
  const cluster = await withPlatform("placement check", (tx) => repo.findCluster(tx, clusterId));
  if (!cluster) throw new AppError("CLUSTER_NOT_FOUND", "No cluster with this id");
  if (cluster.draining) throw new AppError("CLUSTER_DRAINING", `${cluster.name} is being drained and takes no new spaces; choose another cluster`);
  try {
    return await withTenant(scope.orgId, async (tx) => {
      const org = await tenancyRepository.findOrganization(tx, scope.orgId);
      const space = await repo.create(tx, { orgId: scope.orgId, clusterId, name, namespace: namespaceFor(org!.slug, name), plan: "STARTER" });
      await enqueueConverge(tx, space, "change");
      await recordAuditEvent(tx, {
        actor: scope.actor,
        orgId: scope.orgId,
        action: "spaces.create",
        target: { type: "space", id: space.id },
        after: { name, namespace: space.namespace, cluster: cluster.name, plan: space.plan },
      });
      return toSpaceView(space, { state: "PENDING", lastError: null });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const fields = String(error.meta?.target ?? "");
      if (fields.includes("namespace")) throw new AppError("NAMESPACE_TAKEN", `That namespace is taken on ${cluster.name}; choose another space name`);
      throw new AppError("SPACE_NAME_TAKEN", `You already have a space named "${name}"`);
    }
    throw error;
  }
}

export function listSpaces(scope: TenantScope): Promise<SpaceView[]> {
  return withTenant(scope.orgId, async (tx) => withLatestOperations(tx, await repo.listForOrg(tx, scope.orgId)));
}

/** Removes the namespace and everything in it from the cluster. */
export async function deleteSpace(scope: TenantScope, input: SpaceInput): Promise<SpaceView> {
  const { spaceId } = SpaceInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    const before = await repo.find(tx, scope.orgId, spaceId);
    if (!before) throw new AppError("SPACE_NOT_FOUND", "No space with this id in your organisation");
    if (before.deletedAt) return toSpaceView(before);
    const space = await repo.update(tx, spaceId, { deletedAt: new Date() });
    await enqueueConverge(tx, space, "delete");
    await recordAuditEvent(tx, { actor: scope.actor, orgId: scope.orgId, action: "spaces.delete", target: { type: "space", id: spaceId }, before: { namespace: before.namespace } });
    return toSpaceView(space);
  });
}

/** Operators change a tenant's plan; the quota on the cluster follows. */
export async function changeSpacePlan(actor: Actor, input: ChangeSpacePlanInput): Promise<SpaceView> {
  const { spaceId, plan } = ChangeSpacePlanInput.parse(input);
  return withPlatform("operator changes a plan", async (tx) => {
    const before = await repo.findAnyOrg(tx, spaceId);
    if (!before || before.deletedAt) throw new AppError("SPACE_NOT_FOUND", "No space with this id");
    if (before.plan === plan) return toSpaceView(before);
    const space = await repo.update(tx, spaceId, { plan });
    await enqueueConverge(tx, space, "change");
    await recordAuditEvent(tx, { actor, orgId: space.orgId, action: "spaces.change_plan", target: { type: "space", id: spaceId }, before: { plan: before.plan }, after: { plan } });
    return toSpaceView(space);
  });
}

export async function listAllSpaces(input: ListAllSpacesInput) {
  const q = ListAllSpacesInput.parse(input);
  return withPlatform("operator space list", async (tx) => {
    const rows = await repo.listAll(tx, { clusterId: q.clusterId, cursor: decodeCursor(q.cursor), take: q.limit + 1 });
    const views = await withLatestOperations(tx, rows);
    return toPage(
      rows.map((r, i) => ({ ...views[i]!, createdAt: r.createdAt, id: r.id })),
      q.limit,
      (v) => v,
    );
  });
}
