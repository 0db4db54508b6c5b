import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { validateParams } from "./validate-params";

const schema = {
  type: "object",
  properties: {
    logLevel: { type: "string", title: "Log level", enum: ["debug", "info", "warn", "error"], default: "info" },
    maxConnections: { type: "integer", minimum: 1, maximum: 500 },
    currency: { type: "string", minLength: 3, maxLength: 3 },
    tls: { type: "object", properties: { enabled: { type: "boolean", default: false } }, additionalProperties: false },
  },
  required: ["currency"],
  additionalProperties: false,
};
const defaults = { maxConnections: 100 };

function failure(params: unknown): AppError {
  try {
    validateParams(schema, defaults, params);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected validateParams to refuse");
}

describe("validateParams", () => {
  it("applies the version's defaults, then the schema's, under the tenant's choices", () => {
    expect(validateParams(schema, defaults, { currency: "EUR", tls: {} })).toEqual({
      currency: "EUR",
      maxConnections: 100,
      logLevel: "info",
      tls: { enabled: false },
    });
    expect(validateParams(schema, defaults, { currency: "USD", maxConnections: 7, logLevel: "debug" })).toMatchObject({ maxConnections: 7, logLevel: "debug" });
  });

  it("does not change the objects it is given", () => {
    const params = { currency: "EUR" };
    validateParams(schema, defaults, params);
    expect(params).toEqual({ currency: "EUR" });
    expect(defaults).toEqual({ maxConnections: 100 });
  });

  it("names each failing field in plain words", () => {
    const error = failure({ currency: "EU", maxConnections: "many", logLevel: "loud", tls: { enabled: "yes" } });
    expect(error.code).toBe("INVALID_PARAMS");
    expect(error.kind).toBe("BAD_REQUEST");
    expect(error.message).toContain("maxConnections must be a whole number");
    expect(error.message).toContain("logLevel must be one of: debug, info, warn, error");
    expect(error.message).toContain("currency must have at least 3 characters");
    expect(error.message).toContain("tls.enabled must be true or false");
  });

  it("names missing required fields and range violations", () => {
    expect(failure({ maxConnections: 501 }).message).toMatch(/currency is required.*maxConnections must be at most 500|maxConnections must be at most 500.*currency is required/);
  });

  it("refuses unknown fields when the schema forbids them", () => {
    expect(failure({ currency: "EUR", debugMode: true }).message).toContain("debugMode is not a parameter of this version");
    expect(failure({ currency: "EUR", tls: { cipher: "rc4" } }).message).toContain("tls.cipher is not a parameter of this version");
  });

  it("accepts unknown fields when the schema allows them", () => {
    expect(validateParams({ type: "object", properties: { a: { type: "string" } } }, {}, { b: 1 })).toEqual({ b: 1 });
  });

  it("refuses parameters that are not an object, and an unusable schema", () => {
    expect(() => validateParams(schema, defaults, ["x"])).toThrow(/group of fields/);
    expect(() => validateParams(null, {}, {})).toThrow(AppError);
    expect(() => validateParams({ type: "object", properties: { a: { $ref: "#/nowhere" } } }, {}, {})).toThrow(/cannot be used/);
  });
});
