import { createDb } from "@wharf/db";
import { describe, expect, it } from "vitest";
import { checkReadiness } from "./check-readiness";

describe("readiness", () => {
  it("is ready while the database answers", async () => {
    const readiness = await checkReadiness();
    expect(readiness).toMatchObject({ ready: true, checks: { database: { ok: true } } });
  });

  it("is not ready, and says why, when the database does not answer", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const unreachable = createDb("postgresql://wharf@127.0.0.1:1/wharf");
    try {
      const readiness = await checkReadiness(unreachable);
      expect(readiness.ready).toBe(false);
      expect(readiness.checks.database.ok).toBe(false);
      expect(readiness.checks.database.error).toBeTruthy();
    } finally {
      await unreachable.$disconnect();
    }
  });
});
