// The worker process: long-running loops that keep the platform tidy and, as
// later issues land, converge clusters onto the desired state. Wiring only;
// the work itself lives in @wharf/core.
import { identity } from "@wharf/core";
import { every } from "./loop";

const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
process.on("SIGINT", () => stop.abort());

console.log("[worker] started");
await Promise.all([
  every(60_000, stop.signal, "prune sign-in failures", async () => {
    const pruned = await identity.pruneSignInFailures();
    if (pruned > 0) console.log(`[worker] pruned ${pruned} expired sign-in failures`);
  }),
]);
console.log("[worker] stopped");
