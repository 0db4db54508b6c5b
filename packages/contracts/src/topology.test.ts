import { describe, expect, it } from "vitest";
import { type ServiceGraph, graphFromColumns, graphToColumns } from "./topology";

const node = (id: string, orgId: string, namespace: string, overrides: Partial<ServiceGraph["nodes"][number]> = {}): ServiceGraph["nodes"][number] => ({
  id,
  orgId,
  name: id.replace("svc_", ""),
  namespace,
  shared: false,
  appId: null,
  requests: 100,
  errors: 1,
  requestsPerSecond: 0.111,
  errorRate: 0.01,
  p95Ms: 12.5,
  budgetRemaining: null,
  openPageAlerts: 0,
  openTicketAlerts: 0,
  incidentId: null,
  incidentNumber: null,
  health: "ok",
  healthReason: "healthy",
  ...overrides,
});

const graph: ServiceGraph = {
  window: "15m",
  from: new Date("2026-11-26T10:00:00.000Z"),
  to: new Date("2026-11-26T10:14:30.000Z"),
  tenants: [{ id: "org_a", slug: "acme", name: "Acme" }],
  truncated: true,
  totalNodes: 4,
  totalEdges: 3,
  nodes: [
    node("svc_cart", "org_a", "shop", { appId: "app_1", budgetRemaining: 0.4 }),
    node("svc_auth", "org_p", "", { shared: true, p95Ms: null, health: "critical", healthReason: "1 open page alert", openPageAlerts: 1 }),
    node("svc_pay", "org_a", "shop", { health: "idle", healthReason: "no traffic in this window", requests: 0 }),
  ],
  edges: [
    { caller: 0, callee: 1, requests: 10, errors: 2, requestsPerSecond: 0.011, errorRate: 0.2, p95Ms: 3.1 },
    { caller: 2, callee: 0, requests: 5, errors: 0, requestsPerSecond: 0.006, errorRate: 0, p95Ms: null },
  ],
};

describe("graph columns", () => {
  it("round-trips every field of nodes and edges", () => {
    expect(graphFromColumns(graphToColumns(graph))).toEqual(graph);
  });

  it("survives JSON, sending repeated strings once", () => {
    const columns = JSON.parse(JSON.stringify(graphToColumns(graph)));
    expect(columns.orgIds).toEqual(["org_a", "org_p"]);
    expect(columns.namespaces).toEqual(["shop", ""]);
    expect(graphFromColumns(columns)).toEqual(graph);
  });
});
