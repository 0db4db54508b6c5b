// A uniform grid over node positions, so hover and click find the node under the pointer
// by looking at a few cells instead of every node.

export interface SpatialGrid {
  cellSize: number;
  cells: Map<number, number[]>;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  radii: ArrayLike<number>;
}

// Cell coordinates packed into one number key; fine for |cx|, |cy| < 2^20.
const key = (cx: number, cy: number) => (cx + 1_048_576) * 2_097_152 + (cy + 1_048_576);

/** `cellSize` should be at least the largest radius, so a node lies in its cell or a neighbour. */
export function buildSpatialGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, radii: ArrayLike<number>, cellSize: number): SpatialGrid {
  const cells = new Map<number, number[]>();
  for (let i = 0; i < xs.length; i++) {
    const k = key(Math.floor(xs[i]! / cellSize), Math.floor(ys[i]! / cellSize));
    const cell = cells.get(k);
    if (cell) cell.push(i);
    else cells.set(k, [i]);
  }
  return { cellSize, cells, xs, ys, radii };
}

/** The index of the node whose circle holds (x, y) (the nearest centre if several), or -1. */
export function hitTest(grid: SpatialGrid, x: number, y: number, slack = 0): number {
  const cx = Math.floor(x / grid.cellSize);
  const cy = Math.floor(y / grid.cellSize);
  let best = -1;
  let bestDistance = Infinity;
  for (let dx = -1; dx <= 1; dx++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (const i of grid.cells.get(key(cx + dx, cy + dy)) ?? []) {
        const distance = Math.hypot(grid.xs[i]! - x, grid.ys[i]! - y);
        if (distance <= grid.radii[i]! + slack && distance < bestDistance) {
          best = i;
          bestDistance = distance;
        }
      }
    }
  }
  return best;
}
