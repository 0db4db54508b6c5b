// The worker process: wiring only; the work itself lives in @wharf/core.
//  - lifecycle controller: claims outbox operations and converges clusters;
//  - observers: informers per registered cluster write observed state and drift;
//  - housekeeping.
// Run as many workers as you like: operations are claimed with SKIP LOCKED.
import { hostname } from "node:os";
import { identity } from "@wharf/core";
import { listen } from "@wharf/db";
import { every } from "./loop";
import { runOperationsLoop } from "./operations-loop";
import { superviseObservers } from "./observers";

const workerId = `${hostname()}:${process.pid}`;
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
process.on("SIGINT", () => stop.abort());

console.log(`[worker] ${workerId} started`);
const wake = { now: () => {} };
const unlisten = listen("wharf_operations", () => wake.now());
await Promise.all([
  runOperationsLoop(workerId, stop.signal, wake),
  superviseObservers(stop.signal),
  every(60_000, stop.signal, "prune sign-in failures", async () => {
    const pruned = await identity.pruneSignInFailures();
    if (pruned > 0) console.log(`[worker] pruned ${pruned} expired sign-in failures`);
  }),
]);
unlisten();
console.log("[worker] stopped");
process.exit(0);
