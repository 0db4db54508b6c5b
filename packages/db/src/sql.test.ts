import { describe, expect, it } from "vitest";
import { inlineValues } from "./sql";

describe("inlineValues", () => {
  it("renders each placeholder as a literal of its value", () => {
    const at = new Date("2026-12-08T03:00:00.000Z");
    expect(inlineValues("SELECT $1, $2, $3, $4, $5, $6, $10", ["it's", 51, null, at, true, 7n, "..", "", "", "tenth"])).toBe(
      "SELECT 'it''s', 51, NULL, '2026-12-08T03:00:00.000Z', TRUE, 7, 'tenth'",
    );
  });

  it("quotes backslashes with E'' and keeps negative numbers out of comments", () => {
    expect(inlineValues("SELECT $1", ["a\\b"])).toBe("SELECT  E'a\\\\b'"); // pg's escapeLiteral puts a space before E
    expect(inlineValues("SELECT 1 -$1", [-1])).toBe("SELECT 1 -(-1)");
    expect(inlineValues("SELECT 1 -$1", [-1n])).toBe("SELECT 1 -(-1)");
  });

  it("refuses what it cannot render, and a placeholder without a value", () => {
    expect(() => inlineValues("SELECT $1", [["a"]])).toThrow(/cannot send a object/);
    expect(() => inlineValues("SELECT $1", [Number.NaN])).toThrow(/cannot send a number/);
    expect(() => inlineValues("SELECT $2", ["a"])).toThrow(/no value for \$2/);
  });
});
