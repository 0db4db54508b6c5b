import { describe, expect, it } from "vitest";
import { adjacency, reachable } from "./reachable";

const edges = [
  { from: "a", to: "b" },
  { from: "b", to: "c" },
  { from: "c", to: "a" }, // a cycle
  { from: "c", to: "d" },
  { from: "e", to: "d" },
];

describe("reachable", () => {
  it("gives each node its shortest distance, through cycles, up to the depth", async () => {
    expect(Object.fromEntries(await reachable(["a"], 5, adjacency(edges, "out")))).toEqual({ a: 0, b: 1, c: 2, d: 3 });
    expect(Object.fromEntries(await reachable(["a"], 2, adjacency(edges, "out")))).toEqual({ a: 0, b: 1, c: 2 });
  });

  it("walks backwards, both ways, and from several starts", async () => {
    expect(Object.fromEntries(await reachable(["d"], 1, adjacency(edges, "in")))).toEqual({ d: 0, c: 1, e: 1 });
    expect([...(await reachable(["e"], 2, adjacency(edges, "both"))).keys()].sort()).toEqual(["c", "d", "e"]);
    expect(Object.fromEntries(await reachable(["a", "e"], 1, adjacency(edges, "out")))).toEqual({ a: 0, e: 0, b: 1, d: 1 });
  });

  it("asks for one frontier per hop, so a stored graph costs a query per hop", async () => {
    const asked: string[][] = [];
    const expand = adjacency(edges, "out");
    await reachable(["a"], 10, async (frontier) => (asked.push(frontier), expand(frontier)));
    expect(asked).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("is just the start at depth 0 or without edges", async () => {
    expect([...(await reachable(["lonely"], 0, adjacency(edges, "both"))).keys()]).toEqual(["lonely"]);
    expect([...(await reachable(["lonely"], 3, adjacency(edges, "both"))).keys()]).toEqual(["lonely"]);
  });
});
