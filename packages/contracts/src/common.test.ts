import { describe, expect, it } from "vitest";
import { isStorableText, SafeText, StorableInput } from "./common";

describe("storable text", () => {
  it("refuses NUL and unpaired surrogates, keeps paired ones", () => {
    expect(isStorableText("plain text, ünïcode, 🚀")).toBe(true);
    for (const bad of ["\u0000", "a\u0000b", "\ud800", "x\ud800", "\udfffx", "\udc00\ud800"]) expect(isStorableText(bad)).toBe(false);
    expect(SafeText().safeParse("%ff").success).toBe(true);
    expect(SafeText().safeParse("\ud800").success).toBe(false);
  });

  it("finds an unstorable string or key at any depth and names its path", () => {
    expect(StorableInput.safeParse({ orgId: "org_x", items: [{ name: "ok", tags: ["a"] }], at: new Date() }).success).toBe(true);
    const nested = StorableInput.safeParse({ orgId: "org_x", items: [{ name: "ok" }, { attributes: { note: "a\u0000" } }] });
    expect(nested.success).toBe(false);
    expect(nested.error?.issues.map((i) => i.path)).toEqual([["items", 1, "attributes", "note"]]);
    const key = StorableInput.safeParse({ params: { "\ud800": 1 } });
    expect(key.error?.issues.map((i) => i.path)).toEqual([["params", "\ud800"]]);
    expect(StorableInput.safeParse("\u0000").success).toBe(false);
  });
});
