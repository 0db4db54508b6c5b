import { expect, it } from "vitest";
import { every } from "./loop";

it("keeps running after a failing task and stops when aborted", async () => {
  const stop = new AbortController();
  let runs = 0;
  await every(0, stop.signal, "test", async () => {
    runs += 1;
    if (runs === 1) throw new Error("first run fails");
    if (runs === 3) stop.abort();
  });
  expect(runs).toBe(3);
});
