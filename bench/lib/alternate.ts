// Wharf against the baseline (baseline-server.ts) in one run on one database:
// rounds alternate W, B, W, B, … so that whatever else the shared machine is
// doing falls on both alike, and the figure kept is the ratio, which moves
// less with the machine than either number.
import fs from "node:fs";
import os from "node:os";
import type autocannon from "autocannon";
import { groupPids, startCpu } from "../foundation/cpu";

export interface Contender {
  name: string;
  /** The server's processes: their CPU is what "CPU ms/req" counts. */
  pids: number[];
  /** One measured load of `seconds` at `connections` against this server. */
  load(seconds: number, connections: number): Promise<autocannon.Result>;
}

export interface Round {
  round: number;
  name: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
  cpuMsPerRequest: number;
  dbMsPerRequest: number;
  otherPercent: number;
}

/** Wharf's web process (apps/web/server.mjs) in the group scripts/start.ts leads: not the worker, not start.ts itself. */
export function wharfWebPids(pgid: number): number[] {
  const pids = groupPids(pgid).filter((pid) => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/cmdline`, "utf8")
        .includes("server.mjs");
    } catch {
      return false;
    }
  });
  if (pids.length === 0)
    throw new Error(`no server.mjs process in process group ${pgid}`);
  return pids;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs `rounds` pairs (Wharf first in each) and returns every round. */
export async function alternate(
  wharf: Contender,
  baseline: Contender,
  options: {
    rounds: number;
    seconds: number;
    connections: number;
    dbPids: () => Promise<number[]>;
  },
): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const c of [wharf, baseline]) {
      // A second of load first: the pool reopens what it closed while the other server ran
      // (pg-pool drops connections idle for 10 s), and those backends are then counted.
      await c.load(1, options.connections);
      const stop = startCpu(c.pids, await options.dbPids());
      const r = await c.load(options.seconds, options.connections);
      const cpu = stop();
      const n = Math.max(1, r.requests.total);
      rounds.push({
        round,
        name: c.name,
        rps: r.requests.total / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        failed: r.non2xx + r.errors,
        cpuMsPerRequest: cpu.web / n,
        dbMsPerRequest: cpu.db / n,
        otherPercent:
          (100 * cpu.other) / (cpu.wallMs * os.availableParallelism()),
      });
    }
  }
  return rounds;
}

/** The rounds as a markdown table, then the median of the per-pair ratios Wharf / baseline. */
export function printAlternation(
  rounds: Round[],
  wharfName: string,
  baselineName: string,
): { rps: number; p99: number; cpu: number } {
  console.log(
    "| round | server | req/s | p50 ms | p99 ms | max ms | non-2xx | CPU ms/req server / db | other load |",
  );
  console.log("|--:|---|--:|--:|--:|--:|--:|--:|--:|");
  for (const r of rounds) {
    console.log(
      `| ${r.round} | ${r.name} | ${r.rps.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.failed} | ${r.cpuMsPerRequest.toFixed(2)} / ${r.dbMsPerRequest.toFixed(2)} | ${r.otherPercent.toFixed(0)}% |`,
    );
  }
  const pairs = [...new Set(rounds.map((r) => r.round))].map((n) => ({
    w: rounds.find((r) => r.round === n && r.name === wharfName)!,
    b: rounds.find((r) => r.round === n && r.name === baselineName)!,
  }));
  const ratio = (f: (r: Round) => number) =>
    median(pairs.map(({ w, b }) => f(w) / f(b)));
  const result = {
    rps: ratio((r) => r.rps),
    p99: ratio((r) => Math.max(1, r.p99)),
    cpu: ratio((r) => r.cpuMsPerRequest),
  };
  console.log("");
  console.log(
    `Median over ${pairs.length} rounds of ${wharfName} / ${baselineName}: throughput ${result.rps.toFixed(2)}, p99 ${result.p99.toFixed(2)}x, ` +
      `server CPU per request ${result.cpu.toFixed(1)}x`,
  );
  return result;
}

/** Whether two bodies are byte-identical; if not, where they first differ. */
export function compareBodies(a: string, b: string): string {
  if (a === b) return `byte-identical (${Buffer.byteLength(a)} bytes)`;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `DIFFERENT (${Buffer.byteLength(a)} vs ${Buffer.byteLength(b)} bytes; first difference at ${i}: …${a.slice(Math.max(0, i - 40), i + 60)}… vs …${b.slice(Math.max(0, i - 40), i + 60)}…)`;
}
