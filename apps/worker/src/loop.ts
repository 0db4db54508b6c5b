/**
 * Runs `task` every `intervalMs` until `signal` aborts, never overlapping
 * itself; a failure is logged and the loop goes on.
 */
export async function every(intervalMs: number, signal: AbortSignal, name: string, task: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    try {
      await task();
    } catch (error) {
      console.error(`[worker] ${name} failed:`, error instanceof Error ? error.message : error);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
}
