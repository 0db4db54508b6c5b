import pg from "pg";
import { env } from "./env";

/**
 * Subscribes to a Postgres NOTIFY channel on a dedicated connection, and
 * reconnects when it drops (Postgres restarting under the worker). Returns a
 * function that unsubscribes. Callers still poll slowly as a fallback: a
 * notification sent while disconnected is lost. `onConnectionChange` hears
 * when the subscription is up (LISTEN done) and when it drops, for callers
 * that must not trust what they hold while notifications may be missed.
 */
export function listen(
  channel: string,
  onNotify: (payload: string) => void,
  options: { url?: string; onConnectionChange?: (listening: boolean) => void } = {},
): () => void {
  const { url = env.DATABASE_URL, onConnectionChange = () => undefined } = options;
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`Bad channel name ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    // Named, so that an operator (or a test) can tell the connection apart in pg_stat_activity.
    const next = new pg.Client({ connectionString: url, application_name: `wharf listen ${channel}` });
    next.on("notification", (message) => onNotify(message.payload ?? ""));
    next.on("error", () => reconnect());
    next.on("end", () => reconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
      if (stopped) void next.end().catch(() => undefined);
      else onConnectionChange(true);
    } catch {
      await next.end().catch(() => undefined);
      reconnect();
    }
  };
  const reconnect = () => {
    if (client) onConnectionChange(false);
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
    if (client) onConnectionChange(false);
    void client?.end().catch(() => undefined);
  };
}
