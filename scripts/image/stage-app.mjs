// Lays out /app of the image in a folder, from a checkout that has run `pnpm build` (Next's
// standalone output) and scripts/image/bundle.mjs. Used by `pnpm image` and by the Dockerfile.
// The layout mirrors the repository so bin/wharf.mjs finds everything at the same relative paths:
//   apps/web/           Next's standalone server (its traced node_modules at /app/node_modules),
//                       .next/static, and server.mjs (Wharf's production server over it)
//   apps/worker/dist/   the worker bundle
//   packages/db/        the migrate bundle, prisma.config.ts and the Prisma CLI with only its
//                       production dependencies (migrate runs `prisma migrate deploy`)
//   prisma/             schema.prisma and migrations
//   bin/wharf.mjs       the entrypoint
// Nothing else: no sources, no dev tools, no package manager.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function need(relative, hint) {
  const file = path.join(root, relative);
  if (!existsSync(file)) throw new Error(`${relative} is missing: ${hint}`);
  return file;
}

/** The folder of package `name` as Node would find it from `fromDir` (walking up node_modules). */
function findPackage(fromDir, name) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return realpathSync(candidate);
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * Copies `name` and its production dependency closure into `nodeModules` (hoisted where the
 * version is free, nested under the dependent where it is not). Dev dependencies and optional
 * peers are left out.
 */
function copyClosure(name, fromDir, nodeModules, placed = new Map(), dependentDest = undefined) {
  const source = findPackage(fromDir, name);
  if (!source) return false;
  const pkg = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8"));
  const top = path.join(nodeModules, name);
  let dest;
  if (!placed.has(top)) dest = top;
  else if (placed.get(top) === pkg.version) return true;
  else dest = path.join(dependentDest, "node_modules", name);
  if (placed.has(dest)) return true;
  placed.set(dest, pkg.version);
  // A pnpm package folder holds no node_modules of its own but `.bin` links, which are not needed.
  cpSync(source, dest, { recursive: true, dereference: true, filter: (src) => path.relative(source, src) !== "node_modules" });
  const optionalPeers = pkg.peerDependenciesMeta ?? {};
  const deps = [
    ...Object.keys(pkg.dependencies ?? {}).map((d) => [d, true]),
    ...Object.keys(pkg.optionalDependencies ?? {}).map((d) => [d, false]),
    ...Object.keys(pkg.peerDependencies ?? {}).filter((d) => !optionalPeers[d]?.optional).map((d) => [d, true]),
  ];
  for (const [dep, required] of deps) {
    // Type packages are dependencies of some runtime packages (@prisma/adapter-pg lists @types/pg) but never loaded.
    if (dep.startsWith("@types/")) continue;
    if (!copyClosure(dep, source, nodeModules, placed, dest) && required) throw new Error(`${dep} (a dependency of ${name}) is not installed`);
  }
  return true;
}

export function stageApp(app) {
  const standalone = need("apps/web/.next/standalone", "run `pnpm exec turbo run build --filter=@wharf/web` (next.config.ts sets output: standalone)");
  const worker = need("apps/worker/dist/main.mjs", "run node scripts/image/bundle.mjs");
  const commands = need("packages/db/dist/commands.mjs", "run node scripts/image/bundle.mjs");
  const leanApi = need("apps/web/dist/lean-api.mjs", "the web build (it runs `node scripts/image/bundle.mjs lean-api`)");
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  // Symlinks stay symlinks: Next traced a pnpm tree, and its links are relative.
  cpSync(standalone, app, { recursive: true, verbatimSymlinks: true });
  // Next's own server.js is replaced by server.mjs (the client address from the socket).
  rmSync(path.join(app, "apps/web/server.js"));
  cpSync(need("apps/web/.next/static", "the web build"), path.join(app, "apps/web/.next/static"), { recursive: true });
  if (existsSync(path.join(root, "apps/web/public"))) cpSync(path.join(root, "apps/web/public"), path.join(app, "apps/web/public"), { recursive: true });
  cpSync(path.join(root, "apps/web/server.mjs"), path.join(app, "apps/web/server.mjs"));
  // server.mjs checks the production settings before Next loads, with the rules the worker
  // uses (@wharf/contracts/production-settings): outside Next's bundle, so Next did not trace it.
  const contracts = path.join(app, "node_modules/@wharf/contracts");
  cpSync(path.join(root, "packages/contracts/src/production-settings.mjs"), path.join(contracts, "src/production-settings.mjs"));
  writeFileSync(
    path.join(contracts, "package.json"),
    JSON.stringify({ name: "@wharf/contracts", type: "module", exports: { "./production-settings": "./src/production-settings.mjs" } }),
  );
  copyClosure("zod", path.join(root, "packages/contracts"), path.join(contracts, "node_modules"));
  // server.mjs serves /api/v1, /api/otlp and /api/trpc from this bundle, beside Next (apps/web/src/lean-api.ts).
  cpSync(leanApi, path.join(app, "apps/web/dist/lean-api.mjs"));
  cpSync(worker, path.join(app, "apps/worker/dist/main.mjs"));
  cpSync(commands, path.join(app, "packages/db/dist/commands.mjs"));
  cpSync(path.join(root, "packages/db/prisma.config.ts"), path.join(app, "packages/db/prisma.config.ts"));
  cpSync(path.join(root, "packages/db/package.json"), path.join(app, "packages/db/package.json"));
  const dbModules = path.join(app, "packages/db/node_modules");
  const placed = new Map();
  for (const name of ["prisma", "@prisma/adapter-pg"]) copyClosure(name, path.join(root, "packages/db"), dbModules, placed);
  cpSync(path.join(root, "prisma/schema.prisma"), path.join(app, "prisma/schema.prisma"));
  cpSync(path.join(root, "prisma/migrations"), path.join(app, "prisma/migrations"), { recursive: true });
  cpSync(path.join(root, "bin/wharf.mjs"), path.join(app, "bin/wharf.mjs"));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dest = process.argv[2];
  if (!dest) {
    console.error("usage: node scripts/image/stage-app.mjs <folder>");
    process.exit(1);
  }
  stageApp(path.resolve(dest));
}
