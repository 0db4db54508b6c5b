import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "./lib/test-database";

let database: TestDatabase | undefined;

export async function setup() {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.WHARF_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  // Webhook tests receive on a loopback server, which production refuses.
  process.env.WHARF_WEBHOOK_ALLOW_PRIVATE_URLS ??= "true";
  console.log(`integration tests use ${database.label}`);
}

export async function teardown() {
  await database?.drop();
}
