// A force-directed layout small enough to own: springs along calls, short-range repulsion
// found through a grid (so a tick costs O(nodes + edges), not O(nodes²)), and a pull to the
// centre. Nodes already placed by an earlier layout stay where they are (`fixed`); only new
// ones move. Runs in a Web Worker (layout.worker.ts); pure, so it is tested directly.

export interface LayoutGraph {
  /** Node count. */
  n: number;
  /** Calls as index pairs: [caller0, callee0, caller1, callee1, …]. */
  edges: Int32Array;
  x: Float32Array;
  y: Float32Array;
  /** 1 = keep this node where it is. */
  fixed: Uint8Array;
}

/** Spacing between neighbours the springs aim for, in world units. */
export const LINK_DISTANCE = 40;
/** Nodes closer than this push each other apart. */
const REPULSION_RANGE = 90;
const REPULSION = 400;
const GRAVITY = 0.001;

const VELOCITY_DECAY = 0.4;
const MAX_STEP = 40;

/** Ticks for a first layout and for placing a few new nodes among fixed ones. */
export function ticksFor(graph: LayoutGraph): number {
  let moving = 0;
  for (let i = 0; i < graph.n; i++) moving += graph.fixed[i] ? 0 : 1;
  return moving === graph.n ? 200 : 80;
}

function adjacency(graph: LayoutGraph): number[][] {
  const adjacent: number[][] = Array.from({ length: graph.n }, () => []);
  for (let e = 0; e < graph.edges.length; e += 2) {
    const a = graph.edges[e]!;
    const b = graph.edges[e + 1]!;
    adjacent[a]!.push(b);
    adjacent[b]!.push(a);
  }
  return adjacent;
}

/**
 * Starting positions for the nodes that are not fixed: next to a fixed neighbour when they
 * have one, else on a sunflower spiral in breadth-first order from the first node (callers
 * near callees), so the forces start close to an answer.
 */
export function seedPositions(graph: LayoutGraph): void {
  const adjacent = adjacency(graph);
  const placed = new Uint8Array(graph.fixed);
  let cx = 0;
  let cy = 0;
  let fixedCount = 0;
  for (let i = 0; i < graph.n; i++) {
    if (!graph.fixed[i]) continue;
    cx += graph.x[i]!;
    cy += graph.y[i]!;
    fixedCount++;
  }
  if (fixedCount > 0) {
    cx /= fixedCount;
    cy /= fixedCount;
  }
  let spiral = 0;
  const spacing = LINK_DISTANCE * 0.9;
  const golden = Math.PI * (3 - Math.sqrt(5));
  const place = (i: number) => {
    const anchor = adjacent[i]!.find((j) => placed[j]);
    if (anchor !== undefined) {
      // Deterministic jitter around the neighbour: the same graph always lays out the same way.
      const angle = (i * 2.399963) % (2 * Math.PI);
      graph.x[i] = graph.x[anchor]! + Math.cos(angle) * LINK_DISTANCE;
      graph.y[i] = graph.y[anchor]! + Math.sin(angle) * LINK_DISTANCE;
    } else {
      // Around the fixed nodes' centre, outside them when there are any.
      const r = spacing * Math.sqrt(spiral + 0.5 + fixedCount);
      graph.x[i] = cx + r * Math.cos(spiral * golden);
      graph.y[i] = cy + r * Math.sin(spiral * golden);
      spiral++;
    }
    placed[i] = 1;
  };
  for (let start = 0; start < graph.n; start++) {
    if (placed[start]) continue;
    const queue = [start];
    place(start);
    for (let head = 0; head < queue.length; head++) {
      for (const j of adjacent[queue[head]!]!) {
        if (placed[j]) continue;
        place(j);
        queue.push(j);
      }
    }
  }
}

export interface LayoutRun {
  graph: LayoutGraph;
  vx: Float32Array;
  vy: Float32Array;
  degree: Uint16Array;
  alpha: number;
  alphaDecay: number;
  tick: number;
  ticks: number;
}

export function startLayout(graph: LayoutGraph, ticks = ticksFor(graph)): LayoutRun {
  seedPositions(graph);
  const degree = new Uint16Array(graph.n);
  for (let e = 0; e < graph.edges.length; e++) degree[graph.edges[e]!] = Math.min(65_535, degree[graph.edges[e]!]! + 1);
  return {
    graph,
    vx: new Float32Array(graph.n),
    vy: new Float32Array(graph.n),
    degree,
    alpha: 1,
    alphaDecay: 1 - Math.pow(0.001, 1 / ticks),
    tick: 0,
    ticks,
  };
}

// Scratch space for the repulsion grid, reused across ticks.
const HASH_SIZE = 1 << 14;
const head = new Int32Array(HASH_SIZE);
let next = new Int32Array(0);
let cellX = new Int32Array(0);
let cellY = new Int32Array(0);
const hash = (cx: number, cy: number) => (Math.imul(cx, 73_856_093) ^ Math.imul(cy, 19_349_663)) & (HASH_SIZE - 1);

function repel(run: LayoutRun): void {
  const { graph, vx, vy, alpha } = run;
  const { n, x, y } = graph;
  if (next.length < n) {
    next = new Int32Array(n);
    cellX = new Int32Array(n);
    cellY = new Int32Array(n);
  }
  head.fill(-1);
  for (let i = 0; i < n; i++) {
    cellX[i] = Math.floor(x[i]! / REPULSION_RANGE);
    cellY[i] = Math.floor(y[i]! / REPULSION_RANGE);
    const h = hash(cellX[i]!, cellY[i]!);
    next[i] = head[h]!;
    head[h] = i;
  }
  const range2 = REPULSION_RANGE * REPULSION_RANGE;
  for (let i = 0; i < n; i++) {
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const cx = cellX[i]! + dx;
        const cy = cellY[i]! + dy;
        for (let j = head[hash(cx, cy)]!; j !== -1; j = next[j]!) {
          // Each pair once, and only from its own cell (hash collisions would repeat it).
          if (j <= i || cellX[j] !== cx || cellY[j] !== cy) continue;
          let ddx = x[j]! - x[i]!;
          let ddy = y[j]! - y[i]!;
          let d2 = ddx * ddx + ddy * ddy;
          if (d2 >= range2) continue;
          if (d2 < 1) {
            // Coincident nodes: push apart in a direction that depends on the pair.
            ddx = ((i * 31 + j) % 7) - 3 || 1;
            ddy = ((i * 17 + j) % 5) - 2 || 1;
            d2 = ddx * ddx + ddy * ddy;
          }
          // A soft push, strongest on contact and gone at the range: no 1/d² blow-ups.
          const d = Math.sqrt(d2);
          const push = (REPULSION * alpha * (1 - d / REPULSION_RANGE)) / d;
          vx[i] = vx[i]! - ddx * push * 0.5;
          vy[i] = vy[i]! - ddy * push * 0.5;
          vx[j] = vx[j]! + ddx * push * 0.5;
          vy[j] = vy[j]! + ddy * push * 0.5;
        }
      }
    }
  }
}

function attract(run: LayoutRun): void {
  const { graph, vx, vy, degree, alpha } = run;
  const { edges, x, y } = graph;
  for (let e = 0; e < edges.length; e += 2) {
    const a = edges[e]!;
    const b = edges[e + 1]!;
    if (a === b) continue;
    const dx = x[b]! + vx[b]! - x[a]! - vx[a]!;
    const dy = y[b]! + vy[b]! - y[a]! - vy[a]!;
    const distance = Math.sqrt(dx * dx + dy * dy) || 1;
    // Springs of hubs are weaker, so a hub does not drag everything into one knot.
    const strength = 1 / Math.min(degree[a]!, degree[b]!);
    const pull = ((distance - LINK_DISTANCE) / distance) * alpha * strength;
    const bias = degree[a]! / (degree[a]! + degree[b]!);
    vx[b] = vx[b]! - dx * pull * bias;
    vy[b] = vy[b]! - dy * pull * bias;
    vx[a] = vx[a]! + dx * pull * (1 - bias);
    vy[a] = vy[a]! + dy * pull * (1 - bias);
  }
}

/** One step of the simulation; returns false once it has cooled down. */
export function layoutTick(run: LayoutRun): boolean {
  if (run.tick >= run.ticks) return false;
  const { graph, vx, vy } = run;
  attract(run);
  repel(run);
  for (let i = 0; i < graph.n; i++) {
    if (graph.fixed[i]) {
      vx[i] = 0;
      vy[i] = 0;
      continue;
    }
    let stepX = (vx[i]! - graph.x[i]! * GRAVITY * run.alpha) * (1 - VELOCITY_DECAY);
    let stepY = (vy[i]! - graph.y[i]! * GRAVITY * run.alpha) * (1 - VELOCITY_DECAY);
    // A cap on how far a node moves per tick keeps crowded starts from flinging nodes away.
    const step = Math.hypot(stepX, stepY);
    if (step > MAX_STEP) {
      stepX *= MAX_STEP / step;
      stepY *= MAX_STEP / step;
    }
    vx[i] = stepX;
    vy[i] = stepY;
    graph.x[i] = graph.x[i]! + vx[i]!;
    graph.y[i] = graph.y[i]! + vy[i]!;
  }
  run.alpha -= run.alpha * run.alphaDecay;
  run.tick++;
  return run.tick < run.ticks;
}

/** The messages between the map and its layout worker. */
export interface LayoutRequest {
  runId: number;
  n: number;
  edges: Int32Array;
  x: Float32Array;
  y: Float32Array;
  fixed: Uint8Array;
}

export interface LayoutProgress {
  runId: number;
  x: Float32Array;
  y: Float32Array;
  /** 0..1 */
  progress: number;
  done: boolean;
}
