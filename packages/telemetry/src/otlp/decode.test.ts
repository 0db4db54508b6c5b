import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeRequest, ExportTraceServiceResponse } from "../../test/otlp-proto";
import { decodeTraceRequest, type DecodedTraceRequest } from "./decode";
import { OtlpDecodeError } from "./errors";
import { encodeExportTraceResponse } from "./response";

const fixtureDir = path.join(import.meta.dirname, "../../test/fixtures");
const manifest = JSON.parse(fs.readFileSync(path.join(fixtureDir, "manifest.json"), "utf8")) as {
  file: string;
  service: string;
  spans: number;
  contentType: string;
  contentEncoding: string | null;
}[];

function decodeFixture(file: string): DecodedTraceRequest {
  const entry = manifest.find((m) => m.file === file);
  if (!entry) throw new Error(`no fixture ${file}`);
  return decodeTraceRequest(fs.readFileSync(path.join(fixtureDir, file)), {
    contentType: entry.contentType,
    contentEncoding: entry.contentEncoding ?? undefined,
  });
}

function decodeError(run: () => unknown): OtlpDecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error("expected an OtlpDecodeError");
}

const PROTOBUF = { contentType: "application/x-protobuf" };

describe("decodeTraceRequest on OpenTelemetry JS SDK exports", () => {
  it("records what the exporters sent", () => {
    expect(manifest.map((m) => [m.file, m.contentType, m.contentEncoding])).toEqual([
      ["frontend.pb.bin", "application/x-protobuf", null],
      ["frontend.json", "application/json", null],
      ["checkout.pb.gz.bin", "application/x-protobuf", "gzip"],
      ["checkout.json.gz.bin", "application/json", "gzip"],
    ]);
  });

  it.each(manifest.map((m) => m.file))("decodes every span of %s", (file) => {
    const entry = manifest.find((m) => m.file === file);
    const result = decodeFixture(file);
    expect(result.totalSpans).toBe(entry?.spans);
    expect(result.rejectedSpans).toBe(0);
    expect(result.errorMessage).toBe("");
    expect(result.spans.every((s) => s.service.name === entry?.service)).toBe(true);
  });

  it("reads ids, kinds, times, status, service and attributes", () => {
    const { spans } = decodeFixture("frontend.pb.bin");
    expect(spans[1]).toEqual({
      traceId: "00000001000000000000000000000002",
      spanId: "0001000000000003",
      parentSpanId: "0001000000000001",
      name: "POST /pay",
      kind: "CLIENT",
      startTimeUnixNano: 1767225600010000000n,
      endTimeUnixNano: 1767225600090000000n,
      statusCode: "UNSET",
      service: { name: "frontend", namespace: "shop", k8sNamespace: "tenant-acme", k8sDeployment: "frontend" },
      attributes: {
        "peer.service": "checkout",
        "server.address": "checkout.tenant-acme.svc",
        "http.response.status_code": 200,
      },
    });
    expect(spans.map((s) => s.kind)).toEqual(["SERVER", "CLIENT", "INTERNAL", "SERVER", "SERVER", "CLIENT"]);
    expect(spans.map((s) => s.statusCode)).toEqual(["UNSET", "UNSET", "UNSET", "UNSET", "ERROR", "ERROR"]);
    expect(spans[4]?.endTimeUnixNano).toBe(1767225661007500000n);
    expect(spans[0]?.parentSpanId).toBeUndefined();
  });

  it("reads service.version, the revision that served, from the resource in protobuf and JSON", () => {
    const resource = { "service.name": "shop", "k8s.namespace.name": "web", "service.version": "7" };
    const fromProtobuf = decodeTraceRequest(encodeRequest([{ resource, spans: [{}] }]), { contentType: "application/x-protobuf" });
    const json = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: Object.entries(resource).map(([key, value]) => ({ key, value: { stringValue: value } })) },
          scopeSpans: [{ spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", kind: 2, startTimeUnixNano: "1", endTimeUnixNano: "2" }] }],
        },
      ],
    });
    const fromJson = decodeTraceRequest(new TextEncoder().encode(json), { contentType: "application/json" });
    expect(fromProtobuf.spans[0]?.service).toEqual({ name: "shop", k8sNamespace: "web", version: "7" });
    expect(fromJson.spans[0]?.service).toEqual({ name: "shop", k8sNamespace: "web", version: "7" });
  });

  it("gives the same spans for protobuf and JSON, gzipped or not", () => {
    expect(decodeFixture("frontend.json").spans).toEqual(decodeFixture("frontend.pb.bin").spans);
    expect(decodeFixture("checkout.json.gz.bin").spans).toEqual(decodeFixture("checkout.pb.gz.bin").spans);
  });
});

describe("partial success", () => {
  it("rejects invalid spans alone and says why", () => {
    const body = encodeRequest([
      {
        resource: { "service.name": "api" },
        spans: [
          { spanId: "0000000000000001" },
          { spanId: "0000000000000002", start: "1767225600100000000", end: "1767225600000000000" },
          { spanId: "00000000000003" },
          { traceId: "00000000000000000000000000000000", spanId: "0000000000000004" },
          { spanId: "0000000000000005", kind: 9 },
        ],
      },
      { resource: { "k8s.namespace.name": "tenant-a" }, spans: [{ spanId: "0000000000000006" }, { spanId: "0000000000000007" }] },
    ]);
    const result = decodeTraceRequest(body, PROTOBUF);
    expect(result.totalSpans).toBe(7);
    expect(result.spans.map((s) => s.spanId)).toEqual(["0000000000000001"]);
    expect(result.rejectedSpans).toBe(6);
    expect(result.errorMessage).toBe(
      "rejected 6 of 7 spans: 1 ending before they start (e.g. span 0000000000000002); " +
        "1 with a span id that is not 8 non-zero bytes (e.g. span 00000000000003); " +
        "1 with a trace id that is not 16 non-zero bytes (e.g. span 0000000000000004); " +
        "1 with unknown span kind 9 (e.g. span 0000000000000005); " +
        "2 from a resource without service.name (e.g. span 0000000000000006)",
    );
  });

  it("rejects JSON spans with bad ids or times", () => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
          scopeSpans: [
            {
              spans: [
                { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", kind: 2, startTimeUnixNano: 1767225600000000000, endTimeUnixNano: "1767225600000000001" },
                { traceId: "CvdlGRbNQ92ESOshHIAxnA==", spanId: "b7ad6b7169203332", kind: 2, startTimeUnixNano: "1", endTimeUnixNano: "2" },
                { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203333", kind: "SPAN_KIND_CLIENT", startTimeUnixNano: "1.5", endTimeUnixNano: "2" },
                { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "B7AD6B7169203334", kind: "SPAN_KIND_SERVER", startTimeUnixNano: "10", endTimeUnixNano: 20, status: { code: "STATUS_CODE_ERROR" } },
              ],
            },
          ],
        },
      ],
    });
    const result = decodeTraceRequest(new TextEncoder().encode(body), { contentType: "application/json; charset=utf-8" });
    expect(result.spans.map((s) => [s.spanId, s.kind, s.statusCode])).toEqual([
      ["b7ad6b7169203331", "SERVER", "UNSET"],
      ["b7ad6b7169203334", "SERVER", "ERROR"],
    ]);
    expect(result.spans[0]?.startTimeUnixNano).toBe(1767225600000000000n);
    expect(result.rejectedSpans).toBe(2);
    expect(result.totalSpans).toBe(4);
    expect(result.errorMessage).toContain("with traceId not in hex");
    expect(result.errorMessage).toContain("with a time that is not an unsigned integer of nanoseconds");
  });

  it("encodes the response in protobuf and JSON", () => {
    const partial = { rejectedSpans: 3, errorMessage: "rejected 3 of 7 spans: 3 ending before they start" };
    const proto = encodeExportTraceResponse(partial, "protobuf");
    expect(proto.contentType).toBe("application/x-protobuf");
    expect(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(proto.body), { longs: Number })).toEqual({
      partialSuccess: partial,
    });
    const json = encodeExportTraceResponse(partial, "json");
    expect(JSON.parse(new TextDecoder().decode(json.body))).toEqual({
      partialSuccess: { rejectedSpans: "3", errorMessage: partial.errorMessage },
    });
    expect(encodeExportTraceResponse({ rejectedSpans: 0, errorMessage: "" }, "protobuf").body).toHaveLength(0);
    expect(new TextDecoder().decode(encodeExportTraceResponse({ rejectedSpans: 0, errorMessage: "" }, "json").body)).toBe("{}");
  });
});

describe("malformed requests", () => {
  const valid = fs.readFileSync(path.join(fixtureDir, "frontend.pb.bin"));

  it("rejects garbage and truncated protobuf as a whole", () => {
    expect(decodeError(() => decodeTraceRequest(Buffer.from("not a protobuf at all"), PROTOBUF)).code).toBe("MALFORMED_PROTOBUF");
    for (const cut of [1, 7, 100, valid.length - 1]) {
      const error = decodeError(() => decodeTraceRequest(valid.subarray(0, cut), PROTOBUF));
      expect(error.httpStatus).toBe(400);
    }
    expect(decodeError(() => decodeTraceRequest(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), PROTOBUF)).message).toMatch(
      /truncated/,
    );
  });

  it("accepts an empty request", () => {
    expect(decodeTraceRequest(new Uint8Array(0), PROTOBUF).totalSpans).toBe(0);
  });

  it("rejects bad JSON with a message that points at the field", () => {
    const json = { contentType: "application/json" };
    expect(decodeError(() => decodeTraceRequest(Buffer.from("{"), json)).code).toBe("MALFORMED_JSON");
    expect(decodeError(() => decodeTraceRequest(Buffer.from("[]"), json)).code).toBe("MALFORMED_JSON");
    expect(decodeError(() => decodeTraceRequest(Buffer.from('{"resourceSpans":[{"scopeSpans":{}}]}'), json)).message).toBe(
      "OTLP/JSON field resourceSpans[0].scopeSpans must be an array",
    );
    expect(decodeError(() => decodeTraceRequest(valid, json)).httpStatus).toBe(400);
  });

  it("rejects unknown media types and encodings", () => {
    expect(decodeError(() => decodeTraceRequest(valid, { contentType: "text/plain" })).httpStatus).toBe(415);
    expect(decodeError(() => decodeTraceRequest(valid, { contentType: undefined })).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect(decodeError(() => decodeTraceRequest(valid, { ...PROTOBUF, contentEncoding: "br" })).code).toBe("UNSUPPORTED_ENCODING");
  });

  it("rejects a body that is not gzip though it says so", () => {
    expect(decodeError(() => decodeTraceRequest(valid, { ...PROTOBUF, contentEncoding: "gzip" })).code).toBe("MALFORMED_GZIP");
  });

  it("limits the body before and after decompression", () => {
    const tooLarge = decodeError(() => decodeTraceRequest(valid, { ...PROTOBUF, maxBodyBytes: 100 }));
    expect(tooLarge.code).toBe("PAYLOAD_TOO_LARGE");
    expect(tooLarge.httpStatus).toBe(413);
    expect(decodeError(() => decodeTraceRequest(valid, { ...PROTOBUF, maxDecodedBytes: 100 })).code).toBe("PAYLOAD_TOO_LARGE");
    // A zip bomb: 64 MiB of zeros gzip to ~64 KiB, far under the wire limit.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(128 * 1024);
    const error = decodeError(() => decodeTraceRequest(bomb, { ...PROTOBUF, contentEncoding: "gzip" }));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toMatch(/expands past the limit of 16777216 bytes/);
    // Gzipping 64 MiB takes a fraction of a second alone, but went past 5 s while CI ran every
    // package's unit tests at once on 2 cores.
  }, 30_000);
});
