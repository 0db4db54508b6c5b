import { describe, expect, it } from "vitest";
import { exampleFromSchema, operationsByTag, type OpenApiDocument, requestUrl, resolveRef, typeLabel } from "./openapi";

const doc: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "Test", version: "1" },
  tags: [{ name: "Apps", description: "Your apps" }, { name: "Empty" }],
  paths: {
    "/apps/{appId}": {
      parameters: [{ name: "appId", in: "path", required: true, schema: { type: "string" } }],
      get: { tags: ["Apps"], summary: "Get an app", responses: { "200": { $ref: "#/components/responses/App" } } },
      patch: {
        tags: ["Apps"],
        summary: "Scale",
        "x-required-scope": "apps:write",
        parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Scale" } } } },
      },
    },
    "/ping": { get: { summary: "Ping" } },
  },
  components: {
    parameters: { IdempotencyKey: { name: "Idempotency-Key", in: "header" } },
    responses: { App: { description: "The app", content: { "application/json": { schema: { $ref: "#/components/schemas/App" } } } } },
    schemas: {
      Scale: { type: "object", required: ["replicas"], properties: { replicas: { type: "integer", minimum: 0, maximum: 20 }, reason: { type: ["string", "null"] } } },
      App: { type: "object", properties: { id: { type: "string" }, createdAt: { type: "string", format: "date-time" }, phase: { enum: ["QUEUED", "AVAILABLE"] } } },
      Loop: { $ref: "#/components/schemas/Loop" },
    },
  },
};

describe("the OpenAPI document", () => {
  it("groups operations by tag in the document's order, with path-level parameters and $refs resolved", () => {
    const groups = operationsByTag(doc);
    expect(groups.map((g) => [g.tag, g.operations.map((o) => o.key)])).toEqual([
      ["Apps", ["get /apps/{appId}", "patch /apps/{appId}"]],
      ["Other", ["get /ping"]],
    ]);
    const [get, patch] = groups[0]!.operations;
    expect(get!.parameters.map((p) => p.name)).toEqual(["appId"]);
    expect(get!.responses).toEqual([{ status: "200", response: expect.objectContaining({ description: "The app" }) }]);
    expect(patch!.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:appId", "header:Idempotency-Key"]);
    expect(patch!.requestBody).toEqual({ required: true, schema: { $ref: "#/components/schemas/Scale" } });
    expect(patch!.requiredScope).toBe("apps:write");
  });

  it("does not loop on a self-reference or follow a remote one", () => {
    expect(resolveRef(doc, { $ref: "#/components/schemas/Loop" })).toBeNull();
    expect(resolveRef(doc, { $ref: "https://example.com/schema.json" })).toBeNull();
  });

  it("makes example values from schemas", () => {
    expect(exampleFromSchema(doc, { $ref: "#/components/schemas/Scale" })).toEqual({ replicas: 0, reason: "string" });
    expect(exampleFromSchema(doc, { $ref: "#/components/schemas/App" })).toEqual({ id: "string", createdAt: "1970-01-01T00:00:00.000Z", phase: "QUEUED" });
    expect(exampleFromSchema(doc, { type: "array", items: { type: "boolean" } })).toEqual([false]);
    expect(exampleFromSchema(doc, { $ref: "#/components/schemas/Loop" })).toBeNull();
  });

  it("builds request URLs with encoded path parameters and without empty query parameters", () => {
    expect(requestUrl("/api/v1/", "/apps/{appId}", { appId: "a b/c" }, { limit: "5", cursor: "" })).toBe("/api/v1/apps/a%20b%2Fc?limit=5");
    expect(requestUrl("/api/v1", "/ping", {}, {})).toBe("/api/v1/ping");
  });

  it("labels types", () => {
    expect(typeLabel({ type: "array", items: { $ref: "#/components/schemas/App" } })).toBe("App[]");
    expect(typeLabel({ type: ["string", "null"], format: "date-time" })).toBe("string (date-time) | null");
    expect(typeLabel({ enum: ["a", "b"] })).toBe('"a" | "b"');
  });
});
