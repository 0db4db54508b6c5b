import superjson from "superjson";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuditEventPage, TenantPage } from "@wharf/contracts";
import { serializeOutput } from "./output-serializer";

const at = (i: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, i, i));

/** Both to the bytes the response carries; `fallback` says whether superjson itself had to run. */
function compare(value: unknown) {
  const spy = vi.spyOn(superjson, "serialize");
  const ours = JSON.stringify(serializeOutput(value));
  const fallback = spy.mock.calls.length > 0;
  spy.mockRestore();
  return { ours, theirs: JSON.stringify(superjson.serialize(value)), fallback };
}

afterEach(() => vi.restoreAllMocks());

const tenantPage = TenantPage.parse({
  items: Array.from({ length: 50 }, (_, i) => ({
    id: `org_${i}`,
    slug: `tenant-${i}`,
    name: `Tenant "${i}" \u00e9\u4e2d\ud83d\ude00`,
    kind: i % 7 === 0 ? "PARTNER" : "TENANT",
    status: i % 11 === 0 ? "SUSPENDED" : "ACTIVE",
    suspendedReason: i % 11 === 0 ? "unpaid\ninvoice" : null,
    memberCount: i % 15,
    createdAt: at(i),
  })),
  nextCursor: "cursor_50",
});

const auditPage = AuditEventPage.parse({
  items: Array.from({ length: 50 }, (_, i) => ({
    id: `aud_${i}`,
    orgId: i % 3 ? `org_${i}` : null,
    actorId: `usr_${i}`,
    actorEmail: `user${i}@acme.example`,
    action: "members.invite",
    targetType: "membership",
    targetId: `mem_${i}`,
    before: i % 2 ? null : { role: "VIEWER", tags: ["a", "b"], nested: { n: i, ok: true } },
    after: { role: "ADMIN", list: [1, 2.5, -3, 1e21, 0] },
    ip: "203.0.113.7",
    userAgent: null,
    createdAt: at(i),
  })),
  nextCursor: null,
});

// Shapes the fast path serializes itself.
const plain: [string, unknown][] = [
  ["a page of 50 tenants (TenantPage's output)", tenantPage],
  ["a page of 50 audit events (AuditEventPage's output)", auditPage],
  ["null", null],
  ["a string", "hé \u2028 \"quoted\""],
  ["a number", 42.5],
  ["zero", 0],
  ["false", false],
  ["a Date at the root", at(1)],
  ["an empty object", {}],
  ["an empty array", []],
  ["an array of Dates", [at(1), at(2)]],
  // Integer-like keys sort first in each level's annotations, so superjson's order is not depth-first:
  // {a: [{x: d}, d]} gives "a.1" before "a.0.x".
  ["a Date after an object at array level", [{ x: at(1) }, at(2), [at(3), { y: [at(4)] }]]],
  ["the same, one level down", { a: [{ x: at(1) }, at(2)], b: [[{ c: at(3) }, at(4)]] }],
  ["integer-like object keys", { b: { x: at(1) }, 10: at(2), 2: { z: at(3) }, a: at(4) }],
  ["a null-prototype object", Object.assign(Object.create(null) as object, { a: 1, d: at(5) })],
  ["deep nesting", { a: { b: { c: { d: [{ e: at(6), f: "x" }] } } } }],
  ["keys with spaces and unicode", { "a b": at(1), "é": { "中": at(2) } }],
  ["a dotted key above no Date", { "a.b": 1, "c\\d": "x" }],
  ["equal but distinct objects", [{ a: 1 }, { a: 1 }, new Date(0), new Date(0)]],
];

// Shapes superjson encodes beyond plain JSON: each must go to superjson itself.
class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
const shared = { a: 1 };
const sharedDate = at(9);
const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;
const holes = [1, , 3];
const extraKey = Object.assign([1, 2], { extra: at(1) });
const fallbacks: [string, unknown][] = [
  ["undefined at the root", undefined],
  ["an undefined property", { a: undefined, b: 1 }],
  ["undefined in an array", [1, undefined]],
  ["a hole in an array", holes],
  ["an array with an extra key", extraKey],
  ["a Map", { m: new Map([["k", 1]]) }],
  ["a Set", { s: new Set([1, 2]) }],
  ["a BigInt", { n: 10n }],
  ["a RegExp", { r: /a.b/gi }],
  ["a class instance", { p: new Point(1, 2) }],
  ["an Error", { e: new Error("boom") }],
  ["a URL", { u: new URL("https://wharf.example/a") }],
  ["a typed array", { t: new Uint8Array([1, 2]) }],
  ["a boxed string", { s: new String("x") }],
  ["an invalid Date", { d: new Date(Number.NaN) }],
  ["NaN", { n: Number.NaN }],
  ["Infinity", [Infinity]],
  ["-Infinity", -Infinity],
  ["-0", { z: -0 }],
  ["a symbol", { s: Symbol("x") }],
  ["a function", { f: () => 1 }],
  ["a Date under a dotted key", { "a.b": at(1) }],
  ["a Date under a backslashed key", { "a\\b": { c: at(1) } }],
  ["a repeated object", { a: shared, b: [shared] }],
  ["a repeated Date", { a: sharedDate, b: sharedDate }],
  ["a circular reference", circular],
  ["a Date subclass", { d: new (class extends Date {})(0) }],
];

describe("serializeOutput", () => {
  it.each(plain)("writes superjson's bytes itself for %s", (_, value) => {
    const { ours, theirs, fallback } = compare(value);
    expect(ours).toBe(theirs);
    expect(fallback).toBe(false);
  });

  it.each(fallbacks)("hands %s to superjson", (_, value) => {
    const { ours, theirs, fallback } = compare(value);
    expect(ours).toBe(theirs);
    expect(fallback).toBe(true);
  });

  it("refuses the keys superjson refuses, as superjson does", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const value = JSON.parse(`{"${key}": {"a": 1}}`) as unknown;
      expect(() => serializeOutput(value)).toThrow(/prototype pollution/);
    }
  });

  it("round-trips through the client's superjson.deserialize", () => {
    for (const [, value] of plain) {
      const wire = JSON.parse(JSON.stringify(serializeOutput(value))) as Parameters<typeof superjson.deserialize>[0];
      expect(superjson.deserialize(wire)).toEqual(value);
    }
    const page = superjson.deserialize<typeof tenantPage>(JSON.parse(JSON.stringify(serializeOutput(tenantPage))));
    expect(page.items[3]!.createdAt).toBeInstanceOf(Date);
    expect(page.items[3]!.createdAt.getTime()).toBe(at(3).getTime());
  });
});
