import { decodeTraceRequest, type OtlpFormat } from "@wharf/telemetry";
import { env } from "../env";
import { onShutdown } from "../health/shutdown";
import { RollupWriter } from "./rollup-writer";
import { addSpanRollups } from "./span-rollups";

export interface IngestTracesRequest {
  body: Uint8Array;
  contentType: string | undefined;
  contentEncoding: string | undefined;
}

export interface IngestTracesResult {
  format: OtlpFormat;
  acceptedSpans: number;
  /** OTLP partial success. */
  rejectedSpans: number;
  errorMessage: string;
}

/** Body limits for OTLP requests, as configured. */
export function otlpLimits(): { maxBodyBytes: number; maxDecodedBytes: number } {
  return { maxBodyBytes: env.WHARF_OTLP_MAX_BODY_BYTES, maxDecodedBytes: env.WHARF_OTLP_MAX_DECODED_BYTES };
}

let processWriter: RollupWriter | undefined;

/** This process's rollup writer, started on first use and flushed when the process is told to stop. */
export function telemetryWriter(): RollupWriter {
  if (!processWriter) {
    processWriter = new RollupWriter({
      flushIntervalMs: env.WHARF_TELEMETRY_FLUSH_INTERVAL_MS,
      maxPendingSpans: env.WHARF_TELEMETRY_MAX_PENDING_SPANS,
      flushAtSpans: Math.max(1, Math.floor(env.WHARF_TELEMETRY_MAX_PENDING_SPANS / 10)),
    });
    const writer = processWriter;
    writer.start();
    // What is pending is written when the process stops (health/shutdown.ts).
    onShutdown("telemetry rollups", () => writer.stop());
  }
  return processWriter;
}

/**
 * Ingests one OTLP/HTTP export for the organisation that owns the API key: decodes it
 * (throws OtlpDecodeError, and stores nothing, when the request as a whole is unusable),
 * rolls its spans up and hands them to the batch writer. Spans are mapped to services by
 * name and namespace inside `orgId` only, whatever they claim.
 */
export function ingestTraces(orgId: string, request: IngestTracesRequest, writer: RollupWriter = telemetryWriter()): IngestTracesResult {
  writer.admit();
  const decoded = decodeTraceRequest(request.body, {
    contentType: request.contentType,
    contentEncoding: request.contentEncoding,
    ...otlpLimits(),
  });
  if (decoded.spans.length > 0) writer.add(orgId, addSpanRollups(decoded.spans));
  return {
    format: decoded.format,
    acceptedSpans: decoded.spans.length,
    rejectedSpans: decoded.rejectedSpans,
    errorMessage: decoded.errorMessage,
  };
}
