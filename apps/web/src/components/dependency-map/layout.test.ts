import { describe, expect, it } from "vitest";
import { LINK_DISTANCE, layoutTick, startLayout, type LayoutGraph } from "./layout";

function graphOf(n: number, pairs: [number, number][], fixed: number[] = []): LayoutGraph {
  const f = new Uint8Array(n);
  for (const i of fixed) f[i] = 1;
  return { n, edges: Int32Array.from(pairs.flat()), x: new Float32Array(n), y: new Float32Array(n), fixed: f };
}

function settle(graph: LayoutGraph) {
  const run = startLayout(graph);
  while (layoutTick(run));
  return run;
}

const distance = (g: LayoutGraph, a: number, b: number) => Math.hypot(g.x[a]! - g.x[b]!, g.y[a]! - g.y[b]!);

describe("force layout", () => {
  it("keeps fixed nodes exactly where they were", () => {
    const graph = graphOf(3, [[0, 1], [1, 2]], [0, 1]);
    graph.x.set([100, 200, 0]);
    graph.y.set([-50, 75, 0]);
    settle(graph);
    expect([graph.x[0], graph.y[0], graph.x[1], graph.y[1]]).toEqual([100, -50, 200, 75]);
    // The new node lands near its neighbour, not at the origin.
    expect(distance(graph, 2, 1)).toBeLessThan(LINK_DISTANCE * 3);
  });

  it("puts callers near their callees and unrelated nodes apart", () => {
    const pairs: [number, number][] = [];
    for (let i = 1; i < 10; i++) pairs.push([0, i]);
    for (let i = 11; i < 20; i++) pairs.push([10, i]);
    const graph = graphOf(20, pairs);
    settle(graph);
    const within = distance(graph, 0, 5);
    const across = distance(graph, 0, 10);
    expect(within).toBeLessThan(across);
    for (let i = 0; i < 20; i++) expect(Number.isFinite(graph.x[i]!) && Number.isFinite(graph.y[i]!)).toBe(true);
  });

  it("separates nodes that start on top of each other", () => {
    const graph = graphOf(50, []);
    settle(graph);
    let closest = Infinity;
    for (let a = 0; a < 50; a++) for (let b = a + 1; b < 50; b++) closest = Math.min(closest, distance(graph, a, b));
    expect(closest).toBeGreaterThan(5);
  });

  it("stops after its tick budget", () => {
    const run = startLayout(graphOf(5, [[0, 1]]), 10);
    let ticks = 0;
    while (layoutTick(run)) ticks++;
    expect(ticks + 1).toBe(10);
    expect(layoutTick(run)).toBe(false);
  });
});
