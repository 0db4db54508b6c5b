import pg from "pg";
import { env } from "./env";

/**
 * Subscribes to a Postgres NOTIFY channel on a dedicated connection, and
 * reconnects when it drops (Postgres restarting under the worker). Returns a
 * function that unsubscribes. Callers still poll slowly as a fallback: a
 * notification sent while disconnected is lost.
 */
export function listen(channel: string, onNotify: (payload: string) => void, url = env.DATABASE_URL): () => void {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`Bad channel name ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: url });
    next.on("notification", (message) => onNotify(message.payload ?? ""));
    next.on("error", () => reconnect());
    next.on("end", () => reconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
    } catch {
      await next.end().catch(() => undefined);
      reconnect();
    }
  };
  const reconnect = () => {
    client = undefined;
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, 1_000);
  };
  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    void client?.end().catch(() => undefined);
  };
}
