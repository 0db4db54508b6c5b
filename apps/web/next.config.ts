import type { NextConfig } from "next";

const config: NextConfig = {
  // Workspace packages are TypeScript source; Next compiles them with the app.
  transpilePackages: ["@wharf/api", "@wharf/auth", "@wharf/contracts", "@wharf/core", "@wharf/db", "@wharf/ui"],
  // Native-ish server packages stay as plain node_modules requires.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "nodemailer"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
