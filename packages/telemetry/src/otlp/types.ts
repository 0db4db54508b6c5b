// The normalized span Wharf keeps from an OTLP export: only what rollups, the service
// graph and discovery use. Everything else in the request is skipped while decoding.

export const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

export const STATUS_CODES = ["UNSET", "OK", "ERROR"] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export type AttributeValue = string | number | boolean;

/** Who emitted a span, from its resource attributes. */
export interface ServiceIdentity {
  /** `service.name` */
  name: string;
  /** `service.namespace` */
  namespace?: string;
  /** `k8s.namespace.name` */
  k8sNamespace?: string;
  /** `k8s.deployment.name` */
  k8sDeployment?: string;
  /** `service.version`: the app revision that served, on workloads Wharf renders (canary analysis). */
  version?: string;
}

export interface Span {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  statusCode: StatusCode;
  service: ServiceIdentity;
  /** Only the span attributes named in the decoder's `keepAttributes`. */
  attributes: Record<string, AttributeValue>;
}

/** Span attributes kept by default: the ones rollups and the service graph read. */
export const DEFAULT_KEPT_SPAN_ATTRIBUTES: ReadonlySet<string> = new Set([
  "peer.service",
  "server.address",
  "server.port",
  "http.response.status_code",
  "http.status_code",
  "http.request.method",
  "http.route",
  "rpc.system",
  "rpc.grpc.status_code",
  "messaging.system",
  "db.system",
]);

/** Resource attributes that identify the service. */
export const SERVICE_RESOURCE_ATTRIBUTES = {
  name: "service.name",
  namespace: "service.namespace",
  k8sNamespace: "k8s.namespace.name",
  k8sDeployment: "k8s.deployment.name",
  version: "service.version",
} as const;

/**
 * The key a service is known by in rollups: `service.name`, qualified by
 * `service.namespace` or else the Kubernetes namespace, so that two tenants'
 * `checkout` services stay apart.
 */
export function serviceKey(service: ServiceIdentity): string {
  const namespace = service.namespace ?? service.k8sNamespace;
  return namespace ? `${namespace}/${service.name}` : service.name;
}
