// Graceful shutdown, shared by everything in one process. The process's owner (apps/web/server.mjs,
// the worker's main.ts) drains its own work, then runs the flushers registered here so that what
// is buffered in memory (telemetry rollups, API usage counts) reaches Postgres before it exits.
// The state lives on globalThis under a registered symbol: server.mjs is plain JavaScript outside
// Next's bundle and reaches the same object by that key (it must keep the same shape).

interface ShutdownState {
  /** Aborted when the process starts draining: long-lived streams end on it. */
  controller: AbortController;
  /** Buffers to write before the process ends, by name. */
  flushers: Map<string, () => Promise<unknown>>;
  /** Set by a process that drives its own shutdown; otherwise each buffer flushes on the signal itself. */
  owned: boolean;
}

const KEY = Symbol.for("wharf.shutdown");

function state(): ShutdownState {
  const holder = globalThis as { [KEY]?: ShutdownState };
  holder[KEY] ??= { controller: new AbortController(), flushers: new Map(), owned: false };
  return holder[KEY];
}

/** Aborts when this process starts shutting down (SIGTERM): end streams, take no new work. */
export function shutdownSignal(): AbortSignal {
  return state().controller.signal;
}

/** Says this process drains itself and will call `shutDown()`; buffers then wait for it. */
export function ownShutdown(): void {
  state().owned = true;
}

/**
 * Registers a buffer to write at shutdown. In a process that does not own its shutdown (a
 * script, `next dev`), the buffer writes itself on SIGTERM/SIGINT and, if nobody else handles
 * the signal, raises it again so the process ends as it would have.
 */
export function onShutdown(name: string, flush: () => Promise<unknown>): void {
  const s = state();
  const first = s.flushers.size === 0;
  // The web process holds two copies of core (Next's bundle and the public API's, see
  // apps/web/server.mjs), each with its own buffers under the same names: keep both.
  let key = name;
  for (let copy = 2; s.flushers.has(key) && s.flushers.get(key) !== flush; copy++) key = `${name} (${copy})`;
  s.flushers.set(key, flush);
  if (!first) return;
  // One handler for every buffer, so that all of them are written before the signal is raised again.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (s.owned) return;
      void flushOnShutdown().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}

/** How long one flusher may take at shutdown before the process gives up on it. */
const FLUSH_TIMEOUT_MS = 5_000;

async function runFlusher(name: string, flush: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      flush(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${FLUSH_TIMEOUT_MS} ms`)), FLUSH_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch (error) {
    console.error(`[shutdown] ${name}: final flush failed:`, error instanceof Error ? error.message : error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts draining (aborts `shutdownSignal()`); idempotent. */
export function beginShutdown(): void {
  state().controller.abort();
}

/** Writes every registered buffer; true when all of them were written. */
export async function flushOnShutdown(): Promise<boolean> {
  const results = await Promise.all([...state().flushers].map(([name, flush]) => runFlusher(name, flush)));
  return results.every(Boolean);
}
