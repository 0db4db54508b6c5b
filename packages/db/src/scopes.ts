import pg from "pg";
import { type Db, getDb } from "./client";
import { PREFIXED_ID } from "./ids";

/** The transaction client handed to code running inside a scope. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type Scope =
  | { kind: "tenant"; orgId: string }
  | { kind: "user"; userId: string }
  | { kind: "platform"; reason: string };

const SETTING: Record<Scope["kind"], string> = {
  tenant: "app.org_id",
  user: "app.user_id",
  platform: "app.platform",
};

/** The transaction-local setting a scope's row-level-security policies read. Only prefixed ids (ids.ts) reach its value. */
export function scopeSetting(scope: Scope): { name: string; value: string } {
  switch (scope.kind) {
    case "tenant":
      return { name: SETTING.tenant, value: checkedId(scope.orgId) };
    case "user":
      return { name: SETTING.user, value: checkedId(scope.userId) };
    case "platform":
      return { name: SETTING.platform, value: "on" };
  }
}

function checkedId(id: string): string {
  if (!PREFIXED_ID.test(id)) throw new Error(`scope id is not a prefixed id: ${JSON.stringify(id.slice(0, 40))}`);
  return id;
}

/**
 * Runs `fn` in one transaction whose row-level-security scope is `scope`.
 * The setting is transaction-local (`set_config(..., true)`), so it cannot
 * leak to the next user of the pooled connection. Never open a scope inside
 * another: embedded Postgres serialises transactions, so it would deadlock.
 */
export async function inScope<T>(scope: Scope, fn: (tx: Tx) => Promise<T>, db: Db = getDb()): Promise<T> {
  return db.$transaction(
    async (tx) => {
      // No parameters, so it goes over the simple protocol and rides in one
      // message with the transaction's deferred BEGIN (merge-begin.ts). The
      // value is a checked id or "on", and quoted besides.
      const setting = scopeSetting(scope);
      await tx.$executeRawUnsafe(`SELECT set_config('${setting.name}', ${pg.escapeLiteral(setting.value)}, true)`);
      return fn(tx);
    },
    // Embedded Postgres runs one transaction at a time: under load a transaction
    // may wait its turn for a while before it starts.
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** One tenant's rows, and nothing else. */
export function withTenant<T>(orgId: string, fn: (tx: Tx) => Promise<T>, db?: Db): Promise<T> {
  if (!orgId) throw new Error("withTenant needs an organisation id");
  return inScope({ kind: "tenant", orgId }, fn, db);
}

/** The signed-in user's own memberships and the organisations they belong to. */
export function withUser<T>(userId: string, fn: (tx: Tx) => Promise<T>, db?: Db): Promise<T> {
  if (!userId) throw new Error("withUser needs a user id");
  return inScope({ kind: "user", userId }, fn, db);
}

/**
 * Every tenant's rows: operator consoles and system work (sign-in, accepting
 * an invitation by its token). `reason` names the caller for readers of the code.
 */
export function withPlatform<T>(reason: string, fn: (tx: Tx) => Promise<T>, db?: Db): Promise<T> {
  return inScope({ kind: "platform", reason }, fn, db);
}
