import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXPECTED_MIGRATION } from "./expected-migration";

describe("the expected migration", () => {
  it("is the newest folder in prisma/migrations", () => {
    const dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../prisma/migrations");
    const newest = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .at(-1);
    expect(EXPECTED_MIGRATION).toBe(newest);
  });
});
