import { describe, expect, it } from "vitest";
import { catalog } from "@wharf/core";
import { addMember, callerFor, seedOrg, seedUser } from "./test/factories";

let counter = 0;
const uniqueSlug = (base: string) => `${base}-${Date.now().toString(36)}${(counter++).toString(36)}`.slice(0, 40);

const paramsSchema = {
  type: "object",
  properties: {
    logLevel: { type: "string", enum: ["debug", "info", "warn"], default: "info" },
    maxConnections: { type: "integer", minimum: 1, maximum: 500 },
  },
  additionalProperties: false,
};

type Caller = ReturnType<typeof callerFor>;

type ItemFields = Partial<{ slug: string; name: string; summary: string; categories: string[]; visibility: "PUBLIC" | "RESTRICTED"; allowedOrgIds: string[] }>;

async function draftItem(caller: Caller, orgId: string, extra: ItemFields = {}) {
  const slug = extra.slug ?? uniqueSlug("item");
  const item = await caller.catalog.createItem({ orgId, slug, name: extra.name ?? `Item ${slug}`, summary: extra.summary ?? "A service for tests", categories: ["testing"], ...extra });
  const version = await caller.catalog.addVersion({
    orgId,
    itemId: item.id,
    version: "1.0.0",
    image: `ghcr.io/wharf-test/${slug}:1.0.0`,
    paramsSchema,
    defaults: { maxConnections: 10 },
    ports: [{ name: "http", port: 8080 }],
    probes: { readiness: { path: "/healthz", port: 8080 } },
    resources: { cpu: "100m", memory: "128Mi" },
  });
  return { item, version };
}

/** A publisher org, an operator, and a published item. */
async function publishedItem(extra: ItemFields = {}) {
  const publisher = await seedOrg();
  const operator = callerFor(await seedUser({ operator: true }));
  const { item, version } = await draftItem(publisher.caller, publisher.org.id, extra);
  await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id });
  await operator.catalog.review.approve({ versionId: version.id });
  return { publisher, operator, item, version };
}

describe("catalog publishing", () => {
  it("takes a draft through review to published, with audit events in the publisher's log", async () => {
    const publisher = await seedOrg();
    const operator = callerFor(await seedUser({ operator: true }));
    const tenant = await seedOrg();
    const { item, version } = await draftItem(publisher.caller, publisher.org.id);
    expect(item.status).toBe("DRAFT");
    expect(version).toMatchObject({ status: "DRAFT", resources: { cpu: "100m", memory: "128Mi" }, ports: [{ name: "http", port: 8080, protocol: "TCP" }] });

    await expect(tenant.caller.catalog.get({ orgId: tenant.org.id, slug: item.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const submitted = await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id });
    expect(submitted.status).toBe("IN_REVIEW");
    await expect(publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const queue = await operator.catalog.review.queue({ limit: 100 });
    expect(queue.items.map((e) => e.version.id)).toContain(version.id);

    await operator.catalog.review.approve({ versionId: version.id });
    await expect(operator.catalog.review.approve({ versionId: version.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("not waiting for review") });

    const seen = await tenant.caller.catalog.get({ orgId: tenant.org.id, slug: item.slug });
    expect(seen).toMatchObject({ status: "PUBLISHED", latestVersion: { id: version.id, version: "1.0.0" }, publisher: { name: publisher.org.name }, viewerIsPublisher: false });
    expect(seen.versions.map((v) => v.version)).toEqual(["1.0.0"]);

    const log = await publisher.caller.audit.list({ orgId: publisher.org.id, action: "catalog." });
    expect(log.items.map((e) => e.action)).toEqual(["catalog.approve", "catalog.submit", "catalog.add_version", "catalog.create_item"]);
    expect(log.items[0]).toMatchObject({ targetId: version.id, actorEmail: expect.stringContaining("@example.test") });
  });

  it("rejects with a comment the publisher sees, and lets them fix and resubmit", async () => {
    const publisher = await seedOrg();
    const operator = callerFor(await seedUser({ operator: true }));
    const { item, version } = await draftItem(publisher.caller, publisher.org.id);
    await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id });
    await expect(operator.catalog.review.reject({ versionId: version.id, comment: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await operator.catalog.review.reject({ versionId: version.id, comment: "Pin the image to a digest, please" });

    const mine = await publisher.caller.catalog.mine({ orgId: publisher.org.id });
    expect(mine.items).toEqual([expect.objectContaining({ id: item.id, status: "REJECTED", reviewComment: "Pin the image to a digest, please" })]);
    const detail = await publisher.caller.catalog.get({ orgId: publisher.org.id, slug: item.slug });
    expect(detail.versions[0]).toMatchObject({ status: "REJECTED" });

    await expect(publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const fixed = await publisher.caller.catalog.addVersion({
      orgId: publisher.org.id,
      itemId: item.id,
      version: "1.0.0",
      image: `ghcr.io/wharf-test/x@sha256:${"a".repeat(64)}`,
      paramsSchema,
    });
    expect(fixed).toMatchObject({ id: version.id, status: "DRAFT" });
    await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id });
    await operator.catalog.review.approve({ versionId: version.id });
    expect((await publisher.caller.catalog.mine({ orgId: publisher.org.id })).items[0]).toMatchObject({ status: "PUBLISHED", reviewComment: null });

    const log = await operator.audit.listAll({ orgId: publisher.org.id, action: "catalog.reject" });
    expect(log.items[0]?.after).toMatchObject({ comment: "Pin the image to a digest, please" });
  });

  it("lets only operators review, and only admins and owners publish", async () => {
    const publisher = await seedOrg();
    const { version } = await draftItem(publisher.caller, publisher.org.id);
    await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: version.id });
    await expect(publisher.caller.catalog.review.approve({ versionId: version.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(publisher.caller.catalog.review.queue({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(null).catalog.review.reject({ versionId: version.id, comment: "no" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    const dev = await addMember(publisher.caller, publisher.org.id, "DEVELOPER");
    await expect(
      dev.caller.catalog.createItem({ orgId: publisher.org.id, slug: uniqueSlug("dev"), name: "Dev item", summary: "Not allowed", categories: ["x1"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await dev.caller.catalog.list({ orgId: publisher.org.id })).items).toBeDefined();
  });

  it("refuses a slug that is taken", async () => {
    const { publisher, item } = await publishedItem();
    await expect(
      publisher.caller.catalog.createItem({ orgId: publisher.org.id, slug: item.slug, name: "Again", summary: "Same slug", categories: ["testing"] }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining(item.slug) });
  });

  it("keeps published versions immutable", async () => {
    const { publisher, item } = await publishedItem();
    await expect(
      publisher.caller.catalog.addVersion({ orgId: publisher.org.id, itemId: item.id, version: "1.0.0", image: "ghcr.io/x/y:2.0.0", paramsSchema }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("published") });
  });
});

describe("catalog visibility", () => {
  it("hides another organisation's drafts and restricted items, as not found", async () => {
    const publisher = await seedOrg();
    const allowed = await seedOrg();
    const stranger = await seedOrg();
    const operator = callerFor(await seedUser({ operator: true }));
    const draft = await draftItem(publisher.caller, publisher.org.id);
    const restricted = await draftItem(publisher.caller, publisher.org.id, { visibility: "RESTRICTED", allowedOrgIds: [allowed.org.id] });
    await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: restricted.version.id });
    await operator.catalog.review.approve({ versionId: restricted.version.id });

    for (const slug of [draft.item.slug, restricted.item.slug]) {
      await expect(stranger.caller.catalog.get({ orgId: stranger.org.id, slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const strangerList = await stranger.caller.catalog.list({ orgId: stranger.org.id, search: restricted.item.slug });
    expect(strangerList.items).toEqual([]);
    await expect(catalog.findDeployableVersion(stranger.org.id, restricted.version.id)).rejects.toMatchObject({ code: "CATALOG_VERSION_NOT_FOUND" });
    await expect(catalog.findDeployableVersion(publisher.org.id, draft.version.id)).rejects.toMatchObject({ code: "CATALOG_VERSION_NOT_FOUND" });

    const seen = await allowed.caller.catalog.get({ orgId: allowed.org.id, slug: restricted.item.slug });
    expect(seen).toMatchObject({ visibility: "RESTRICTED", allowedOrgIds: [], reviewComment: null });
    expect((await allowed.caller.catalog.list({ orgId: allowed.org.id, search: restricted.item.slug })).items).toHaveLength(1);
    const deployable = await catalog.findDeployableVersion(allowed.org.id, restricted.version.id);
    expect(deployable).toMatchObject({ item: { slug: restricted.item.slug }, version: { version: "1.0.0", defaults: { maxConnections: 10 }, probes: { readiness: { path: "/healthz", port: 8080 } } } });

    // The publisher sees its own items in every status, with whom they are shared.
    expect(await publisher.caller.catalog.get({ orgId: publisher.org.id, slug: draft.item.slug })).toMatchObject({ status: "DRAFT", viewerIsPublisher: true });
    expect(await publisher.caller.catalog.get({ orgId: publisher.org.id, slug: restricted.item.slug })).toMatchObject({ allowedOrgIds: [allowed.org.id] });
    // The publisher's default canary strategy shows on the item; no other organisation may set it.
    const strategy = { weights: [20, 100], pauseSeconds: 60, minRequests: 10 };
    expect(await allowed.caller.catalog.get({ orgId: allowed.org.id, slug: restricted.item.slug })).toMatchObject({ releaseStrategy: null });
    await publisher.caller.releases.setCatalogStrategy({ orgId: publisher.org.id, itemId: restricted.item.id, strategy });
    expect(await allowed.caller.catalog.get({ orgId: allowed.org.id, slug: restricted.item.slug })).toMatchObject({ releaseStrategy: strategy });
    await expect(allowed.caller.releases.setCatalogStrategy({ orgId: allowed.org.id, itemId: restricted.item.id, strategy: null })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(publisher.caller.releases.setCatalogStrategy({ orgId: publisher.org.id, itemId: restricted.item.id, strategy: { ...strategy, weights: [20, 90] } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await allowed.caller.catalog.get({ orgId: allowed.org.id, slug: restricted.item.slug })).toMatchObject({ releaseStrategy: strategy });
    // Someone else's draft cannot be submitted, changed or deprecated.
    await expect(stranger.caller.catalog.submit({ orgId: stranger.org.id, versionId: draft.version.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      stranger.caller.catalog.addVersion({ orgId: stranger.org.id, itemId: draft.item.id, version: "9.9.9", image: "ghcr.io/x/y:9.9.9", paramsSchema }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.catalog.deprecate({ orgId: stranger.org.id, itemId: restricted.item.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("deprecates: gone from the list, still readable, no new deploys, no newer version offered", async () => {
    const { publisher, operator, item, version } = await publishedItem();
    const tenant = await seedOrg();
    const v2 = await publisher.caller.catalog.addVersion({ orgId: publisher.org.id, itemId: item.id, version: "1.1.0", image: "ghcr.io/x/y:1.1.0", paramsSchema });
    await publisher.caller.catalog.submit({ orgId: publisher.org.id, versionId: v2.id });
    await operator.catalog.review.approve({ versionId: v2.id });
    expect(await catalog.latestPublishedVersions([item.id])).toEqual(new Map([[item.id, { id: v2.id, version: "1.1.0" }]]));
    expect((await tenant.caller.catalog.get({ orgId: tenant.org.id, slug: item.slug })).versions.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);

    await operator.catalog.review.deprecate({ itemId: item.id });
    await expect(operator.catalog.review.deprecate({ itemId: item.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await tenant.caller.catalog.list({ orgId: tenant.org.id, search: item.slug })).items).toEqual([]);
    expect(await tenant.caller.catalog.get({ orgId: tenant.org.id, slug: item.slug })).toMatchObject({ status: "DEPRECATED" });
    await expect(catalog.findDeployableVersion(tenant.org.id, version.id)).rejects.toMatchObject({ code: "CATALOG_VERSION_NOT_FOUND", message: expect.stringContaining("keep running") });
    expect(await catalog.latestPublishedVersions([item.id])).toEqual(new Map());
    const log = await publisher.caller.audit.list({ orgId: publisher.org.id, action: "catalog.deprecate" });
    expect(log.items).toHaveLength(1);
  });
});

describe("catalog input", () => {
  it("refuses an invalid JSON Schema, image, version or dependency with messages a person can act on", async () => {
    const publisher = await seedOrg();
    const { item } = await draftItem(publisher.caller, publisher.org.id);
    const base = { orgId: publisher.org.id, itemId: item.id, version: "2.0.0", image: "ghcr.io/x/y:2.0.0", paramsSchema };
    const fieldErrors = async (input: object) => {
      try {
        await publisher.caller.catalog.addVersion({ ...base, ...input });
      } catch (error) {
        expect(error).toMatchObject({ code: "BAD_REQUEST" });
        return (error as { cause: { issues: { path: string[]; message: string }[] } }).cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      throw new Error("expected a refusal");
    };
    expect(await fieldErrors({ paramsSchema: { type: "object", properties: { a: { type: "strng" } } } })).toEqual([
      expect.stringMatching(/^paramsSchema: The parameters schema is not a valid JSON Schema.*\/properties\/a\/type/),
    ]);
    expect(await fieldErrors({ paramsSchema: { type: "object", properties: { a: { type: "string", minimun: 2 } } } })).toEqual([expect.stringContaining('unknown keyword: "minimun"')]);
    expect(await fieldErrors({ paramsSchema: { type: "array" } })).toEqual([expect.stringContaining('"type": "object"')]);
    expect(await fieldErrors({ paramsSchema: { type: "object", description: "x".repeat(70_000) } })).toEqual([expect.stringContaining("at most 64 KiB")]);
    expect(await fieldErrors({ image: "Not An Image" })).toEqual([expect.stringContaining("image: Use an image reference")]);
    expect(await fieldErrors({ image: "nginx:latest" })).toEqual([expect.stringContaining("rather than :latest")]);
    expect(await fieldErrors({ version: "v2" })).toEqual(["version: Use a semantic version such as 1.4.2 or 2.0.0-rc.1"]);
    expect(await fieldErrors({ defaults: { logLevel: "loud" } })).toEqual([expect.stringContaining("defaults: The defaults do not fit the schema: logLevel must be one of")]);
    expect(await fieldErrors({ ports: [{ name: "http", port: 70000 }] })).toEqual(["ports.0.port: Ports end at 65535"]);
    expect(await fieldErrors({ resources: { cpu: "lots", memory: "1Gi" } })).toEqual([expect.stringContaining("resources.cpu")]);

    await expect(publisher.caller.catalog.addVersion({ ...base, dependsOn: ["no-such-service"] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('"no-such-service"'),
    });
    const dependency = await publishedItem();
    const ok = await publisher.caller.catalog.addVersion({ ...base, dependsOn: [dependency.item.slug] });
    expect(ok.dependsOn).toEqual([dependency.item.slug]);
  });

  it("refuses sharing with organisations that do not exist", async () => {
    const publisher = await seedOrg();
    await expect(
      publisher.caller.catalog.createItem({ orgId: publisher.org.id, slug: uniqueSlug("shared"), name: "Shared", summary: "Shared with a ghost", categories: ["testing"], visibility: "RESTRICTED", allowedOrgIds: ["org_ghost0000000000000"] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("org_ghost0000000000000") });
  });
});

describe("catalog browsing", () => {
  it("searches, filters by category and pages with a cursor", async () => {
    const tenant = await seedOrg();
    const tag = uniqueSlug("zq").replace(/-/g, "");
    const category = `cat-${tag}`.slice(0, 30);
    for (let i = 0; i < 3; i++) await publishedItem({ name: `Widget ${tag} ${i}`, categories: [category] });
    await publishedItem({ name: `Gadget ${tag}`, categories: ["other-things"] });

    const bySearch = await tenant.caller.catalog.list({ orgId: tenant.org.id, search: `widget ${tag}` });
    expect(bySearch.items.map((i) => i.name).sort()).toEqual([0, 1, 2].map((i) => `Widget ${tag} ${i}`));
    const byCategory = await tenant.caller.catalog.list({ orgId: tenant.org.id, category });
    expect(byCategory.items).toHaveLength(3);
    expect(await tenant.caller.catalog.categories({ orgId: tenant.org.id })).toEqual(expect.arrayContaining([category, "other-things"]));
    expect((await tenant.caller.catalog.list({ orgId: tenant.org.id, search: tag })).items).toHaveLength(4);

    const first = await tenant.caller.catalog.list({ orgId: tenant.org.id, category, limit: 2 });
    const second = await tenant.caller.catalog.list({ orgId: tenant.org.id, category, limit: 2, cursor: first.nextCursor! });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i) => i.id)).size).toBe(3);
    await expect(tenant.caller.catalog.list({ orgId: tenant.org.id, cursor: "bm90LWpzb24" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(tenant.caller.catalog.list({ orgId: tenant.org.id, limit: 1000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
