// What every benchmark script needs around its measurements: flags, a
// cleanup list run on exit or Ctrl-C, stopping Wharf's process group, and
// small conveniences. Shared by bench/*/run.ts.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const log = (message: string) => console.log(`[bench] ${message}`);

/** `--name=value` from the command line, a positive number. */
export function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.split("=")[1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Run last-registered first, once, on success, failure or a signal. */
export const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaningUp: Promise<void> | undefined;

/** True once cleanup has begun: processes stopping then are expected to. */
export const cleaningUpStarted = () => cleaningUp !== undefined;

export function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        console.error(`[bench] cleanup "${name}" failed: ${error instanceof Error ? error.message : error}`);
      }
    }
  })();
  return cleaningUp;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`[bench] ${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

export async function stopGroup(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs).unref());
  if ((await Promise.race([exited, timer])) === "timeout") {
    log(`process group ${child.pid} did not stop within ${graceMs / 1000}s: SIGKILL`);
    signalGroup("SIGKILL");
    await exited;
  }
  // Stragglers that ignored the group SIGTERM (e.g. a grandchild mid-shutdown).
  signalGroup("SIGKILL");
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const repoRoot = path.resolve(__dirname, "../..");

/** Starts Wharf (scripts/start.ts) in its own process group, logging to `logFile`; `ready` resolves once it prints `Wharf is ready`. */
export function startWharf(env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number): { child: ChildProcess; ready: Promise<void> } {
  const out = fs.createWriteStream(logFile);
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  const child = spawn(tsx, ["scripts/start.ts"], { cwd: repoRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push({ name: "stop Wharf", run: () => stopGroup(child) });
  child.stderr!.pipe(out, { end: false });
  const ready = new Promise<void>((resolve, reject) => {
    let buffer = "";
    let done = false;
    const timer = setTimeout(() => reject(new Error(`Wharf not ready within ${timeoutMs / 1000}s; log:\n${tail(logFile)}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      out.write(chunk);
      if (done) return;
      buffer += chunk.toString();
      if (/Wharf is ready at/.test(buffer)) {
        done = true;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!done) setTimeout(() => reject(new Error(`Wharf exited (${signal ?? code}) before it was ready; log:\n${tail(logFile)}`)), 100);
    });
  });
  return { child, ready };
}

export interface BenchWharf {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Wharf's output, for the error a failing run prints. */
  startLog: string;
}

/**
 * Wharf as every HTTP benchmark runs it: scripts/start.ts on a free port
 * against `databaseUrl`, its data (`<tmpDir>/data`, with the kubeconfig of the
 * simulated clusters) and log under `tmpDir`, a fresh AUTH_SECRET,
 * `env` added (e.g. demo traffic off); resolves once it is ready, and reports
 * an exit that cleanup did not ask for.
 */
export async function startBenchWharf(options: { databaseUrl: string; tmpDir: string; env?: Record<string, string>; timeoutMs?: number; describe?: string }): Promise<BenchWharf> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const startLog = path.join(options.tmpDir, "start.log");
  log(`starting Wharf (scripts/start.ts${options.describe ? `, ${options.describe}` : ""}) on ${baseUrl}`);
  const { child, ready } = startWharf(
    {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      WHARF_DATA_DIR: path.join(options.tmpDir, "data"),
      WHARF_PUBLIC_URL: baseUrl,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
    },
    startLog,
    options.timeoutMs ?? 180_000,
  );
  await ready;
  child.once("exit", (code, signal) => {
    if (!cleaningUpStarted()) console.error(`[bench] Wharf exited unexpectedly (${signal ?? code}); log:\n${tail(startLog)}`);
  });
  return { child, port, baseUrl, startLog };
}

/** Nearest-rank percentile (`p` in 0..100) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs a benchmark's main: prints a failure in one line, cleans up, exits with main's code (1 on failure). */
export function runBench(main: () => Promise<number>): void {
  main()
    .catch((error: unknown) => {
      console.error(`[bench] ${error instanceof Error ? error.message : error}`);
      return 1;
    })
    .then(async (code) => {
      await cleanup();
      process.exit(code);
    });
}
