// API keys for benchmarks, written straight into a fresh database as the owner: one per
// organisation id given, valid for a day, with `scopes`; returns the tokens.
import pg from "pg";
import { bulkInsert, id } from "./sql";

export async function insertKeys(url: string, orgIds: string[], scopes: string[] = ["apps:read"]): Promise<string[]> {
  // Core reads DATABASE_URL when first imported; only the key format is used here.
  process.env.DATABASE_URL ??= url;
  const { keys } = await import("@wharf/core");
  const tokens = orgIds.map(() => keys.generateApiKeyToken("TENANT"));
  const ids = orgIds.map(() => id("key"));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const expires = new Date(Date.now() + 86_400_000);
    await bulkInsert(
      client,
      "api_keys",
      { id: "text", org_id: "text", name: "text", kind: '"ApiKeyKind"', prefix: "text", hash: "text", expires_at: "timestamp" },
      tokens.map((t, i) => [ids[i]!, orgIds[i]!, `bench ${i}`, "TENANT", keys.apiKeyPrefix(t), keys.hashApiKeyToken(t), expires]),
    );
    // bulkInsert's unnest flattens arrays, so the scopes go in after.
    await client.query(`UPDATE api_keys SET scopes = $1 WHERE id = ANY($2)`, [scopes, ids]);
  } finally {
    await client.end();
  }
  return tokens;
}
