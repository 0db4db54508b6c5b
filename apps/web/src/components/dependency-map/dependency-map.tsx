"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { ServiceGraph } from "@wharf/contracts";
import { Spinner } from "@wharf/ui";
import { type Scene, drawMap, formatMs, formatPercent, formatRate, nodeRadius } from "./draw-map";
import { upstreamAndDownstream } from "./graph-paths";
import { type LayoutProgress, type LayoutRequest, seedPositions } from "./layout";
import { type SpatialGrid, buildSpatialGrid, hitTest } from "./spatial-grid";
import { type Camera, fitBounds, panBy, toWorld, zoomAt } from "./viewport";

const HEIGHT_PX = 600;
/** A pointer that moves less than this between press and release clicked rather than dragged. */
const CLICK_SLOP_PX = 4;
/** Above this a full frame is too slow to repeat while dragging: the drag moves a snapshot instead. */
const SLOW_FRAME_MS = 12;

export interface DependencyMapProps {
  graph: ServiceGraph;
  /** Lower-case search text; matching services stand out. */
  search: string;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  /** Double click: open the service. */
  onOpen?: (id: string) => void;
}

function emptyScene(): Scene {
  return {
    nodes: [],
    edges: [],
    edgeIndex: new Int32Array(0),
    x: new Float32Array(0),
    y: new Float32Array(0),
    radius: new Float32Array(0),
    selected: -1,
    hovered: -1,
    upstream: new Set(),
    downstream: new Set(),
    matches: null,
  };
}

/**
 * The service map on a canvas: pan by dragging, zoom with the wheel (or arrow keys and +/-),
 * hover for numbers, click to select. Layout runs in a Web Worker; services already on the
 * map keep their place when the graph refreshes, only new ones are laid out.
 * New services are seeded on the main thread and drawn at once, before the worker answers.
 * Marks `map:first-frame` (and data-first-frame-ms) when every service is first drawn, and
 * sets data-layout="done" when the layout has settled; data-frame-ms is the last full frame's
 * cost. A map slower than SLOW_FRAME_MS to draw is dragged as a snapshot, redrawn on release.
 */
export function DependencyMap({ graph, search, selectedId, onSelect, onOpen }: DependencyMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scene = useRef<Scene>(emptyScene());
  const camera = useRef<Camera>({ x: -400, y: -300, scale: 1 });
  const size = useRef({ width: 800, height: HEIGHT_PX, dpr: 1 });
  const grid = useRef<SpatialGrid | null>(null);
  const known = useRef(new Map<string, { x: number; y: number }>());
  const worker = useRef<Worker | null>(null);
  const runId = useRef(0);
  const frame = useRef(0);
  /** The camera follows the first layout until the user moves it. */
  const autoFit = useRef(true);
  const firstFrameDone = useRef(false);
  const lastFrameMs = useRef(0);
  /** While a slow map is dragged: the picture at the drag's start and the camera it was drawn with. */
  const dragSnapshot = useRef<{ image: HTMLCanvasElement; camera: Camera } | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [hovered, setHovered] = useState<{ index: number; x: number; y: number } | null>(null);
  const callbacks = useRef({ onSelect, onOpen });
  callbacks.current = { onSelect, onOpen };

  const draw = () => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const { width, height, dpr } = size.current;
    const snapshot = dragSnapshot.current;
    if (snapshot) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      const shift = camera.current.scale * dpr;
      ctx.drawImage(snapshot.image, (snapshot.camera.x - camera.current.x) * shift, (snapshot.camera.y - camera.current.y) * shift);
      return;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const started = performance.now();
    drawMap(ctx, scene.current, camera.current, width, height);
    lastFrameMs.current = performance.now() - started;
    containerRef.current?.setAttribute("data-frame-ms", lastFrameMs.current.toFixed(1));
    if (!firstFrameDone.current && scene.current.nodes.length > 0) {
      firstFrameDone.current = true;
      performance.mark("map:first-frame");
      containerRef.current?.setAttribute("data-first-frame-ms", performance.now().toFixed(0));
    }
  };
  const requestDraw = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      draw();
    });
  };

  const rebuildGrid = () => {
    const { x, y, radius } = scene.current;
    grid.current = buildSpatialGrid(x, y, radius, 48);
  };

  // The layout worker lives as long as the map.
  useEffect(() => {
    const layout = new Worker(new URL("./layout.worker.ts", import.meta.url));
    worker.current = layout;
    layout.onmessage = (event: MessageEvent<LayoutProgress>) => {
      const message = event.data;
      if (message.runId !== runId.current) return;
      const current = scene.current;
      current.x = message.x;
      current.y = message.y;
      current.nodes.forEach((node, i) => known.current.set(node.id, { x: message.x[i]!, y: message.y[i]! }));
      rebuildGrid();
      if (autoFit.current) camera.current = fitBounds(current.x, current.y, size.current.width, size.current.height);
      setProgress(message.done ? null : message.progress);
      if (message.done) {
        if (autoFit.current) performance.mark("map:layout-done");
        autoFit.current = false;
        containerRef.current?.setAttribute("data-layout", "done");
      }
      requestDraw();
    };
    return () => layout.terminate();
    // Deps: one worker for the component's life
  }, []);

  // Canvas size follows its box, in device pixels; set at once so the first frame has its size.
  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    if (!container || !canvas) return;
    const resize = () => {
      const dpr = window.devicePixelRatio || 1;
      const width = container.clientWidth;
      if (width === size.current.width && dpr === size.current.dpr && canvas.width === Math.round(width * dpr)) return;
      size.current = { width, height: HEIGHT_PX, dpr };
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(HEIGHT_PX * dpr);
      requestDraw();
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(container);
    return () => observer.disconnect();
    // Deps: requestDraw reads refs only
  }, []);

  // A new graph: keep the positions of services seen before, lay out only the new ones.
  useEffect(() => {
    const n = graph.nodes.length;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    const fixed = new Uint8Array(n);
    graph.nodes.forEach((node, i) => {
      const position = known.current.get(node.id);
      if (!position) return;
      x[i] = position.x;
      y[i] = position.y;
      fixed[i] = 1;
    });
    const edgeIndex = new Int32Array(graph.edges.length * 2);
    graph.edges.forEach((edge, e) => {
      edgeIndex[e * 2] = edge.caller;
      edgeIndex[e * 2 + 1] = edge.callee;
    });
    let request: LayoutRequest | null = null;
    if (fixed.includes(0)) {
      // Seeded here (a few ms) so the first frame does not wait for the worker, which seeds
      // the same way and refines from there.
      seedPositions({ n, edges: edgeIndex, x, y, fixed });
      runId.current++;
      request = { runId: runId.current, n, edges: edgeIndex.slice(), x: x.slice(), y: y.slice(), fixed };
    }
    const previous = scene.current;
    const hoveredId = previous.nodes[previous.hovered]?.id;
    scene.current = {
      ...previous,
      nodes: graph.nodes,
      edges: graph.edges,
      edgeIndex,
      x,
      y,
      radius: Float32Array.from(graph.nodes, (node) => nodeRadius(node.requestsPerSecond)),
      hovered: hoveredId === undefined ? -1 : graph.nodes.findIndex((node) => node.id === hoveredId),
    };
    rebuildGrid();
    if (request) {
      setProgress(0);
      containerRef.current?.removeAttribute("data-layout");
      worker.current?.postMessage(request, [request.edges.buffer, request.x.buffer, request.y.buffer, request.fixed.buffer]);
      if (autoFit.current) camera.current = fitBounds(x, y, size.current.width, size.current.height);
    } else {
      containerRef.current?.setAttribute("data-layout", "done");
    }
    // Drawn now rather than on the next animation frame: the first picture as early as possible.
    cancelAnimationFrame(frame.current);
    frame.current = 0;
    draw();
    // Deps: redraws only when the graph changes
  }, [graph]);

  // Selection and search change what stands out.
  const matches = useMemo(() => {
    if (!search) return null;
    const found = new Set<number>();
    graph.nodes.forEach((node, i) => {
      if (node.name.toLowerCase().includes(search) || node.namespace.toLowerCase().includes(search)) found.add(i);
    });
    return found;
  }, [graph, search]);
  useEffect(() => {
    const selected = selectedId === null ? -1 : graph.nodes.findIndex((node) => node.id === selectedId);
    const paths = selected >= 0 ? upstreamAndDownstream(graph.edges, selected) : { upstream: new Set<number>(), downstream: new Set<number>() };
    Object.assign(scene.current, { selected, ...paths, matches });
    // Bring a selection made elsewhere (the list, the search) into view.
    const current = scene.current;
    if (selected >= 0) {
      const { width, height } = size.current;
      const sx = (current.x[selected]! - camera.current.x) * camera.current.scale;
      const sy = (current.y[selected]! - camera.current.y) * camera.current.scale;
      if (sx < 0 || sy < 0 || sx > width || sy > height) {
        camera.current = { ...camera.current, x: current.x[selected]! - width / 2 / camera.current.scale, y: current.y[selected]! - height / 2 / camera.current.scale };
      }
    }
    requestDraw();
    // Deps: scene is a ref
  }, [graph, selectedId, matches]);

  // Pointer and wheel: pan, zoom, hover, click.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let drag: { x: number; y: number; moved: number } | null = null;
    const local = (event: MouseEvent) => {
      const box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    };
    const nodeAt = (event: MouseEvent) => {
      if (!grid.current) return -1;
      const p = local(event);
      const world = toWorld(camera.current, p.x, p.y);
      return hitTest(grid.current, world.x, world.y, 3 / camera.current.scale);
    };
    const setHover = (index: number, event: MouseEvent) => {
      if (scene.current.hovered === index) return;
      scene.current.hovered = index;
      canvas.style.cursor = index >= 0 ? "pointer" : "grab";
      const p = local(event);
      setHovered(index >= 0 ? { index, x: p.x, y: p.y } : null);
      requestDraw();
    };
    const onDown = (event: PointerEvent) => {
      drag = { x: event.clientX, y: event.clientY, moved: 0 };
      canvas.setPointerCapture(event.pointerId);
      if (lastFrameMs.current > SLOW_FRAME_MS) {
        const image = document.createElement("canvas");
        image.width = canvas.width;
        image.height = canvas.height;
        image.getContext("2d")?.drawImage(canvas, 0, 0);
        dragSnapshot.current = { image, camera: { ...camera.current } };
      }
    };
    const onMove = (event: PointerEvent) => {
      if (!drag) return setHover(nodeAt(event), event);
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      drag = { x: event.clientX, y: event.clientY, moved: drag.moved + Math.abs(dx) + Math.abs(dy) };
      camera.current = panBy(camera.current, dx, dy);
      autoFit.current = false;
      if (scene.current.hovered >= 0) setHover(-1, event);
      requestDraw();
    };
    const onUp = (event: PointerEvent) => {
      if (drag && drag.moved < CLICK_SLOP_PX) {
        const index = nodeAt(event);
        callbacks.current.onSelect(index >= 0 ? scene.current.nodes[index]!.id : null);
      }
      drag = null;
      if (dragSnapshot.current) {
        dragSnapshot.current = null;
        requestDraw();
      }
    };
    const onDoubleClick = (event: MouseEvent) => {
      const index = nodeAt(event);
      if (index >= 0) callbacks.current.onOpen?.(scene.current.nodes[index]!.id);
    };
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const p = local(event);
      camera.current = zoomAt(camera.current, p.x, p.y, Math.exp(-event.deltaY * 0.0015));
      autoFit.current = false;
      requestDraw();
    };
    const onKey = (event: KeyboardEvent) => {
      const { width, height } = size.current;
      const step = 60;
      const moves: Record<string, () => Camera> = {
        ArrowLeft: () => panBy(camera.current, step, 0),
        ArrowRight: () => panBy(camera.current, -step, 0),
        ArrowUp: () => panBy(camera.current, 0, step),
        ArrowDown: () => panBy(camera.current, 0, -step),
        "+": () => zoomAt(camera.current, width / 2, height / 2, 1.25),
        "=": () => zoomAt(camera.current, width / 2, height / 2, 1.25),
        "-": () => zoomAt(camera.current, width / 2, height / 2, 0.8),
        "0": () => fitBounds(scene.current.x, scene.current.y, width, height),
      };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      camera.current = move();
      autoFit.current = false;
      requestDraw();
    };
    const onLeave = (event: PointerEvent) => setHover(-1, event);
    const onCancel = () => {
      drag = null;
      dragSnapshot.current = null;
      requestDraw();
    };
    canvas.addEventListener("pointerdown", onDown);
    canvas.addEventListener("pointermove", onMove);
    canvas.addEventListener("pointerup", onUp);
    canvas.addEventListener("pointerleave", onLeave);
    canvas.addEventListener("pointercancel", onCancel);
    canvas.addEventListener("dblclick", onDoubleClick);
    canvas.addEventListener("wheel", onWheel, { passive: false });
    canvas.addEventListener("keydown", onKey);
    return () => {
      canvas.removeEventListener("pointerdown", onDown);
      canvas.removeEventListener("pointermove", onMove);
      canvas.removeEventListener("pointerup", onUp);
      canvas.removeEventListener("pointerleave", onLeave);
      canvas.removeEventListener("pointercancel", onCancel);
      canvas.removeEventListener("dblclick", onDoubleClick);
      canvas.removeEventListener("wheel", onWheel);
      canvas.removeEventListener("keydown", onKey);
    };
    // Deps: handlers read refs only
  }, []);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const hoveredNode = hovered ? graph.nodes[hovered.index] : undefined;
  return (
    <div ref={containerRef} className="relative overflow-hidden rounded-lg border border-slate-200 bg-slate-50" data-testid="dependency-map" data-node-count={graph.nodes.length}>
      <canvas
        ref={canvasRef}
        role="img"
        tabIndex={0}
        aria-label={`Service dependency map: ${graph.nodes.length} services, ${graph.edges.length} calls. Drag or use the arrow keys to pan, the wheel or + and - to zoom. The table below lists the same services.`}
        style={{ width: "100%", height: HEIGHT_PX, cursor: "grab", touchAction: "none", display: "block" }}
      />
      {progress !== null ? (
        <div role="status" className="absolute top-2 left-2 flex items-center gap-2 rounded-md bg-white/90 px-3 py-1.5 text-sm text-slate-700 shadow-xs">
          <Spinner />
          Laying out {graph.nodes.length.toLocaleString()} services…
          <progress className="w-24" max={1} value={progress} aria-label="Layout progress" />
        </div>
      ) : null}
      {hoveredNode && hovered ? (
        <div
          className="pointer-events-none absolute z-10 max-w-xs rounded-md bg-slate-900/90 px-3 py-2 text-xs text-white"
          style={{ left: Math.min(hovered.x + 12, size.current.width - 220), top: Math.min(hovered.y + 12, HEIGHT_PX - 90) }}
        >
          <p className="font-medium">{hoveredNode.name}</p>
          <p>
            {hoveredNode.namespace || "no namespace"}
            {hoveredNode.shared ? " · shared" : ""}
          </p>
          <p>
            {formatRate(hoveredNode.requestsPerSecond)} req/s · {formatPercent(hoveredNode.errorRate)} errors · p95 {formatMs(hoveredNode.p95Ms)}
          </p>
          <p>{hoveredNode.healthReason}</p>
        </div>
      ) : null}
    </div>
  );
}
