import { listen } from "@wharf/db";
import { onShutdown } from "../health/shutdown";
import type { KeyRow } from "./keys-repository";

/**
 * How long an accepted key is served from memory. Short, and not what makes the cache safe:
 * NOTIFY does that (below). It bounds what a change made behind the triggers' back (a restored
 * backup, a row edited with triggers off) can go unseen, and keeps a busy key's `last_used_at`
 * and its organisation's settings read at least this often.
 */
export const KEY_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;
export const KEY_CHANGES_CHANNEL = "wharf_api_keys";

interface Entry {
  row: KeyRow;
  cachedAt: number;
}

/**
 * Accepted keys by token hash, for a few seconds, in this process.
 *
 * Why it is safe: every change that can make a key refuse (revocation, rotation, expiry,
 * deletion, the organisation's status or limit) fires a trigger that NOTIFYs
 * `wharf_api_keys` when it commits (migration api_key_cache_and_rate_leases), and every process
 * drops the key's (or the organisation's) entries when it hears it, so the next request reads
 * Postgres. Expiry is checked on every request against the cached row.
 *
 * The fail-safe: a notification sent while the listening connection is down is lost, so the
 * cache serves nothing unless that connection is up, and starts empty each time it comes back.
 * A read that raced a notification is not stored (`since`), so a row read before a change
 * cannot outlive the change's notification.
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();
  private listening = false;
  /** Bumped by every notification and every change of the connection: see `remember`. */
  private changes = 0;
  private unlisten: (() => void) | undefined;

  constructor(private readonly url?: string) {}

  /** The cached row for this hash, if the cache may be trusted now. Starts listening on first use. */
  get(hash: string, now: Date): KeyRow | undefined {
    this.start();
    if (!this.listening) return undefined;
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (now.getTime() - entry.cachedAt >= KEY_CACHE_TTL_MS || now.getTime() < entry.cachedAt) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.row;
  }

  /** Take before reading Postgres, and pass to `remember`. */
  version(): number {
    return this.changes;
  }

  /** Keeps a row read from Postgres, unless a change was announced (or missed) since `since`. */
  remember(hash: string, row: KeyRow, since: number, now: Date): void {
    if (!this.listening || this.changes !== since) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { row, cachedAt: now.getTime() });
  }

  /** Drops a key's entries at once: the process that made a change does not wait for its own notification. */
  forget(payload: string): void {
    this.changes++;
    const [kind, id] = payload.split(":", 2);
    for (const [hash, { row }] of this.entries) {
      if ((kind === "key" && row.id === id) || (kind === "org" && row.orgId === id) || !id) this.entries.delete(hash);
    }
  }

  isListening(): boolean {
    return this.listening;
  }

  stop(): void {
    this.unlisten?.();
    this.setListening(false);
  }

  private start(): void {
    if (this.unlisten) return;
    this.unlisten = listen(KEY_CHANGES_CHANNEL, (payload) => this.forget(payload), { url: this.url, onConnectionChange: (up) => this.setListening(up) });
    onShutdown("API key cache listener", async () => this.stop());
  }

  private setListening(up: boolean): void {
    this.changes++;
    this.listening = up;
    this.entries.clear();
  }
}

/** This process's cache, for the REST hot path (keys.authenticateApiRequest). */
export const keyCache = new KeyCache();
