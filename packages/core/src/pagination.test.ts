import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { decodeCursor, encodeCursor, toPage } from "./pagination";

describe("cursor pagination", () => {
  it("round-trips a cursor", () => {
    const row = { createdAt: new Date("2026-11-26T07:00:00.123Z"), id: "org_abc123def456" };
    expect(decodeCursor(encodeCursor(row))).toEqual(row);
  });

  it("refuses a forged cursor with a 4xx error", () => {
    for (const bad of ["garbage", Buffer.from('["not a date","x"]').toString("base64url"), Buffer.from("[1,2]").toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(AppError);
    }
  });

  it("trims the extra row and points the cursor at the last row kept", () => {
    const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n * 1000), id: `x_${n}` }));
    const page = toPage(rows, 2, (r) => r.id);
    expect(page.items).toEqual(["x_3", "x_2"]);
    expect(decodeCursor(page.nextCursor!)?.id).toBe("x_2");
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull();
  });
});
