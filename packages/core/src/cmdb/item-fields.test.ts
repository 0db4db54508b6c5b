import { describe, expect, it } from "vitest";
import { fieldChanges, itemFields, replayFields } from "./item-fields";

describe("item fields and history", () => {
  const v1 = itemFields({ name: "web", orgId: "org_a", attributes: { image: "web:1", replicas: 2 }, manualAttributes: {} });
  const v2 = itemFields({ name: "web", orgId: "org_a", attributes: { image: "web:2", replicas: 2 }, manualAttributes: { owner: "payments" } });

  it("names each changed field with its before and after", () => {
    expect(fieldChanges(v1, v2)).toEqual({ "attributes.image": { before: "web:1", after: "web:2" }, "manual.owner": { before: null, after: "payments" } });
    expect(fieldChanges(v2, v2)).toEqual({});
    expect(fieldChanges(v2, { ...v2, "attributes.replicas": undefined })).toEqual({ "attributes.replicas": { before: 2, after: null } });
  });

  it("replays history to what an item looked like at a time", () => {
    const created = { action: "created", fields: fieldChanges({}, v1) };
    const updated = { action: "updated", fields: fieldChanges(v1, v2) };
    expect(replayFields([])).toBeNull();
    expect(replayFields([created])).toEqual({ fields: v1, retired: false });
    expect(replayFields([created, updated])).toEqual({ fields: v2, retired: false });
    expect(replayFields([created, updated, { action: "retired", fields: {} }])?.retired).toBe(true);
  });
});
