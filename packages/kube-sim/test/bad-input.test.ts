// Bad input always becomes a Status with the right code, and garbage never crashes the server.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { http } from "./helpers.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ name: "bad-input" });
});
afterAll(async () => {
  await cluster?.stop();
});

const expectStatus = (r: { status: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }, code: number, reason: string) => {
  expect(r.status).toBe(code);
  expect(String(r.headers["content-type"])).toContain("application/json");
  const s = r.json();
  expect(s.kind).toBe("Status");
  expect(s.code).toBe(code);
  expect(s.reason).toBe(reason);
  return s;
};

describe("bad input", () => {
  it("needs a bearer token", async () => {
    expectStatus(await http(cluster, "GET", "/api/v1/namespaces", undefined, {}, false), 401, "Unauthorized");
    expectStatus(await http(cluster, "GET", "/api/v1/namespaces", undefined, { Authorization: "Bearer nope" }, false), 401, "Unauthorized");
    expect((await http(cluster, "GET", "/healthz", undefined, {}, false)).body).toBe("ok");
  });

  it("answers malformed JSON and YAML with 400", async () => {
    expectStatus(await http(cluster, "POST", "/api/v1/namespaces", "{not json"), 400, "BadRequest");
    expectStatus(await http(cluster, "POST", "/api/v1/namespaces", "a: [b", { "Content-Type": "application/yaml" }), 400, "BadRequest");
    const ok = await http(cluster, "POST", "/api/v1/namespaces", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-yaml\n", { "Content-Type": "application/yaml" });
    expect(ok.status).toBe(201);
  });

  it("answers unknown kinds and groups with 404", async () => {
    expectStatus(await http(cluster, "GET", "/apis/apps/v1/namespaces/default/widgets"), 404, "NotFound");
    expectStatus(await http(cluster, "GET", "/apis/nope.example.com/v1/things"), 404, "NotFound");
    expectStatus(await http(cluster, "GET", "/api/v2/pods"), 404, "NotFound");
    const nf = expectStatus(await http(cluster, "GET", "/apis/apps/v1/namespaces/default/deployments/web"), 404, "NotFound");
    expect(nf.message).toBe('deployments.apps "web" not found');
    expectStatus(await http(cluster, "POST", "/api/v1/namespaces/nowhere/configmaps", JSON.stringify({ metadata: { name: "x" } })), 404, "NotFound");
  });

  it("answers invalid objects with 422 and causes", async () => {
    const bad = expectStatus(await http(cluster, "POST", "/api/v1/namespaces", JSON.stringify({ metadata: { name: "Not_Valid" } })), 422, "Invalid");
    expect((bad.details as { causes: { field: string }[] }).causes[0]?.field).toBe("metadata.name");
    const dep = expectStatus(
      await http(cluster, "POST", "/apis/apps/v1/namespaces/default/deployments", JSON.stringify({ metadata: { name: "d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "c" } }, spec: { containers: [{ name: "x" }] } } } })),
      422,
      "Invalid",
    );
    const fields = (dep.details as { causes: { field: string }[] }).causes.map((c) => c.field);
    expect(fields).toContain("spec.template.metadata.labels");
    expect(fields).toContain("spec.template.spec.containers[0].image");
  });

  it("answers oversized bodies with 413 and unknown patch types with 415", async () => {
    expectStatus(await http(cluster, "POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ metadata: { name: "big" }, data: { k: "x".repeat(4 * 1024 * 1024) } })), 413, "RequestEntityTooLarge");
    await http(cluster, "POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ metadata: { name: "p" } }));
    expectStatus(await http(cluster, "PATCH", "/api/v1/namespaces/default/configmaps/p", "{}", { "Content-Type": "text/plain" }), 415, "UnsupportedMediaType");
  });

  it("survives a fuzzer", async () => {
    const paths = ["/api/v1/namespaces", "/api/v1/namespaces/default/pods", "/apis/apps/v1/namespaces/default/deployments", "/apis/apps/v1/namespaces/default/deployments/x", "/api/v1/namespaces/default/configmaps/p", "/apis/apps/v1/namespaces/default/deployments/x/scale", "/api/v1/namespaces/default/pods/x/log", "/apis/%ff/../v1", "/api/v1/namespaces/default/services"];
    const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    const types = ["application/json", "application/yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml", "application/vnd.kubernetes.protobuf"];
    const bodies = () => [
      randomBytes(64),
      "null",
      "[]",
      "123",
      '"str"',
      JSON.stringify({ metadata: { name: 5, labels: "x" }, spec: [] }),
      JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "x" }, spec: { containers: "nope" } }),
      JSON.stringify([{ op: "remove", path: "/nope/deeper" }]),
      JSON.stringify({ metadata: { name: "x" }, spec: { replicas: -1, selector: null, template: { spec: { containers: [null] } } } }),
      JSON.stringify({ spec: { replicas: "many" } }),
      "---\n- a\n---\nb: c\n",
      JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "p" }, data: { a: { b: 1 } } }),
    ];
    let n = 0;
    for (const path of paths)
      for (const method of methods)
        for (const body of bodies()) {
          const type = types[n++ % types.length] as string;
          const q = ["", "?watch=1&resourceVersion=abc", "?labelSelector=%%%", "?fieldSelector=a", "?limit=-1", "?continue=zzz"][n % 6];
          const r = await http(cluster, method, path + q, method === "GET" ? undefined : body, { "Content-Type": type }).catch((e: unknown) => {
            throw new Error(`${method} ${path}${q} ${type}: ${String(e)}`);
          });
          expect(r.status).toBeGreaterThanOrEqual(200);
          expect(r.status).toBeLessThan(500);
        }
    expect((await http(cluster, "GET", "/readyz")).status).toBe(200);
    expect((await http(cluster, "GET", "/api/v1/namespaces")).status).toBe(200);
  });
});
