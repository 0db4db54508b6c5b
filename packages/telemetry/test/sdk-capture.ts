// Captures what the official OpenTelemetry JS SDK and its OTLP/HTTP exporters put on the
// wire: a throwaway HTTP server on 127.0.0.1 records every request the exporter sends.
// Used by make-fixtures.ts (fixtures for the decode tests) and by bench/telemetry.
import http from "node:http";
import { type AddressInfo } from "node:net";
import { context, trace, type Context, type HrTime, type SpanKind, type Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from "@opentelemetry/sdk-trace-base";

export { SpanKind } from "@opentelemetry/api";

export interface CapturedRequest {
  method: string;
  url: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  body: Buffer;
}

export type WireFormat = "protobuf" | "json";

export interface SpanPlan {
  name: string;
  kind: SpanKind;
  /** Milliseconds since the epoch, may be fractional. */
  startMs: number;
  durationMs: number;
  attributes?: Attributes;
  error?: boolean;
  /** Index of the parent in the same plan, or a remote parent's ids. */
  parent?: number | { traceId: string; spanId: string };
}

/** Deterministic ids so fixtures and tests can name spans. */
export class CountingIdGenerator implements IdGenerator {
  private n = 0;
  constructor(private readonly prefix: number) {}
  generateTraceId(): string {
    return this.prefix.toString(16).padStart(8, "0") + (++this.n).toString(16).padStart(24, "0");
  }
  generateSpanId(): string {
    return this.prefix.toString(16).padStart(4, "0") + (++this.n).toString(16).padStart(12, "0");
  }
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

async function withRecordingServer<T>(
  run: (url: string) => Promise<T>,
): Promise<{ result: T; requests: CapturedRequest[] }> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const contentType = req.headers["content-type"];
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        contentType,
        contentEncoding: req.headers["content-encoding"],
        body: Buffer.concat(chunks),
      });
      const json = contentType?.startsWith("application/json") ?? false;
      res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
      res.end(json ? "{}" : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const result = await run(`http://127.0.0.1:${port}/v1/traces`);
    return { result, requests };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Records the spans of `plan` with a real tracer provider of one service (resource
 * attributes `resource`) and returns the HTTP requests its OTLP exporter sent.
 */
export async function captureSdkExport(options: {
  format: WireFormat;
  gzip?: boolean;
  resource: Attributes;
  plan: readonly SpanPlan[];
  idPrefix?: number;
  maxExportBatchSize?: number;
}): Promise<CapturedRequest[]> {
  const { requests } = await withRecordingServer(async (url) => {
    const config = {
      url,
      compression: options.gzip ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    };
    const exporter = options.format === "protobuf" ? new ProtoExporter(config) : new JsonExporter(config);
    const batchSize = options.maxExportBatchSize ?? 512;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes(options.resource),
      idGenerator: new CountingIdGenerator(options.idPrefix ?? 1),
      spanProcessors: [
        new BatchSpanProcessor(exporter, {
          maxExportBatchSize: batchSize,
          maxQueueSize: Math.max(2048, options.plan.length),
          scheduledDelayMillis: 60_000,
        }),
      ],
    });
    const tracer = provider.getTracer("wharf-fixtures", "1.0.0");
    const contexts: Context[] = [];
    for (const step of options.plan) {
      let parentContext: Context = context.active();
      if (typeof step.parent === "number") {
        const parentCtx = contexts[step.parent];
        if (!parentCtx) throw new Error(`plan parent ${step.parent} comes after its child`);
        parentContext = parentCtx;
      } else if (step.parent) {
        parentContext = trace.setSpanContext(context.active(), {
          traceId: step.parent.traceId,
          spanId: step.parent.spanId,
          traceFlags: 1,
          isRemote: true,
        });
      }
      const span = tracer.startSpan(
        step.name,
        { kind: step.kind, startTime: hrTime(step.startMs), attributes: step.attributes },
        parentContext,
      );
      if (step.error) span.setStatus({ code: 2, message: "failed" });
      span.end(hrTime(step.startMs + step.durationMs));
      contexts.push(trace.setSpan(context.active(), span));
    }
    await provider.forceFlush();
    await provider.shutdown();
  });
  return requests;
}
