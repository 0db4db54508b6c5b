import { describe, expect, it } from "vitest";
import { assembleGraph, neighbourhood, rollupSource } from "./assemble-graph";
import type { EdgeTotals, ServiceRow } from "./topology-repository";

const row = (id: string, orgId: string, requests: number | null, extra: Partial<ServiceRow> = {}): ServiceRow => ({
  id,
  orgId,
  name: id,
  namespace: "ns",
  shared: false,
  appId: null,
  requests,
  errors: requests === null ? null : 0,
  buckets: requests === null ? null : `0,${requests},0,0,0,0,0,0,0,0,0,0`,
  budgetRemaining: null,
  openPageAlerts: 0,
  openTicketAlerts: 0,
  incidentId: null,
  incidentNumber: null,
  ...extra,
});
const edge = (callerId: string, calleeId: string, requests: number, errors = 0): EdgeTotals => ({ callerId, calleeId, requests, errors, buckets: `${requests},0,0,0,0,0,0,0,0,0,0,0` });

describe("rollupSource", () => {
  const now = new Date("2026-11-26T10:17:42.500Z");

  it("covers the current minute and the whole minutes before it for short windows", () => {
    const source = rollupSource("15m", now);
    expect(source).toMatchObject({ resolution: "minute", from: new Date("2026-11-26T10:03:00.000Z"), to: now });
    expect(source.seconds).toBe(14 * 60 + 42.5);
  });

  it("reads hourly rows for long windows", () => {
    expect(rollupSource("6h", now)).toMatchObject({ resolution: "hour", from: new Date("2026-11-26T05:00:00.000Z") });
  });
});

describe("neighbourhood", () => {
  const calls = [
    { callerId: "a", calleeId: "b" },
    { callerId: "b", calleeId: "c" },
    { callerId: "d", calleeId: "c" },
    { callerId: "x", calleeId: "y" },
  ];

  it("walks calls either way up to the depth", async () => {
    expect([...(await neighbourhood(calls, "b", 1))].sort()).toEqual(["a", "b", "c"]);
    expect([...(await neighbourhood(calls, "b", 2))].sort()).toEqual(["a", "b", "c", "d"]);
    expect([...(await neighbourhood(calls, "lonely", 3))]).toEqual(["lonely"]);
  });
});

describe("assembleGraph", () => {
  it("counts another organisation's shared service only through the viewer's calls to it", () => {
    const graph = assembleGraph([edge("web", "auth", 40, 4)], [row("web", "me", 300), row("auth", "platform", null, { shared: true })], {
      viewerOrgId: "me",
      seconds: 60,
      limit: 10,
    });
    expect(graph.nodes.find((n) => n.id === "auth")).toMatchObject({ requests: 40, errors: 4, errorRate: 0.1, health: "critical", p95Ms: 4.8 });
    expect(graph.edges).toEqual([{ caller: 0, callee: 1, requests: 40, errors: 4, requestsPerSecond: 0.667, errorRate: 0.1, p95Ms: 4.8 }]);
  });

  it("drops edges whose ends are not visible", () => {
    const graph = assembleGraph([edge("web", "secret", 10)], [row("web", "me", 10)], { viewerOrgId: "me", seconds: 60, limit: 10 });
    expect(graph.edges).toEqual([]);
    expect(graph.totalEdges).toBe(0);
  });

  it("keeps the busiest services and the focus under the cap, and says so", () => {
    const services = [row("quiet", "me", 1), row("busy", "me", 100), row("middling", "me", 50)];
    const edges = [edge("busy", "middling", 5), edge("quiet", "busy", 1)];
    const capped = assembleGraph(edges, services, { viewerOrgId: null, seconds: 60, limit: 2 });
    expect(capped.nodes.map((n) => n.id)).toEqual(["busy", "middling"]);
    expect(capped).toMatchObject({ truncated: true, totalNodes: 3, totalEdges: 2 });
    expect(capped.edges.map((e) => [e.caller, e.callee])).toEqual([[0, 1]]);

    const focused = assembleGraph(edges, services, { viewerOrgId: null, seconds: 60, limit: 2, focusId: "quiet" });
    expect(focused.nodes.map((n) => n.id)).toEqual(["quiet", "busy"]);
    expect(assembleGraph(edges, services, { viewerOrgId: null, seconds: 60, limit: 3 }).truncated).toBe(false);
  });
});
