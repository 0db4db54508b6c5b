import { describe, expect, it } from "vitest";
import { buildSpatialGrid, hitTest } from "./spatial-grid";
import { upstreamAndDownstream } from "./graph-paths";
import { fitBounds, panBy, toScreen, toWorld, zoomAt } from "./viewport";

describe("hit testing", () => {
  const grid = buildSpatialGrid([0, 100, 104, -300], [0, 0, 0, -300], [10, 8, 8, 20], 32);

  it("finds the node under the point, across cell borders", () => {
    expect(hitTest(grid, 3, -4)).toBe(0);
    expect(hitTest(grid, -310, -290)).toBe(3);
    expect(hitTest(grid, -0.5, 9.5)).toBe(0);
  });

  it("prefers the nearest centre where circles overlap", () => {
    expect(hitTest(grid, 101, 0)).toBe(1);
    expect(hitTest(grid, 103, 0)).toBe(2);
  });

  it("finds nothing between nodes", () => {
    expect(hitTest(grid, 50, 50)).toBe(-1);
    expect(hitTest(grid, 20, 0)).toBe(-1);
    expect(hitTest(grid, 20, 0, 12)).toBe(0);
  });
});

describe("camera", () => {
  it("maps screen to world and back", () => {
    const camera = { x: -100, y: 50, scale: 2 };
    const world = toWorld(camera, 40, 60);
    expect(world).toEqual({ x: -80, y: 80 });
    expect(toScreen(camera, world.x, world.y)).toEqual({ x: 40, y: 60 });
  });

  it("zooms around the pointer: the point under it stays put", () => {
    const camera = { x: 0, y: 0, scale: 1 };
    const zoomed = zoomAt(camera, 200, 100, 2);
    expect(zoomed.scale).toBe(2);
    expect(toWorld(zoomed, 200, 100)).toEqual(toWorld(camera, 200, 100));
  });

  it("pans by the drag, whatever the zoom", () => {
    expect(panBy({ x: 0, y: 0, scale: 2 }, 20, -10)).toEqual({ x: -10, y: 5, scale: 2 });
  });

  it("fits every point in view", () => {
    const camera = fitBounds([-500, 500], [-100, 100], 800, 400, 0);
    const left = toScreen(camera, -500, 0);
    const right = toScreen(camera, 500, 0);
    expect(left.x).toBeCloseTo(0);
    expect(right.x).toBeCloseTo(800);
  });
});

describe("upstream and downstream", () => {
  // web=0 cart=1 db=2 admin=3 other=4 thing=5
  const calls = [
    { caller: 0, callee: 1 },
    { caller: 1, callee: 2 },
    { caller: 3, callee: 1 },
    { caller: 2, callee: 1 },
    { caller: 4, callee: 5 },
  ];

  it("follows calls both ways, transitively, without the service itself", () => {
    const { upstream, downstream } = upstreamAndDownstream(calls, 1);
    expect([...downstream].sort()).toEqual([2]);
    expect([...upstream].sort()).toEqual([0, 2, 3]);
  });
});
