import { describe, expect, it } from "vitest";
import { divergence, intent } from "./drift";

describe("drift", () => {
  const desired = { metadata: { labels: { a: "1" } }, spec: { hard: { pods: "20", "requests.cpu": "2" } } };

  it("ignores fields the cluster adds", () => {
    expect(divergence(desired, { metadata: { labels: { a: "1", extra: "x" }, uid: "u" }, spec: { hard: { pods: "20", "requests.cpu": "2" }, scopes: [] } })).toEqual([]);
  });

  it("names each field changed outside Wharf", () => {
    expect(divergence(desired, { metadata: { labels: { a: "2" } }, spec: { hard: { pods: "999", "requests.cpu": "2" } } })).toEqual([
      "metadata.labels.a",
      "spec.hard.pods",
    ]);
  });

  it("treats a removed field and a changed list as drift", () => {
    expect(divergence({ spec: { list: [1, 2] } }, { spec: { list: [1] } })).toEqual(["spec.list"]);
    expect(divergence({ spec: { x: "1" } }, { spec: {} })).toEqual(["spec.x"]);
  });

  it("keeps labels and spec, not identity or status", () => {
    expect(intent({ apiVersion: "v1", kind: "X", metadata: { name: "n", labels: { a: "1" } }, spec: { s: 1 }, status: { x: 1 } })).toEqual({
      metadata: { labels: { a: "1" } },
      spec: { s: 1 },
    });
  });
});
