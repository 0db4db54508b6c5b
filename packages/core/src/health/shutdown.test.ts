import { afterEach, describe, expect, it } from "vitest";
import { flushOnShutdown, onShutdown, ownShutdown } from "./shutdown";

const KEY = Symbol.for("wharf.shutdown");

afterEach(() => {
  delete (globalThis as { [KEY]?: unknown })[KEY];
});

describe("onShutdown", () => {
  it("writes both buffers when two copies of core register under one name", async () => {
    ownShutdown(); // no signal handlers of its own in a test
    const written: string[] = [];
    onShutdown("API usage", async () => void written.push("Next's copy"));
    onShutdown("API usage", async () => void written.push("the public API's copy"));
    expect(await flushOnShutdown()).toBe(true);
    expect(written.sort()).toEqual(["Next's copy", "the public API's copy"]);
  });

  it("keeps one entry when the same flusher registers twice", async () => {
    ownShutdown();
    let writes = 0;
    const flush = async () => void writes++;
    onShutdown("telemetry rollups", flush);
    onShutdown("telemetry rollups", flush);
    await flushOnShutdown();
    expect(writes).toBe(1);
  });
});
