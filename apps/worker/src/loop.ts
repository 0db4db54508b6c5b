/**
 * Waits `ms`, or less if the signal aborts or `wake` is called; cleans up
 * after itself so a long-running loop does not pile up listeners.
 */
export function sleep(ms: number, signal: AbortSignal, wake?: { now: () => void }): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      if (wake) wake.now = () => {};
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    if (wake) wake.now = done;
  });
}

/**
 * Runs `task` every `intervalMs` until `signal` aborts, never overlapping
 * itself; a failure is logged and the loop goes on. `wake.now()` cuts the wait short.
 */
export async function every(intervalMs: number, signal: AbortSignal, name: string, task: () => Promise<void>, wake?: { now: () => void }): Promise<void> {
  while (!signal.aborted) {
    try {
      await task();
    } catch (error) {
      console.error(`[worker] ${name} failed:`, error instanceof Error ? error.message : error);
    }
    await sleep(intervalMs, signal, wake);
  }
}
