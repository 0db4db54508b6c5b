import { describe, expect, it } from "vitest";
import type { Span } from "@wharf/telemetry";
import { addSpanRollups, emptyRollups, mergeRollups } from "./span-rollups";

const T = 1_767_225_600_000n * 1_000_000n;
const ms = 1_000_000n;
const shop = { name: "shop", namespace: "retail", k8sNamespace: "prod" };

function span(overrides: Partial<Span>): Span {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    name: "GET /",
    kind: "SERVER",
    startTimeUnixNano: T,
    endTimeUnixNano: T + 20n * ms,
    statusCode: "UNSET",
    service: shop,
    attributes: {},
    ...overrides,
  };
}

describe("addSpanRollups", () => {
  it("keys services by the Kubernetes namespace first, then service.namespace, else none", () => {
    const rollups = addSpanRollups([
      span({}),
      span({ service: { name: "cart", namespace: "retail" } }),
      span({ service: { name: "batch" } }),
    ]);
    expect([...rollups.services.values()].map((r) => `${r.service.namespace}/${r.service.name}`)).toEqual(["prod/shop", "retail/cart", "/batch"]);
  });

  it("names callees by their server span, peer.service or a Kubernetes Service address", () => {
    const client = (spanId: string, attributes: Span["attributes"]) => span({ spanId, kind: "CLIENT", attributes });
    const rollups = addSpanRollups([
      client("00000000000000c1", { "peer.service": "cart" }),
      client("00000000000000c2", { "peer.service": "redis", "server.address": "redis.cache.svc.cluster.local" }),
      client("00000000000000c3", { "server.address": "payments.billing.svc" }),
      client("00000000000000c4", { "server.address": "api.example.com" }),
      client("00000000000000c5", {}),
      client("00000000000000c6", { "peer.service": "shop" }),
      client("00000000000000c7", {}),
      span({ spanId: "00000000000000d7", parentSpanId: "00000000000000c7", service: { name: "search", k8sNamespace: "prod" } }),
    ]);
    expect([...rollups.edges.values()].map((e) => [e.callee.namespace, e.callee.name])).toEqual([
      [null, "cart"],
      ["cache", "redis"],
      ["billing", "payments"],
      [null, "api.example.com"],
      ["prod", "search"],
    ]);
  });

  it("counts errors and latency buckets per minute, and merges by adding", () => {
    const rollups = addSpanRollups([
      span({ attributes: { "http.response.status_code": 503 } }),
      span({ statusCode: "ERROR", endTimeUnixNano: T + 3n * ms }),
      span({ startTimeUnixNano: T + 60_000n * ms, endTimeUnixNano: T + 60_400n * ms }),
    ]);
    const [first, second] = [...rollups.services.values()];
    expect(first).toMatchObject({ minuteMs: 1_767_225_600_000, requests: 2, errors: 2, sumMs: 23 });
    expect(first?.buckets.slice(0, 3)).toEqual([1, 0, 1]);
    expect(second).toMatchObject({ minuteMs: 1_767_225_660_000, requests: 1, errors: 0 });

    const total = emptyRollups();
    mergeRollups(total, rollups);
    mergeRollups(total, addSpanRollups([span({})]));
    expect([...total.services.values()][0]).toMatchObject({ requests: 3, errors: 2 });
    expect(total.spans).toBe(4);
  });

  it("keeps each revision's requests apart beside the totals, only for spans that carry service.version", () => {
    const v = (version: string) => ({ ...shop, version });
    const rollups = addSpanRollups([
      span({ service: v("3") }),
      span({ service: v("3"), statusCode: "ERROR" }),
      span({ service: v("4"), endTimeUnixNano: T + 400n * ms }),
      span({}),
      span({ service: v("4"), kind: "CLIENT", attributes: { "peer.service": "cart" } }),
      span({ service: v("x".repeat(65)) }),
    ]);
    expect([...rollups.services.values()]).toMatchObject([{ requests: 5, errors: 1 }]);
    expect([...rollups.revisions.values()].map((r) => [r.revision, r.requests, r.errors, r.sumMs])).toEqual([
      ["3", 2, 1, 40],
      ["4", 1, 0, 400],
    ]);

    const total = emptyRollups();
    mergeRollups(total, rollups);
    mergeRollups(total, addSpanRollups([span({ service: v("4") })]));
    expect([...total.revisions.values()].map((r) => [r.revision, r.requests])).toEqual([
      ["3", 2],
      ["4", 2],
    ]);
  });
});
