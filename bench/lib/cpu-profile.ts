// Attributes a V8 CPU profile (`node --cpu-prof`) to the parts of the stack a reader cares about:
// each sample's own (self) time goes to the package its frame comes from. Bundled code (Next's
// chunks, apps/web/dist/public-api.mjs) is mapped back to its sources through the bundles' maps.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { wharfWebPids } from "./alternate";
import { stopGroup } from "./process";

interface ProfileNode {
  id: number;
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
function partOf(source: string): string {
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
      if (fs.existsSync(`${file}.map`)) map = new TraceMap(fs.readFileSync(`${file}.map`, "utf8"), `${file}.map`);
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url)!;
}

/** Self time in ms per part of the stack, largest first, and the whole profile's duration. */
export function attribute(profileFile: string): { parts: [string, number][]; totalMs: number; busyMs: number } {
  const profile = JSON.parse(fs.readFileSync(profileFile, "utf8")) as CpuProfile;
  const partById = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let part = nodePart(url, functionName);
    if (!part) {
      const map = mapFor(url);
      const source = map ? originalPositionFor(map, { line: lineNumber + 1, column: Math.max(0, columnNumber) }).source : null;
      part = partOf(source ?? url);
    }
    partById.set(node.id, part);
  }
  const ms = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const part = partById.get(profile.samples[i]!) ?? "(unknown)";
    ms.set(part, (ms.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = totalMs - (ms.get("(idle)") ?? 0);
  return { parts: [...ms.entries()].sort((a, b) => b[1] - a[1]), totalMs, busyMs };
}

export type Attribution = ReturnType<typeof attribute>;

/** Node flags for scripts/start.ts's web process (WHARF_WEB_NODE_ARGS; NODE_OPTIONS refuses --cpu-prof): a profile in `dir` at exit. */
export const webProfileArgs = (dir: string) => `--cpu-prof --cpu-prof-dir=${path.join(dir, "profiles")}`;

/**
 * Stops Wharf, the web process first and alone: it writes its profile as it exits, which the
 * group's SIGKILL would cut short. Then attributes the profile written under `dir`.
 */
export async function stopAndAttribute(wharf: ChildProcess, dir: string): Promise<Attribution> {
  const webPid = wharfWebPids(wharf.pid!)[0]!;
  process.kill(webPid, "SIGTERM");
  for (const deadline = Date.now() + 60_000; fs.existsSync(`/proc/${webPid}`) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
  await stopGroup(wharf);
  const file = fs.readdirSync(path.join(dir, "profiles"))[0];
  if (!file) throw new Error("the web process wrote no CPU profile");
  return attribute(path.join(dir, "profiles", file));
}

/** The attribution as a markdown table of shares, the largest `rows` parts. */
export function printAttribution({ parts, busyMs }: Attribution, what: string, rows = 14): void {
  console.log("");
  console.log(`CPU profile of the web process over ${what} (${(busyMs / 1000).toFixed(1)} s on CPU), self time by package:`);
  console.log("");
  console.log("| part | share of CPU time |");
  console.log("|---|--:|");
  for (const [part, ms] of parts.filter(([p]) => p !== "(idle)").slice(0, rows)) console.log(`| ${part} | ${((100 * ms) / busyMs).toFixed(1)}% |`);
}
