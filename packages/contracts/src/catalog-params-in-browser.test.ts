import { describe, expect, it, vi } from "vitest";
import { checkParams } from "./catalog-params";
import { checkParamsInBrowser } from "./catalog-params-in-browser";

// The browser's check must say what the server's says, field by field, or a form would show one
// message and the deploy answer another.

const logLevel = { type: "string", title: "Log level", enum: ["debug", "info", "warn"], default: "info" };
const SCHEMAS = {
  database: {
    type: "object",
    properties: {
      database: { type: "string", pattern: "^[a-z_][a-z0-9_]*$", default: "orders" },
      maxConnections: { type: "integer", minimum: 10, maximum: 500, default: 100 },
      logLevel,
    },
    additionalProperties: false,
  },
  nested: {
    type: "object",
    required: ["upstreamHost"],
    properties: {
      upstreamHost: { type: "string", minLength: 1, maxLength: 20, format: "hostname" },
      tls: { type: "object", properties: { enabled: { type: "boolean", default: false }, port: { $ref: "#/$defs/port" } }, required: ["enabled"] },
      ratio: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, multipleOf: 0.25 },
      tags: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 2, uniqueItems: true },
      mode: { const: "fast" },
      either: { type: ["string", "integer"] },
    },
    $defs: { port: { type: "integer", minimum: 1, maximum: 65535 } },
  },
} as const;

const CASES: Array<[keyof typeof SCHEMAS, Record<string, unknown>, Record<string, unknown>]> = [
  ["database", {}, {}],
  ["database", { database: "orders" }, { maxConnections: 5 }],
  ["database", {}, { maxConnections: 600, database: "Bad-Name", logLevel: "loud", extra: true }],
  ["database", {}, { maxConnections: 12.5 }],
  ["database", {}, { maxConnections: "many" }],
  ["nested", {}, {}],
  ["nested", {}, { upstreamHost: "", tls: {}, ratio: 0 }],
  ["nested", {}, { upstreamHost: "not a host!", tls: { port: 70000 }, ratio: 0.3, tags: [] }],
  ["nested", {}, { upstreamHost: "api", tls: { enabled: "yes", port: 0 }, ratio: 1, tags: ["a", "a", "b"], mode: "slow", either: true }],
  ["nested", { tls: { enabled: true } }, { upstreamHost: "x".repeat(21), tags: [1] }],
];

describe("checkParamsInBrowser", () => {
  it.each(CASES)("%s %j %j: the same parameters and messages as the server", (name, defaults, params) => {
    const schema = SCHEMAS[name];
    expect(checkParamsInBrowser(schema, defaults, params)).toEqual(checkParams(schema, defaults, params));
  });

  it("names the field and the limit in plain words", () => {
    const { errors, params } = checkParamsInBrowser(SCHEMAS.database, {}, { maxConnections: 600, extra: 1 });
    expect(errors).toEqual({ maxConnections: "must be at most 500", extra: "is not a parameter of this version" });
    expect(params).toEqual({ database: "orders", maxConnections: 600, logLevel: "info", extra: 1 });
  });

  it("does not compile the schema to code", () => {
    const original = globalThis.Function;
    const refuse = function () {
      throw new EvalError("Function refused, as under the console's CSP");
    } as unknown as FunctionConstructor;
    globalThis.Function = refuse;
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      // The control: Ajv needs it for a schema it has not compiled yet.
      expect(() => checkParams({ ...SCHEMAS.database, title: "fresh" }, {}, {})).toThrow(EvalError);
      expect(checkParamsInBrowser({ ...SCHEMAS.database, title: "fresh" }, {}, { maxConnections: 5 }).errors).toEqual({ maxConnections: "must be at least 10" });
    } finally {
      globalThis.Function = original;
      quiet.mockRestore();
    }
  });
});
