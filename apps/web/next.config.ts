import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages are TypeScript source; Next compiles them with the app.
  transpilePackages: ["@wharf/api", "@wharf/auth", "@wharf/contracts", "@wharf/core", "@wharf/db", "@wharf/telemetry", "@wharf/ui"],
  // Native-ish server packages stay as plain node_modules requires.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "nodemailer"],
  // The container image (scripts/image) ships .next/standalone: the server plus only the files it traces.
  output: "standalone",
  poweredByHeader: false,
  // Lets a benchmark build and serve its own copy beside the one e2e uses.
  distDir: process.env.WHARF_NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default config;
