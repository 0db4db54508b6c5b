import { describe, expect, it } from "vitest";
import { RELATION_KINDS, RELATION_KIND_NAMES, relationFrom } from "./relation-kinds";

describe("relation kinds", () => {
  it("reads each relation by its name from one end and its inverse from the other", () => {
    const relation = { fromId: "ci_app", toId: "ci_space", kind: "runs-on" };
    expect(relationFrom(relation, "ci_app")).toEqual({ direction: "outgoing", name: "runs-on", otherId: "ci_space" });
    expect(relationFrom(relation, "ci_space")).toEqual({ direction: "incoming", name: "hosts", otherId: "ci_app" });
    expect(relationFrom({ fromId: "a", toId: "b", kind: "calls" }, "b").name).toBe("called-by");
  });

  it("has a distinct inverse for every kind, never one that is itself a kind", () => {
    const inverses = RELATION_KIND_NAMES.map((kind) => RELATION_KINDS[kind].inverse);
    expect(new Set(inverses).size).toBe(inverses.length);
    for (const inverse of inverses) expect(RELATION_KIND_NAMES).not.toContain(inverse);
  });
});
