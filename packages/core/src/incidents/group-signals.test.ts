import { describe, expect, it } from "vitest";
import { adjacency } from "../graph/reachable";
import { type OpenGroup, type Signal, groupSignals, worse } from "./group-signals";
import { rankChanges } from "./rank-changes";

const t0 = new Date("2026-12-06T10:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function signal(service: string, minutes = 0, extra: Partial<Signal> = {}): Signal {
  return {
    fingerprint: `slo-burn:${service}`,
    source: "slo-burn",
    orgId: "org_a",
    serviceIds: [service],
    appId: null,
    clusterId: null,
    subject: service,
    title: `${service} burns`,
    detail: "",
    severity: "SEV2",
    firedAt: at(minutes),
    ...extra,
  };
}

// Two components: web -> api -> db -> disk, and mail -> smtp; lonely has no edges.
const edges = [
  { from: "web", to: "api" },
  { from: "api", to: "db" },
  { from: "db", to: "disk" },
  { from: "mail", to: "smtp" },
];
const graph = (list: typeof edges) => ({ downstream: adjacency(list, "out"), upstream: adjacency(list, "in") });
const options = { windowMs: 10 * 60_000, depth: 3, ...graph(edges) };
const groupsOf = (placements: Awaited<ReturnType<typeof groupSignals>>) =>
  placements.map((p) => ("incidentId" in p ? `inc:${p.incidentId}` : `new:${p.newGroup}`));

describe("groupSignals", () => {
  it("puts signals on connected services in one new incident and unconnected ones apart", async () => {
    const placements = await groupSignals([signal("db"), signal("web", 1), signal("smtp", 2), signal("mail", 3), signal("lonely", 4)], [], options);
    expect(groupsOf(placements)).toEqual(["new:0", "new:0", "new:1", "new:1", "new:2"]);
  });

  it("joins an open incident on a connected service within the window, and not after it", async () => {
    const open: OpenGroup[] = [{ id: "inc_1", serviceIds: ["api"], clusterIds: [], clusterLevelIds: [], lastSignalAt: at(0) }];
    expect(groupsOf(await groupSignals([signal("disk", 9)], open, options))).toEqual(["inc:inc_1"]);
    expect(groupsOf(await groupSignals([signal("disk", 11)], open, options))).toEqual(["new:0"]);
  });

  it("does not join a service further than the depth allows", async () => {
    const open: OpenGroup[] = [{ id: "inc_1", serviceIds: ["web"], clusterIds: [], clusterLevelIds: [], lastSignalAt: at(0) }];
    expect(groupsOf(await groupSignals([signal("disk", 1)], open, { ...options, depth: 2 }))).toEqual(["new:0"]);
    expect(groupsOf(await groupSignals([signal("disk", 1)], open, { ...options, depth: 3 }))).toEqual(["inc:inc_1"]);
  });

  it("does not relate two callers of a shared service through it, unless it fails too", async () => {
    const hub = [
      { from: "shop", to: "auth" },
      { from: "blog", to: "auth" },
    ];
    const hubOptions = { ...options, ...graph(hub) };
    expect(groupsOf(await groupSignals([signal("shop"), signal("blog", 1)], [], hubOptions))).toEqual(["new:0", "new:1"]);
    expect(groupsOf(await groupSignals([signal("auth"), signal("shop", 1), signal("blog", 2)], [], hubOptions))).toEqual(["new:0", "new:0", "new:0"]);
  });

  it("picks the nearest of two open incidents", async () => {
    const open: OpenGroup[] = [
      { id: "inc_far", serviceIds: ["web"], clusterIds: [], clusterLevelIds: [], lastSignalAt: at(0) },
      { id: "inc_near", serviceIds: ["db"], clusterIds: [], clusterLevelIds: [], lastSignalAt: at(0) },
    ];
    expect(groupsOf(await groupSignals([signal("disk", 1)], open, options))).toEqual(["inc:inc_near"]);
  });

  it("groups a failing cluster with the workloads on it, but not two unrelated workloads on one cluster", async () => {
    const crash = (service: string, minutes: number) => signal(service, minutes, { source: "crash-loop", fingerprint: `crash-loop:${service}`, clusterId: "clu_1" });
    expect(groupsOf(await groupSignals([crash("lonely", 0), crash("smtp", 1)], [], options))).toEqual(["new:0", "new:1"]);
    const down = signal("", 2, { source: "cluster-unreachable", fingerprint: "cluster-unreachable:clu_1", serviceIds: [], clusterId: "clu_1", orgId: null });
    expect(groupsOf(await groupSignals([crash("lonely", 0), down, crash("smtp", 3)], [], options))).toEqual(["new:0", "new:0", "new:0"]);
  });
});

describe("worse", () => {
  it("prefers the lower SEV number", () => {
    expect(worse("SEV3", "SEV1")).toBe("SEV1");
    expect(worse("SEV2", "SEV4")).toBe("SEV2");
  });
});

describe("rankChanges", () => {
  const distances = new Map([
    ["api", 0],
    ["db", 1],
    ["web", 1],
    ["disk", 2],
  ]);
  it("ranks by distance, then newest first, and drops changes out of reach", () => {
    const changes = [
      { id: "disk-resize", at: at(-50), serviceIds: ["disk"] },
      { id: "web-scale", at: at(-5), serviceIds: ["web"] },
      { id: "api-upgrade-old", at: at(-40), serviceIds: ["api"] },
      { id: "db-config", at: at(-10), serviceIds: ["db"] },
      { id: "mail-upgrade", at: at(-1), serviceIds: ["mail"] },
      { id: "api-upgrade", at: at(-2), serviceIds: ["api"] },
      { id: "space-quota", at: at(-3), serviceIds: ["smtp", "disk"] },
    ];
    expect(rankChanges(changes, distances).map((c) => [c.id, c.distance])).toEqual([
      ["api-upgrade", 0],
      ["api-upgrade-old", 0],
      ["web-scale", 1],
      ["db-config", 1],
      ["space-quota", 2],
      ["disk-resize", 2],
    ]);
  });
});
