// Where the CPU went during a measurement (Linux /proc): the Wharf processes,
// the database backends serving the benchmark, this process (the load
// generator), and everything else on the machine. On a shared 2-core box the
// last one says whether a figure can be trusted.
import fs from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of one process, in ms; 0 when it is gone. */
function processMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Pids whose process group is `pgid`. */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Busy and total CPU time of the whole machine (all cores), in ms. */
function machineMs(): { busy: number; total: number } {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy * TICK_MS, total: (busy + idle! + iowait!) * TICK_MS };
}

export interface CpuSplit {
  /** ms of CPU per group over the interval. */
  web: number;
  db: number;
  loadGenerator: number;
  other: number;
  /** Wall-clock ms of the interval and how many cores the machine has in it. */
  wallMs: number;
  machineBusyPercent: number;
}

/**
 * Starts accounting; call the returned function to stop and get the split.
 * `webPids` and `dbPids` are looked up now, so pass long-lived processes
 * (the Wharf process group, the pooled Postgres backends).
 */
export function startCpu(webPids: number[], dbPids: number[]): () => CpuSplit {
  // Per process, and never below zero: a backend that exits meanwhile (pg-pool closes idle ones) takes its CPU with it.
  const start = new Map([...webPids, ...dbPids].map((pid) => [pid, processMs(pid)]));
  const sum = (pids: number[]) => pids.reduce((acc, pid) => acc + Math.max(0, processMs(pid) - start.get(pid)!), 0);
  const self0 = process.cpuUsage();
  const machine0 = machineMs();
  const t0 = Date.now();
  return () => {
    const web = sum(webPids);
    const db = sum(dbPids);
    const self = process.cpuUsage(self0);
    const loadGenerator = (self.user + self.system) / 1000;
    const machine1 = machineMs();
    const busy = machine1.busy - machine0.busy;
    const total = machine1.total - machine0.total;
    return {
      web,
      db,
      loadGenerator,
      other: Math.max(0, busy - web - db - loadGenerator),
      wallMs: Date.now() - t0,
      machineBusyPercent: total > 0 ? (100 * busy) / total : 0,
    };
  };
}

/** Share of the machine (all cores) that was busy over `ms`. */
export async function machineBusy(ms: number): Promise<number> {
  const a = machineMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = machineMs();
  return b.total > a.total ? (100 * (b.busy - a.busy)) / (b.total - a.total) : 0;
}
