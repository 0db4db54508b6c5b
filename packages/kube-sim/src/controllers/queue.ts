// A de-duplicating work queue drained in small time slices so the HTTP server stays responsive.

export class WorkQueue {
  private readonly pending = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly handler: (key: string) => void,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {}

  add(key: string) {
    if (this.stopped) return;
    this.pending.add(key);
    this.schedule();
  }

  addAfter(key: string, ms: number) {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, ms);
    this.timers.add(t);
  }

  get size() {
    return this.pending.size;
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.drain);
  }

  private readonly drain = () => {
    this.scheduled = false;
    const start = performance.now();
    for (const key of this.pending) {
      this.pending.delete(key);
      try {
        this.handler(key);
      } catch (err) {
        // Conflicts and transient admission errors are retried shortly, like a rate-limited requeue.
        this.onError(key, err);
        this.addAfter(key, 200);
      }
      if (performance.now() - start > 15) break;
    }
    if (this.pending.size > 0) this.schedule();
  };

  stop() {
    this.stopped = true;
    this.pending.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export const splitKey = (key: string): [string | undefined, string] => {
  const i = key.indexOf("/");
  return i < 0 ? [undefined, key] : [key.slice(0, i) || undefined, key.slice(i + 1)];
};
