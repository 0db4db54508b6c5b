import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, backoffDelay } from "./backoff";

describe("retry backoff", () => {
  it("doubles per attempt up to the cap, with at most half of it random", () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 0)).toBe(500);
    expect(backoffDelay(1, DEFAULT_BACKOFF, () => 1)).toBe(1_000);
    expect(backoffDelay(4, DEFAULT_BACKOFF, () => 1)).toBe(8_000);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 1)).toBe(60_000);
  });

  it("rides out a 30-second outage before the last of 8 attempts, even with the shortest jitter", () => {
    let waited = 0;
    for (let attempt = 1; attempt < 8; attempt++) waited += backoffDelay(attempt, DEFAULT_BACKOFF, () => 0);
    expect(waited).toBeGreaterThan(30_000);
  });
});
