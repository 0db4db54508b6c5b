// Bundles what runs without Next into plain ESM, so production runs no tsx:
//  - apps/worker/dist/main.mjs: the worker, with its workspace and npm dependencies inlined;
//  - apps/web/dist/lean-api.mjs: the REST API, OTLP ingest and the console's tRPC, which
//    apps/web/server.mjs serves beside Next (the web build makes it: `node scripts/image/bundle.mjs lean-api`);
//  - packages/db/dist/commands.mjs: migrate and wait-for-migrations. Prisma's CLI stays outside
//    (migrate runs it as a child process and it loads its own wasm engines), resolved from packages/db.
// esbuild comes from tsx, which the repo already uses to run TypeScript (it is not a direct
// dependency, and the offline store cannot add one).
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const esbuild = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"))("esbuild");

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies call require() for Node built-ins; an ESM bundle has none of its own.
  banner: { js: 'import { createRequire as __wharfCreateRequire } from "node:module"; const require = __wharfCreateRequire(import.meta.url);' },
  // pg's optional native binding, never installed.
  external: ["pg-native"],
};

const targets = {
  worker: () => esbuild.build({ ...common, entryPoints: [path.join(root, "apps/worker/src/main.ts")], outfile: path.join(root, "apps/worker/dist/main.mjs") }),
  "lean-api": () =>
    // A source map beside it (not loaded at run time) lets bench/api/profile.ts attribute CPU to packages.
    esbuild.build({ ...common, sourcemap: "linked", entryPoints: [path.join(root, "apps/web/src/lean-api.ts")], outfile: path.join(root, "apps/web/dist/lean-api.mjs") }),
  commands: () =>
    esbuild.build({
      ...common,
      stdin: { contents: 'export { migrate } from "./src/migrate";\nexport { waitForMigrations, pendingMigrations, migrationsDir } from "./src/migration-status";\n', resolveDir: path.join(root, "packages/db"), loader: "ts" },
      outfile: path.join(root, "packages/db/dist/commands.mjs"),
    }),
};

/** Builds the named bundles, or all of them. */
export async function bundle(names = Object.keys(targets)) {
  for (const name of names) {
    if (!targets[name]) throw new Error(`no bundle named ${name} (there are: ${Object.keys(targets).join(", ")})`);
    await targets[name]();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle(process.argv.length > 2 ? process.argv.slice(2) : undefined);
