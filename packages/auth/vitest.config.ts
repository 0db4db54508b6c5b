import { defineConfig } from "vitest/config";

// next-auth imports "next/server" without an extension, which Node's ESM
// loader refuses; letting Vite process it resolves the import as Next does.
export default defineConfig({ test: { server: { deps: { inline: ["next-auth"] } } } });
