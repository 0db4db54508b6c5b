import type { Tx } from "@wharf/db";

export interface IdempotencyRow {
  key_id: string;
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  created_at: Date;
}

export const idempotencyRepository = {
  /** Claims the key: true when this request stored the record, false when one was there already. */
  async insertIfAbsent(tx: Tx, row: { orgId: string; key: string; keyId: string; requestHash: string; now: Date }): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      INSERT INTO idempotency_records (org_id, key, key_id, request_hash, created_at)
      VALUES (${row.orgId}, ${row.key}, ${row.keyId}, ${row.requestHash}, ${row.now})
      ON CONFLICT (org_id, key) DO NOTHING`;
    return inserted === 1;
  },

  async find(tx: Tx, orgId: string, key: string): Promise<IdempotencyRow | undefined> {
    const rows = await tx.$queryRaw<IdempotencyRow[]>`
      SELECT key_id, request_hash, response_status, response_body, created_at
        FROM idempotency_records WHERE org_id = ${orgId} AND key = ${key}`;
    return rows[0];
  },

  /** Takes over a record whose request never finished (its process died), for the same request only. */
  async reclaimAbandoned(tx: Tx, row: { orgId: string; key: string; keyId: string; requestHash: string; now: Date; abandonedBefore: Date }): Promise<boolean> {
    const updated = await tx.$executeRaw`
      UPDATE idempotency_records SET key_id = ${row.keyId}, created_at = ${row.now}
       WHERE org_id = ${row.orgId} AND key = ${row.key} AND request_hash = ${row.requestHash}
         AND completed_at IS NULL AND created_at < ${row.abandonedBefore}`;
    return updated === 1;
  },

  complete(tx: Tx, orgId: string, key: string, status: number, text: string, now: Date) {
    return tx.idempotencyRecord.updateMany({
      where: { orgId, key, completedAt: null },
      data: { responseStatus: status, responseBody: text, completedAt: now },
    });
  },

  release(tx: Tx, orgId: string, key: string) {
    return tx.idempotencyRecord.deleteMany({ where: { orgId, key, completedAt: null } });
  },

  deleteExpired(tx: Tx, orgId: string, key: string, before: Date) {
    return tx.idempotencyRecord.deleteMany({ where: { orgId, key, createdAt: { lt: before } } });
  },

  deleteOlderThan(tx: Tx, before: Date) {
    return tx.idempotencyRecord.deleteMany({ where: { createdAt: { lt: before } } });
  },
};
