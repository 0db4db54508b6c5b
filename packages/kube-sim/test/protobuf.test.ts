// Protobuf request bodies (application/vnd.kubernetes.protobuf), built byte by byte here so the
// test does not share the simulator's .proto files: the "k8s\0" magic, then a runtime.Unknown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { http } from "./helpers.js";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ name: "protobuf" });
});
afterAll(async () => {
  await cluster?.stop();
});

/** A length-delimited field (wire type 2); lengths here stay below 128 (one-byte varint). */
const field = (n: number, value: Buffer | string) => {
  const v = typeof value === "string" ? Buffer.from(value) : value;
  if (v.length > 127) throw new Error("keep test messages short");
  return Buffer.concat([Buffer.from([(n << 3) | 2, v.length]), v]);
};
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from("k8s\0"), field(1, Buffer.concat([field(1, apiVersion), field(2, kind)])), field(2, raw)]);
const PB = { "Content-Type": "application/vnd.kubernetes.protobuf", Accept: "application/vnd.kubernetes.protobuf,application/json" };

describe("protobuf bodies", () => {
  it("creates a namespace and a quota sent as protobuf and answers in JSON", async () => {
    // Namespace{metadata: ObjectMeta{name: "pb", labels: {team: "a"}}}
    const meta = Buffer.concat([field(1, "pb"), field(11, Buffer.concat([field(1, "team"), field(2, "a")]))]);
    const ns = await http(cluster, "POST", "/api/v1/namespaces", envelope("v1", "Namespace", field(1, meta)), PB);
    expect(ns.status).toBe(201);
    expect(String(ns.headers["content-type"])).toBe("application/json");
    expect(ns.json()).toMatchObject({ kind: "Namespace", metadata: { name: "pb", labels: { team: "a" } } });

    // ResourceQuota{metadata{name: "q"}, spec: {hard: {pods: Quantity{string: "5"}}}}
    const hard = field(1, Buffer.concat([field(1, "pods"), field(2, field(1, "5"))]));
    const q = await http(cluster, "POST", "/api/v1/namespaces/pb/resourcequotas", envelope("v1", "ResourceQuota", Buffer.concat([field(1, field(1, "q")), field(2, hard)])), PB);
    expect(q.status).toBe(201);
    expect(q.json()).toMatchObject({ kind: "ResourceQuota", metadata: { name: "q", namespace: "pb" }, spec: { hard: { pods: "5" } } });
  });

  it("refuses kinds it has no protobuf messages for with 415, and bodies without the magic with 400", async () => {
    const r = await http(cluster, "POST", "/apis/apps/v1/namespaces/default/replicasets", envelope("apps/v1", "ReplicaSet", field(1, field(1, "rs"))), PB);
    expect(r.status).toBe(415);
    expect(r.json().reason).toBe("UnsupportedMediaType");
    const bad = await http(cluster, "POST", "/api/v1/namespaces", Buffer.from('{"kind":"Namespace"}'), PB);
    expect(bad.status).toBe(400);
  });

  it("refuses a field its messages do not carry rather than dropping it", async () => {
    // ObjectMeta field 16 is not in the simulator's subset.
    const r = await http(cluster, "POST", "/api/v1/namespaces", envelope("v1", "Namespace", field(1, Buffer.concat([field(1, "pb2"), field(16, "x")]))), PB);
    expect(r.status).toBe(415);
    expect(r.json().message).toContain("field 16 of Namespace.metadata");
    expect((await http(cluster, "GET", "/api/v1/namespaces/pb2")).status).toBe(404);
  });
});
