import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Postgres for machines that have none: PGlite (Postgres in WebAssembly) served
 * over the wire protocol, so Prisma, pg and the migration tool use it exactly
 * like a server. `dataDir` keeps the data between runs; omit it for memory.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ?? "memory://");
  // With the default of one connection a pooled client dies with
  // "Connection terminated unexpectedly"; the server multiplexes these onto PGlite.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 32 });
  keepExtendedQueriesTogether(server);
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgresql://postgres:postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** The wire-protocol message types of the extended query protocol that a Sync ends. */
const EXTENDED_QUERY_MESSAGES = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/**
 * pglite-socket (0.2.x) multiplexes every connection onto the one PGlite, one
 * protocol message at a time, keeping a connection's messages together only
 * inside a transaction. A parameterised query outside a transaction is several
 * messages (Parse, Bind, Execute, Sync), so two connections' queries interleave
 * and fail with "unnamed prepared statement does not exist". This replaces the
 * queue's scheduler so that a connection also keeps PGlite from its first
 * extended-protocol message until its Sync. (Private API: checked at start-up.)
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== "function") {
    throw new Error("pglite-socket's internals changed: review keepExtendedQueriesTogether in packages/db/src/embedded-postgres.ts");
  }
  let midSequence: number | null = null;
  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    if (midSequence === handlerId) midSequence = null;
    clearQueueForHandler(handlerId);
    void queue.processQueue();
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : midSequence;
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The owner has not sent its next message yet: its enqueue will resume us.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1) as [QueuedMessage];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          midSequence = null;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        midSequence = EXTENDED_QUERY_MESSAGES.has(item.message[0] ?? 0) ? item.handlerId : null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
