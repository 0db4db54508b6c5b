// Draws one frame of the map on a 2D canvas: edges and nodes batched into one path per
// colour (a few fills and strokes per frame, whatever the size), everything off screen
// skipped, and text only where the zoom leaves room to read it.
import type { GraphEdge, GraphNode, ServiceHealth } from "@wharf/contracts";
import type { Camera } from "./viewport";

export const HEALTH_COLOR: Record<ServiceHealth, string> = {
  ok: "#10b981",
  warning: "#f59e0b",
  critical: "#ef4444",
  idle: "#94a3b8",
};
const HEALTHS: ServiceHealth[] = ["idle", "ok", "warning", "critical"];

const EDGE = "rgba(100, 116, 139, 0.35)";
const EDGE_FAILING = "rgba(239, 68, 68, 0.7)";
/** Open incidents: the failing services are ringed and the calls failing into them drawn heavier. */
const INCIDENT = "#dc2626";
const UPSTREAM = "#0284c7";
const DOWNSTREAM = "#7c3aed";
/** Calls failing this often are drawn red. */
const FAILING_EDGE_RATE = 0.05;
/** Zoom from which every visible node and edge gets its label. */
export const NODE_LABEL_SCALE = 0.8;
export const EDGE_LABEL_SCALE = 1.6;
const MAX_NODE_LABELS = 600;
const MAX_EDGE_LABELS = 300;

/** Node size grows with traffic, on a log scale so a busy service does not swallow the map. */
export const nodeRadius = (requestsPerSecond: number) => Math.min(24, 5 + 4 * Math.log10(1 + requestsPerSecond));

export interface Scene {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node indexes per edge: [caller0, callee0, …]. */
  edgeIndex: Int32Array;
  x: Float32Array;
  y: Float32Array;
  radius: Float32Array;
  selected: number;
  hovered: number;
  upstream: Set<number>;
  downstream: Set<number>;
  /** Search matches; null without a search. */
  matches: Set<number> | null;
}

export const formatRate = (rps: number) => (rps >= 100 ? rps.toFixed(0) : rps >= 1 ? rps.toFixed(1) : rps.toFixed(2));
export const formatPercent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;
export const formatMs = (ms: number | null) => (ms === null ? "–" : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
export const edgeLabel = (edge: GraphEdge) => `${formatRate(edge.requestsPerSecond)}/s · ${formatPercent(edge.errorRate)} err · p95 ${formatMs(edge.p95Ms)}`;

/** Draws the scene (every node has a position: seeded ones until the layout moves them). */
export function drawMap(ctx: CanvasRenderingContext2D, scene: Scene, camera: Camera, width: number, height: number): void {
  ctx.clearRect(0, 0, width, height);
  const { x, y, radius, edgeIndex, nodes, edges } = scene;
  const s = camera.scale;
  const sx = (i: number) => (x[i]! - camera.x) * s;
  const sy = (i: number) => (y[i]! - camera.y) * s;
  const margin = 30;
  const onScreen = (px: number, py: number, r = 0) => px > -margin - r && py > -margin - r && px < width + margin + r && py < height + margin + r;
  const emphasis = scene.selected >= 0 ? new Set([scene.selected, ...scene.upstream, ...scene.downstream]) : scene.matches;

  // Edges: one path per style.
  const paths = { plain: new Path2D(), failing: new Path2D(), incident: new Path2D(), dim: new Path2D(), up: new Path2D(), down: new Path2D() };
  const arrows = s >= 0.7;
  const labelled: number[] = [];
  for (let e = 0; e < edges.length; e++) {
    const a = edgeIndex[e * 2]!;
    const b = edgeIndex[e * 2 + 1]!;
    const ax = sx(a);
    const ay = sy(a);
    const bx = sx(b);
    const by = sy(b);
    if ((ax < 0 && bx < 0) || (ay < 0 && by < 0) || (ax > width && bx > width) || (ay > height && by > height)) continue;
    if (Math.abs(ax - bx) < 0.5 && Math.abs(ay - by) < 0.5) continue;
    const failing = edges[e]!.errorRate >= FAILING_EDGE_RATE;
    let path = failing && nodes[b]!.incidentId ? paths.incident : failing ? paths.failing : paths.plain;
    if (scene.selected >= 0) {
      // On the chain of callers into the selection, on the chain of calls out of it, or neither.
      const sel = scene.selected;
      const up = (i: number) => i === sel || scene.upstream.has(i);
      const down = (i: number) => i === sel || scene.downstream.has(i);
      if (a !== sel && up(a) && up(b)) path = paths.up;
      else if (b !== sel && down(a) && down(b)) path = paths.down;
      else path = paths.dim;
    } else if (emphasis && !(emphasis.has(a) || emphasis.has(b))) path = paths.dim;
    path.moveTo(ax, ay);
    path.lineTo(bx, by);
    if (arrows) {
      // An arrowhead at the callee's rim, pointing at it.
      const length = Math.hypot(bx - ax, by - ay);
      const ux = (bx - ax) / length;
      const uy = (by - ay) / length;
      const tipX = bx - ux * radius[b]! * s;
      const tipY = by - uy * radius[b]! * s;
      const size = Math.min(8, 3 + 2 * s);
      path.moveTo(tipX - ux * size - uy * size * 0.5, tipY - uy * size + ux * size * 0.5);
      path.lineTo(tipX, tipY);
      path.lineTo(tipX - ux * size + uy * size * 0.5, tipY - uy * size - ux * size * 0.5);
    }
    if ((s >= EDGE_LABEL_SCALE || a === scene.selected || b === scene.selected) && labelled.length < MAX_EDGE_LABELS) labelled.push(e);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = "rgba(148, 163, 184, 0.12)";
  ctx.stroke(paths.dim);
  ctx.strokeStyle = EDGE;
  ctx.stroke(paths.plain);
  ctx.strokeStyle = EDGE_FAILING;
  ctx.stroke(paths.failing);
  ctx.lineWidth = 2.5;
  ctx.setLineDash([6, 4]);
  ctx.strokeStyle = INCIDENT;
  ctx.stroke(paths.incident);
  ctx.setLineDash([]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = UPSTREAM;
  ctx.stroke(paths.up);
  ctx.strokeStyle = DOWNSTREAM;
  ctx.stroke(paths.down);

  // Nodes: one path per health, dimmed ones apart.
  const bright = new Map(HEALTHS.map((h) => [h, new Path2D()]));
  const dim = new Map(HEALTHS.map((h) => [h, new Path2D()]));
  const labels: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const px = sx(i);
    const py = sy(i);
    const r = Math.max(1.5, radius[i]! * s);
    if (!onScreen(px, py, r)) continue;
    const path = (emphasis && !emphasis.has(i) ? dim : bright).get(nodes[i]!.health)!;
    path.moveTo(px + r, py);
    path.arc(px, py, r, 0, 2 * Math.PI);
    if (s >= NODE_LABEL_SCALE && labels.length < MAX_NODE_LABELS) labels.push(i);
  }
  ctx.globalAlpha = 0.25;
  for (const h of HEALTHS) {
    ctx.fillStyle = HEALTH_COLOR[h];
    ctx.fill(dim.get(h)!);
  }
  ctx.globalAlpha = 1;
  for (const h of HEALTHS) {
    ctx.fillStyle = HEALTH_COLOR[h];
    ctx.fill(bright.get(h)!);
  }
  const rings = new Path2D();
  for (let i = 0; i < nodes.length; i++) {
    if (!nodes[i]!.incidentId) continue;
    const px = sx(i);
    const py = sy(i);
    const r = Math.max(1.5, radius[i]! * s) + 5;
    if (!onScreen(px, py, r)) continue;
    rings.moveTo(px + r, py);
    rings.arc(px, py, r, 0, 2 * Math.PI);
  }
  ctx.lineWidth = 3;
  ctx.strokeStyle = INCIDENT;
  ctx.stroke(rings);
  for (const [i, color, width] of [
    [scene.hovered, "#334155", 2],
    [scene.selected, "#0f172a", 3],
  ] as const) {
    if (i < 0) continue;
    ctx.beginPath();
    ctx.arc(sx(i), sy(i), Math.max(1.5, radius[i]! * s) + width, 0, 2 * Math.PI);
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.stroke();
  }

  // Text last, over everything: the selection, its neighbours and search matches at any zoom.
  ctx.font = "12px ui-sans-serif, system-ui, sans-serif";
  ctx.textBaseline = "middle";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
  const always = [scene.selected, scene.hovered, ...(scene.selected >= 0 ? [...scene.upstream, ...scene.downstream] : []), ...(scene.matches ?? [])];
  for (const i of new Set([...labels, ...always.slice(0, 200)])) {
    if (i < 0) continue;
    const px = sx(i) + Math.max(1.5, radius[i]! * s) + 4;
    const py = sy(i);
    if (!onScreen(px, py)) continue;
    ctx.fillStyle = "#0f172a";
    ctx.strokeText(nodes[i]!.name, px, py);
    ctx.fillText(nodes[i]!.name, px, py);
  }
  ctx.font = "11px ui-sans-serif, system-ui, sans-serif";
  ctx.textAlign = "center";
  for (const e of labelled) {
    const a = edgeIndex[e * 2]!;
    const b = edgeIndex[e * 2 + 1]!;
    const mx = (sx(a) + sx(b)) / 2;
    const my = (sy(a) + sy(b)) / 2;
    if (!onScreen(mx, my)) continue;
    const text = edgeLabel(edges[e]!);
    ctx.fillStyle = edges[e]!.errorRate >= FAILING_EDGE_RATE ? "#b91c1c" : "#475569";
    ctx.strokeText(text, mx, my);
    ctx.fillText(text, mx, my);
  }
  ctx.textAlign = "start";
}
