// Fallback database for the foundation benchmark when no PostgreSQL answers on
// 127.0.0.1:5432: the same embedded PGlite that scripts/start.ts runs, in a
// process of its own (as it would be inside start.ts), so that the load
// generator does not share its event loop. Prints `PGLITE_URL=<url>`, then
// serves until SIGTERM.

async function main() {
  const dataDir = process.argv[2];
  if (!dataDir) {
    console.error("usage: pglite.ts <data dir>");
    process.exit(2);
  }
  const { startEmbeddedPostgres } = await import("@wharf/db/embedded");
  const pg = await startEmbeddedPostgres({ dataDir });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  console.log(`PGLITE_URL=${pg.url}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
