// Attributes a V8 CPU profile (`node --cpu-prof`) to the parts of the stack a reader cares about:
// each sample's own (self) time goes to the package its frame comes from, and again to the
// innermost package frame on its stack (see attribute). Bundled code (Next's chunks,
// apps/web/dist/public-api.mjs) is mapped back to its sources through the bundles' maps.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FlattenMap, originalPositionFor, type TraceMap } from "@jridgewell/trace-mapping";
import { wharfWebPids } from "./alternate";
import { stopGroup } from "./process";

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The part of the stack a source file belongs to. */
function partOf(mapped: string): string {
  // Source maps of Next's chunks write "@" as "%40".
  const source = mapped.includes("%") ? decodeURIComponent(mapped) : mapped;
  const modules = source.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = source.slice(modules + "node_modules/".length).split("/");
    const name = rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? "");
    if (name === "next" || name.startsWith("@next/")) return "Next.js";
    if (name.startsWith("@prisma/") || name === "prisma") return "Prisma (client, wasm query compiler, adapter)";
    if (name === "pg" || name.startsWith("pg-")) return "pg (driver)";
    if (name === "next-auth" || name.startsWith("@auth/") || name === "jose" || name === "@panva/hkdf") return "Auth.js / jose";
    if (name.startsWith("@trpc/")) return "tRPC";
    if (name === "react" || name === "react-dom") return "React";
    return name;
  }
  // Next's own sources bundled into its compiled server (with the React it ships), and Turbopack's module runtime.
  if (source.startsWith("webpack://next/") || source.startsWith("turbopack:///[turbopack]")) return "Next.js";
  const packages = source.match(/(?:^|\/)(packages|apps)\/([^/]+)\//);
  if (packages) return `Wharf ${packages[1]}/${packages[2]}`;
  return source || "(unknown)";
}

function nodePart(url: string, functionName: string): string {
  if (functionName === "(idle)") return "(idle)";
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(program)") return "V8 / native (program)";
  if (!url) return `native: ${functionName || "(anonymous)"}`;
  if (url.startsWith("node:internal/deps/undici") || url.includes("webstreams") || url.startsWith("node:internal/streams")) return "Node: web Request/Response, streams";
  if (/^node:(internal\/)?(_http|http|net|internal\/http|internal\/stream_base|internal\/net)/.test(url)) return "Node: HTTP and sockets";
  if (url.startsWith("node:internal/crypto")) return "Node: crypto (WebCrypto)";
  if (url.startsWith("node:internal/modules")) return "Node: module loading (startup)";
  if (url.startsWith("node:internal/abort_controller") || url.startsWith("node:internal/event_target")) return "Node: AbortSignal, EventTarget";
  if (url.startsWith("node:internal/async_hooks") || url.startsWith("node:internal/process/task_queues") || url.startsWith("node:internal/timers")) return "Node: async hooks, tasks, timers";
  if (url.startsWith("node:")) return "Node: other";
  return "";
}

const maps = new Map<string, TraceMap | null>();
function mapFor(url: string): TraceMap | null {
  if (!maps.has(url)) {
    let map: TraceMap | null = null;
    try {
      const file = url.startsWith("file://") ? fileURLToPath(url) : url;
      // Turbopack writes sectioned maps (one section per module), which TraceMap refuses.
      if (fs.existsSync(`${file}.map`)) map = FlattenMap(fs.readFileSync(`${file}.map`, "utf8"), `${file}.map`);
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url)!;
}

/** Parts that are code of their own, not Node's or V8's machinery run on some package's behalf. */
const isPackage = (part: string) => !/^(Node: |native: |GC$|V8 |\(idle\)$|\(root\)$|\(unknown\)$)/.test(part);

/**
 * CPU time in ms per part of the stack, largest first, and the whole profile's duration. `parts`
 * counts each sample's own frame (self time; a WebAssembly frame counts for the package whose
 * JavaScript called it, Prisma's query compiler for one); `owners` counts it for the innermost
 * package frame on its stack, so Node internals and native calls (crypto, socket writes, Buffer)
 * count for the package that made them, and only what no package frame sits above (the HTTP
 * parser's callbacks, timers, GC) stays Node's or V8's.
 */
export function attribute(profileFile: string): { parts: [string, number][]; owners: [string, number][]; totalMs: number; busyMs: number } {
  const profile = JSON.parse(fs.readFileSync(profileFile, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfById = new Map<number, string>();
  const selfPart = (id: number): string => {
    let part = selfById.get(id);
    if (part !== undefined) return part;
    const { url, functionName, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    const parent = parentOf.get(id);
    // A WebAssembly function, or V8's stub into or out of one.
    if (url.startsWith("wasm://") || /^(js-to-wasm|wasm-to-js)/.test(functionName)) part = parent === undefined ? "WebAssembly" : selfPart(parent);
    else part = nodePart(url, functionName);
    if (!part) {
      const map = mapFor(url);
      const source = map ? originalPositionFor(map, { line: lineNumber + 1, column: Math.max(0, columnNumber) }).source : null;
      part = partOf(source ?? url);
    }
    selfById.set(id, part);
    return part;
  };
  const ownerById = new Map<number, string | null>();
  const packageOwner = (id: number): string | null => {
    let owner = ownerById.get(id);
    if (owner !== undefined) return owner;
    const self = selfPart(id);
    const parent = parentOf.get(id);
    owner = isPackage(self) ? self : parent === undefined ? null : packageOwner(parent);
    ownerById.set(id, owner);
    return owner;
  };

  const self = new Map<string, number>();
  const owned = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const part = byId.has(id) ? selfPart(id) : "(unknown)";
    const owner = byId.has(id) ? (packageOwner(id) ?? part) : part;
    self.set(part, (self.get(part) ?? 0) + ms);
    owned.set(owner, (owned.get(owner) ?? 0) + ms);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = totalMs - (self.get("(idle)") ?? 0);
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { parts: sorted(self), owners: sorted(owned), totalMs, busyMs };
}

export type Attribution = ReturnType<typeof attribute>;

/** Node flags for scripts/start.ts's web process (WHARF_WEB_NODE_ARGS; NODE_OPTIONS refuses --cpu-prof): a profile in `dir` at exit. */
export const webProfileArgs = (dir: string) => `--cpu-prof --cpu-prof-dir=${path.join(dir, "profiles")}`;

/**
 * Stops Wharf, the web process first and alone: it writes its profile as it exits, which the
 * group's SIGKILL would cut short. Then attributes the profile written under `dir`.
 */
export async function stopAndAttribute(wharf: ChildProcess, dir: string, keepAs?: string): Promise<Attribution> {
  const webPid = wharfWebPids(wharf.pid!)[0]!;
  process.kill(webPid, "SIGTERM");
  for (const deadline = Date.now() + 60_000; fs.existsSync(`/proc/${webPid}`) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
  await stopGroup(wharf);
  const file = fs.readdirSync(path.join(dir, "profiles"))[0];
  if (!file) throw new Error("the web process wrote no CPU profile");
  // `dir` is removed at exit; a copy for DevTools or another look.
  if (keepAs) fs.copyFileSync(path.join(dir, "profiles", file), keepAs);
  return attribute(path.join(dir, "profiles", file));
}

/** The attribution as a markdown table of shares: self time, and with the Node and native code each part calls. */
export function printAttribution({ parts, owners, busyMs }: Attribution, what: string, rows = 20): void {
  const share = (ms: number | undefined) => (ms === undefined ? "" : `${((100 * ms) / busyMs).toFixed(1)}%`);
  const selfMs = new Map(parts);
  const ownedMs = new Map(owners);
  // The largest by either measure: a package's total, and the Node internals left to nobody.
  const names = [...new Set([...owners.slice(0, rows), ...parts.slice(0, rows)].map(([part]) => part))]
    .filter((part) => part !== "(idle)")
    .sort((a, b) => Math.max(ownedMs.get(b) ?? 0, selfMs.get(b) ?? 0) - Math.max(ownedMs.get(a) ?? 0, selfMs.get(a) ?? 0))
    .slice(0, rows);
  console.log("");
  console.log(`CPU profile of the web process over ${what} (${(busyMs / 1000).toFixed(1)} s on CPU), by package:`);
  console.log("self: the samples' own frames; with callees: each sample counted for the innermost package frame on its stack");
  console.log("(Node internals and native calls for the package that made them; blank: none, or all of it counted for a package).");
  console.log("");
  console.log("| part | self | with callees |");
  console.log("|---|--:|--:|");
  for (const part of names) console.log(`| ${part} | ${share(selfMs.get(part))} | ${share(ownedMs.get(part))} |`);
}
