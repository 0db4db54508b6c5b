import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeTraceRequest } from "./otlp/decode";
import { type Span } from "./otlp/types";
import {
  bucketIndex,
  emptyHistogram,
  estimateQuantile,
  HOUR_MS,
  latencyPercentiles,
  mergeEdgeRollups,
  mergeServiceRollups,
  rollupSpans,
  type LatencyHistogram,
  type ServiceRollup,
} from "./rollups";

const fixtureDir = path.join(import.meta.dirname, "../test/fixtures");
const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z, where the fixtures start

function fixtureSpans(): Span[] {
  return [
    ...decodeTraceRequest(fs.readFileSync(path.join(fixtureDir, "frontend.pb.bin")), { contentType: "application/x-protobuf" }).spans,
    ...decodeTraceRequest(fs.readFileSync(path.join(fixtureDir, "checkout.pb.gz.bin")), {
      contentType: "application/x-protobuf",
      contentEncoding: "gzip",
    }).spans,
  ];
}

function histogram(counts: Record<number, number>, sumMs = 0): LatencyHistogram {
  const h = emptyHistogram();
  for (const [i, count] of Object.entries(counts)) h.counts[Number(i)] = count;
  h.sumMs = sumMs;
  return h;
}

describe("rollupSpans", () => {
  it("rolls the SDK fixtures up per service and minute", () => {
    const { services } = rollupSpans(fixtureSpans());
    expect(services).toEqual([
      // GET /checkout 120 ms (100..250] and GET /cart 3 ms answered 503 (an error).
      { service: "shop/frontend", periodStartMs: T, requests: 2, errors: 1, latency: histogram({ 0: 1, 5: 1 }, 123) },
      // GET /health 7.5 ms, status ERROR, the next minute.
      { service: "shop/frontend", periodStartMs: T + 60_000, requests: 1, errors: 1, latency: histogram({ 1: 1 }, 7.5) },
      // POST /pay 60 ms (SERVER) and the 300 ms CONSUMER span.
      { service: "shop/checkout", periodStartMs: T, requests: 2, errors: 0, latency: histogram({ 4: 1, 6: 1 }, 360) },
    ]);
  });

  it("builds edges from child server spans, then peer.service, then server.address", () => {
    const { edges } = rollupSpans(fixtureSpans());
    expect(edges.map((e) => [e.caller, e.callee, e.periodStartMs - T, e.requests, e.errors, e.latency.sumMs])).toEqual([
      ["shop/frontend", "shop/checkout", 0, 1, 0, 80],
      ["shop/frontend", "redis.tenant-acme.svc", 60_000, 1, 1, 2],
      ["shop/checkout", "payments.example.com", 0, 1, 0, 40],
    ]);
    // Without checkout's spans the frontend -> checkout edge comes from peer.service.
    const frontendOnly = fixtureSpans().filter((s) => s.service.name === "frontend");
    expect(rollupSpans(frontendOnly).edges[0]).toMatchObject({ caller: "shop/frontend", callee: "checkout" });
  });

  it("puts latencies on the upper-inclusive bucket bounds", () => {
    expect([0, 5, 5.001, 10, 10000, 10000.5, 1e9].map(bucketIndex)).toEqual([0, 0, 1, 1, 10, 11, 11]);
  });
});

describe("merging", () => {
  const a: ServiceRollup = { service: "api", periodStartMs: T, requests: 10, errors: 1, latency: histogram({ 0: 6, 3: 4 }, 100) };
  const b: ServiceRollup = { service: "api", periodStartMs: T, requests: 5, errors: 2, latency: histogram({ 3: 1, 11: 4 }, 50_040) };
  const c: ServiceRollup = { service: "api", periodStartMs: T + 59 * 60_000, requests: 1, errors: 0, latency: histogram({ 2: 1 }, 20) };
  const next: ServiceRollup = { service: "api", periodStartMs: T + HOUR_MS, requests: 1, errors: 1, latency: histogram({ 0: 1 }, 1) };

  it("adds batches of one minute", () => {
    expect(mergeServiceRollups([a, b, c])).toEqual([
      { service: "api", periodStartMs: T, requests: 15, errors: 3, latency: histogram({ 0: 6, 3: 5, 11: 4 }, 50_140) },
      c,
    ]);
  });

  it("adds minutes into hours without touching its inputs", () => {
    expect(mergeServiceRollups([next, a, b, c], HOUR_MS)).toEqual([
      { service: "api", periodStartMs: T, requests: 16, errors: 3, latency: histogram({ 0: 6, 2: 1, 3: 5, 11: 4 }, 50_160) },
      next,
    ]);
    expect(a.latency.counts[0]).toBe(6);
  });

  it("merges edges by caller and callee", () => {
    const edge = { caller: "web", callee: "api", periodStartMs: T, requests: 1, errors: 0, latency: histogram({ 0: 1 }, 2) };
    const merged = mergeEdgeRollups([edge, { ...edge, periodStartMs: T + 120_000 }, { ...edge, callee: "db" }], HOUR_MS);
    expect(merged.map((e) => [e.caller, e.callee, e.requests, e.latency.counts[0], e.latency.sumMs])).toEqual([
      ["web", "api", 2, 2, 4],
      ["web", "db", 1, 1, 2],
    ]);
  });
});

describe("estimateQuantile", () => {
  // 10 in (0,5], 20 in (5,10], 60 in (50,100], 10 in (100,250]: 100 requests.
  const h = histogram({ 0: 10, 1: 20, 4: 60, 5: 10 });

  it("interpolates linearly inside the bucket", () => {
    expect(estimateQuantile(h, 0.1)).toBe(5); // rank 10: end of the first bucket
    expect(estimateQuantile(h, 0.2)).toBe(7.5); // rank 20: 5 + 5 * 10/20
    expect(estimateQuantile(h, 0.5)).toBeCloseTo(66.6667, 3); // rank 50: 50 + 50 * 20/60
    expect(latencyPercentiles(h)).toEqual({ p50: expect.closeTo(66.6667, 3), p95: 175, p99: 235 });
  });

  it("answers the last finite bound in the +Inf bucket and null when empty", () => {
    expect(estimateQuantile(histogram({ 11: 3 }), 0.5)).toBe(10_000);
    expect(estimateQuantile(emptyHistogram(), 0.99)).toBeNull();
    expect(() => estimateQuantile(h, 0)).toThrow(RangeError);
  });
});
