import { describe, expect, it } from "vitest";
import { productionSettingsProblem } from "./production-settings.mjs";

const good = {
  DATABASE_URL: "postgresql://wharf:pw@db:5432/wharf",
  AUTH_SECRET: "x".repeat(32),
  WHARF_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  WHARF_PUBLIC_URL: "https://wharf.example.com",
};
const all = ["DATABASE_URL", "AUTH_SECRET", "WHARF_ENCRYPTION_KEY", "WHARF_PUBLIC_URL"] as const;

describe("production settings", () => {
  it("accepts good settings", () => {
    expect(productionSettingsProblem([...all], good)).toBeNull();
  });

  it.each([
    ["DATABASE_URL", undefined, "DATABASE_URL is not set"],
    ["DATABASE_URL", "mysql://db/wharf", "DATABASE_URL must be a postgresql:// URL"],
    ["AUTH_SECRET", "", "AUTH_SECRET is not set"],
    ["AUTH_SECRET", "short", "AUTH_SECRET must be at least 32 characters"],
    ["WHARF_ENCRYPTION_KEY", Buffer.alloc(16).toString("base64"), "WHARF_ENCRYPTION_KEY must be 32 bytes, base64-encoded"],
    ["WHARF_ENCRYPTION_KEY", "not base64!".repeat(4), "WHARF_ENCRYPTION_KEY must be 32 bytes, base64-encoded"],
    ["WHARF_PUBLIC_URL", "wharf.example.com", "WHARF_PUBLIC_URL must be an http:// or https:// URL"],
  ] as const)("names %s when it is %s", (name, value, problem) => {
    expect(productionSettingsProblem([...all], { ...good, [name]: value })).toBe(problem);
  });

  it("names every bad setting on one line, and never a value", () => {
    const problem = productionSettingsProblem([...all], { ...good, AUTH_SECRET: "hunter2", WHARF_PUBLIC_URL: undefined });
    expect(problem).toBe("AUTH_SECRET must be at least 32 characters; WHARF_PUBLIC_URL is not set");
    expect(problem).not.toContain("hunter2");
  });

  it("checks only the settings a process needs", () => {
    expect(productionSettingsProblem(["DATABASE_URL"], { DATABASE_URL: good.DATABASE_URL })).toBeNull();
  });
});
