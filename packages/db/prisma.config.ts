// Prisma CLI configuration. Migrate runs on Prisma's WebAssembly schema engine
// through the pg driver adapter: the native engines cannot be downloaded on
// our build machines (see ARCHITECTURE.md, "Migrations").
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

const here = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  schema: path.join(here, "../../prisma/schema.prisma"),
  migrations: { path: path.join(here, "../../prisma/migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://localhost/unused" }),
});
