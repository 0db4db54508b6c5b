import type { SqlValues } from "@wharf/db";
import { AppError } from "./errors";

/**
 * Keyset pagination over (createdAt desc, id desc): stable under inserts and
 * as fast on page 1,000 as on page 1. The cursor is opaque to clients.
 */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { createdAt: date, id };
  } catch {
    throw new AppError("INVALID_INPUT", "This page cursor is not valid; start again from the first page");
  }
}

/** Prisma `where` fragment for rows after the cursor, newest first. */
export function afterCursor(cursor: Cursor | undefined) {
  if (!cursor) return {};
  return {
    OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
  };
}

export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** The same two for SQL (sql.ts reads): the condition for rows of `table` after the cursor, and the order. */
export function afterCursorSql(cursor: Cursor, values: SqlValues, table: string): string {
  return `(${table}.created_at, ${table}.id) < (${values.add(cursor.createdAt)}::timestamp, ${values.add(cursor.id)})`;
}

export const newestFirstSql = (table: string) => `ORDER BY ${table}.created_at DESC, ${table}.id DESC`;

/** Fetch `limit + 1` rows, then call this: it trims and says whether there is more. */
export function toPage<T extends Cursor, U>(rows: T[], limit: number, map: (row: T) => U) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
