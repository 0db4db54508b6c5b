// Served by server.mjs from the lean bundle in production; this file is for `next dev` (src/console-trpc.ts).
export { handleConsoleTrpc as GET, handleConsoleTrpc as POST } from "~/console-trpc";

export const dynamic = "force-dynamic";
