// Protobuf request bodies (application/vnd.kubernetes.protobuf), built byte by byte here so the
// test does not share the simulator's .proto files: the "k8s\0" magic, then a runtime.Unknown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";
import { decodeProtobuf } from "../src/protobuf.js";
import { http, waitFor } from "./helpers.js";

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
const ACCEPT_PB = { Accept: "application/vnd.kubernetes.protobuf,application/json" };

/** The fields of one message, read byte by byte: field number -> its length-delimited values. */
function fields(bytes: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  let i = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (i < bytes.length) {
    const tag = varint();
    if ((tag & 7) === 0) varint();
    else if ((tag & 7) === 2) {
      const len = varint();
      out.set(tag >>> 3, [...(out.get(tag >>> 3) ?? []), bytes.subarray(i, i + len)]);
      i += len;
    } else throw new Error(`unexpected wire type ${tag & 7}`);
  }
  return out;
}
const text = (m: Map<number, Buffer[]>, n: number) => m.get(n)?.[0]?.toString("utf8");
/** The envelope of a protobuf answer: its apiVersion, kind and the object's message. */
function unwrap(body: Buffer) {
  expect(body.subarray(0, 4).toString("latin1")).toBe("k8s\0");
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(unknown.get(1)![0]!);
  return { apiVersion: text(typeMeta, 1), kind: text(typeMeta, 2), raw: fields(unknown.get(2)?.[0] ?? Buffer.alloc(0)) };
}

/** What Go makes of JSON: null, zero, "" , false, {} and [] are all "not set". */
function goZeroless(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goZeroless);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const y = goZeroless(x);
    if (y === null || y === 0 || y === "" || y === false || (typeof y === "object" && Object.keys(y as object).length === 0)) continue;
    out[k] = y;
  }
  return out;
}

describe("protobuf bodies", () => {
  it("creates a namespace and a quota sent as protobuf and answers in protobuf", async () => {
    // Namespace{metadata: ObjectMeta{name: "pb", labels: {team: "a"}}}
    const meta = Buffer.concat([field(1, "pb"), field(11, Buffer.concat([field(1, "team"), field(2, "a")]))]);
    const ns = await http(cluster, "POST", "/api/v1/namespaces", envelope("v1", "Namespace", field(1, meta)), PB);
    expect(ns.status).toBe(201);
    expect(String(ns.headers["content-type"])).toBe("application/vnd.kubernetes.protobuf");
    const created = unwrap(ns.raw);
    expect([created.apiVersion, created.kind]).toEqual(["v1", "Namespace"]);
    expect(text(fields(created.raw.get(1)![0]!), 1)).toBe("pb"); // metadata.name
    expect(decodeProtobuf(ns.raw)).toMatchObject({ kind: "Namespace", metadata: { name: "pb", labels: { team: "a" } }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } });

    // ResourceQuota{metadata{name: "q"}, spec: {hard: {pods: Quantity{string: "5"}}}}
    const hard = field(1, Buffer.concat([field(1, "pods"), field(2, field(1, "5"))]));
    const q = await http(cluster, "POST", "/api/v1/namespaces/pb/resourcequotas", envelope("v1", "ResourceQuota", Buffer.concat([field(1, field(1, "q")), field(2, hard)])), PB);
    expect(q.status).toBe(201);
    expect(decodeProtobuf(q.raw)).toMatchObject({ kind: "ResourceQuota", metadata: { name: "q", namespace: "pb" }, spec: { hard: { pods: "5" } } });
  });

  it("refuses kinds it has no protobuf messages for with 415, and bodies without the magic with 400", async () => {
    const r = await http(cluster, "POST", "/apis/apps/v1/namespaces/default/replicasets", envelope("apps/v1", "ReplicaSet", field(1, field(1, "rs"))), PB);
    expect(r.status).toBe(415);
    expect(decodeProtobuf(r.raw)).toMatchObject({ kind: "Status", reason: "UnsupportedMediaType", code: 415 });
    const bad = await http(cluster, "POST", "/api/v1/namespaces", Buffer.from('{"kind":"Namespace"}'), PB);
    expect(bad.status).toBe(400);
  });

  it("refuses a field its messages do not carry rather than dropping it", async () => {
    // ObjectMeta field 16 is not in the simulator's subset.
    const r = await http(cluster, "POST", "/api/v1/namespaces", envelope("v1", "Namespace", field(1, Buffer.concat([field(1, "pb2"), field(16, "x")]))), PB);
    expect(r.status).toBe(415);
    expect(decodeProtobuf(r.raw).message).toContain("field 16 of Namespace.metadata");
    expect((await http(cluster, "GET", "/api/v1/namespaces/pb2")).status).toBe(404);
  });
});

describe("protobuf answers", () => {
  const deployment = (name: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "default", labels: { app: name }, annotations: { "wharf.io/generation": "3" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: "web",
                image: "nginx:1.25",
                ports: [{ name: "http", containerPort: 8080 }],
                env: [{ name: "LOG_LEVEL", value: "info" }],
                resources: { requests: { cpu: "100m", memory: "128Mi" } },
                readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
                livenessProbe: { tcpSocket: { port: "http" }, periodSeconds: 5 },
              },
            ],
            ...extra,
          },
        },
      },
    });
  const apply = (name: string, extra?: Record<string, unknown>) =>
    http(cluster, "PATCH", `/apis/apps/v1/namespaces/default/deployments/${name}?fieldManager=wharf`, deployment(name, extra), { "Content-Type": "application/apply-patch+yaml" });

  it("round-trips a Deployment with probes, status conditions and managed fields", async () => {
    expect((await apply("rt")).status).toBe(201);
    const path = "/apis/apps/v1/namespaces/default/deployments/rt";
    await waitFor(async () => ((await http(cluster, "GET", path)).json().status as { readyReplicas?: number } | undefined)?.readyReplicas === 2, "rt to be ready");
    const json = (await http(cluster, "GET", path)).json();
    const pb = await http(cluster, "GET", path, undefined, ACCEPT_PB);
    expect(String(pb.headers["content-type"])).toBe("application/vnd.kubernetes.protobuf");
    const decoded = decodeProtobuf(pb.raw);
    expect(goZeroless(decoded)).toEqual(goZeroless(json));
    expect(decoded).toMatchObject({ spec: { template: { spec: { containers: [{ readinessProbe: { httpGet: { port: 8080 } }, livenessProbe: { tcpSocket: { port: "http" } } }] } } } });
    expect((decoded.status as { conditions: unknown[] }).conditions).toHaveLength(2);

    // A pointer field's zero is written, not dropped: replicas 0 is not "unset".
    await http(cluster, "PATCH", `${path}/scale`, JSON.stringify({ spec: { replicas: 0 } }), { "Content-Type": "application/merge-patch+json" });
    const scaled = decodeProtobuf((await http(cluster, "GET", path, undefined, ACCEPT_PB)).raw);
    expect((scaled.spec as { replicas: number }).replicas).toBe(0);
  });

  it("encodes lists, and a Status for errors and successful deletes", async () => {
    await http(cluster, "POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ metadata: { name: "listed" }, data: { a: "1" } }));
    const list = await http(cluster, "GET", "/api/v1/namespaces/default/configmaps", undefined, ACCEPT_PB);
    expect(unwrap(list.raw).kind).toBe("ConfigMapList");
    const decoded = decodeProtobuf(list.raw) as { metadata: { resourceVersion: string }; items: Array<{ metadata: { name: string }; data?: Record<string, string> }> };
    expect(decoded.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(decoded.items.find((i) => i.metadata.name === "listed")?.data).toEqual({ a: "1" });

    // Secret data is bytes in protobuf and base64 in JSON.
    const data = { token: Buffer.from("s3cr\u00e9t\n").toString("base64") };
    await http(cluster, "POST", "/api/v1/namespaces/default/secrets", JSON.stringify({ metadata: { name: "pb-secret" }, data }));
    expect(decodeProtobuf((await http(cluster, "GET", "/api/v1/namespaces/default/secrets/pb-secret", undefined, ACCEPT_PB)).raw)).toMatchObject({ kind: "Secret", type: "Opaque", data });

    const missing = await http(cluster, "GET", "/api/v1/namespaces/default/configmaps/nope", undefined, ACCEPT_PB);
    expect(missing.status).toBe(404);
    expect(String(missing.headers["content-type"])).toBe("application/vnd.kubernetes.protobuf");
    expect(decodeProtobuf(missing.raw)).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", code: 404, message: 'configmaps "nope" not found', details: { name: "nope", kind: "configmaps" } });

    const deleted = await http(cluster, "DELETE", "/api/v1/namespaces/default/configmaps/listed", undefined, ACCEPT_PB);
    expect(decodeProtobuf(deleted.raw)).toMatchObject({ kind: "Status", status: "Success", details: { name: "listed", kind: "configmaps" } });
  });

  it("answers JSON for kinds without messages, and for objects with fields outside them", async () => {
    const rs = await http(cluster, "GET", "/apis/apps/v1/namespaces/default/replicasets", undefined, ACCEPT_PB);
    expect(rs.status).toBe(200);
    expect(String(rs.headers["content-type"])).toBe("application/json");
    // Only protobuf acceptable: 406, as a real server answers for a custom resource.
    const only = await http(cluster, "GET", "/apis/apps/v1/namespaces/default/replicasets", undefined, { Accept: "application/vnd.kubernetes.protobuf" });
    expect(only.status).toBe(406);
    expect(decodeProtobuf(only.raw)).toMatchObject({ kind: "Status", reason: "NotAcceptable" });

    // A volume is outside the simulator's PodSpec subset: protobuf would drop it, so JSON.
    expect((await apply("vol", { volumes: [{ name: "tmp", emptyDir: {} }] })).status).toBe(201);
    const vol = await http(cluster, "GET", "/apis/apps/v1/namespaces/default/deployments/vol", undefined, ACCEPT_PB);
    expect(String(vol.headers["content-type"])).toBe("application/json");
    expect(vol.json()).toMatchObject({ spec: { template: { spec: { volumes: [{ name: "tmp", emptyDir: {} }] } } } });
  });

  it("follows the Accept header's preference", async () => {
    const path = "/api/v1/namespaces/default";
    const type = async (accept: string) => String((await http(cluster, "GET", path, undefined, { Accept: accept })).headers["content-type"]);
    expect(await type("application/json, application/vnd.kubernetes.protobuf")).toBe("application/json");
    expect(await type("application/json;q=0.5, application/vnd.kubernetes.protobuf")).toBe("application/vnd.kubernetes.protobuf");
    expect(await type("application/vnd.kubernetes.protobuf;q=0, application/json")).toBe("application/json");
    expect(await type("*/*")).toBe("application/json");
    // Tables stay JSON (kubectl asks for them as such).
    expect(await type("application/json;as=Table;v=v1;g=meta.k8s.io,application/json")).toBe("application/json");
  });

  it("records what each request asked for and got", async () => {
    await http(cluster, "GET", "/api/v1/namespaces/default", undefined, ACCEPT_PB);
    expect(cluster.requests().at(-1)).toMatchObject({ method: "GET", path: "/api/v1/namespaces/default", accept: ACCEPT_PB.Accept, status: 200, responseContentType: "application/vnd.kubernetes.protobuf" });
  });
});
