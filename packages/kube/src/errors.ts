// ClusterError: one error type for everything that can go wrong talking to a cluster, with the
// facts a caller needs to decide (retry or not) and a message an operator can act on.

export type ClusterErrorCategory =
  | "unreachable"
  | "timeout"
  | "tls"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "gone"
  | "invalid"
  | "throttled"
  | "server"
  | "unknown";

export interface ClusterErrorInit {
  cluster: string;
  category: ClusterErrorCategory;
  message: string;
  /** HTTP status the API server answered, when it answered. */
  status?: number;
  /** Network or TLS error code (ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN, ...). */
  code?: string;
  /** Kubernetes Status `reason` (NotFound, AlreadyExists, Expired, ...). */
  reason?: string;
  /** The API server's own message, verbatim. */
  apiMessage?: string;
  retryable: boolean;
  /** From a 429/503 Retry-After header. */
  retryAfterSeconds?: number;
}

export class ClusterError extends Error {
  override readonly name = "ClusterError";
  readonly cluster: string;
  readonly category: ClusterErrorCategory;
  readonly status?: number;
  readonly code?: string;
  readonly reason?: string;
  readonly apiMessage?: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(init: ClusterErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.cluster = init.cluster;
    this.category = init.category;
    this.status = init.status;
    this.code = init.code;
    this.reason = init.reason;
    this.apiMessage = init.apiMessage;
    this.retryable = init.retryable;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

const UNTRUSTED_CERT_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  ESOCKETTIMEDOUT: "connection timed out",
  ECONNABORTED: "connection aborted",
  EPIPE: "connection closed while sending",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EHOSTDOWN: "host down",
  ENOTFOUND: "host name does not resolve",
  EAI_AGAIN: "host name lookup failed temporarily",
  UND_ERR_SOCKET: "connection closed",
};

function tlsMessage(code: string): string | undefined {
  if (UNTRUSTED_CERT_CODES.has(code)) return "The cluster's certificate is not signed by the CA in this kubeconfig";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "The cluster's certificate is not valid for this server address (set tls-server-name or use the name on the certificate)";
  if (code === "CERT_HAS_EXPIRED") return "The cluster's certificate has expired";
  if (code === "CERT_NOT_YET_VALID") return "The cluster's certificate is not valid yet (check the clocks)";
  if (code === "EPROTO" || code.startsWith("ERR_SSL_")) return "The server did not complete a TLS handshake (is it plain http, or not a Kubernetes API server?)";
  return undefined;
}

interface KubeStatusBody {
  kind?: unknown;
  message?: unknown;
  reason?: unknown;
  code?: unknown;
}

function parseStatusBody(body: unknown): { reason?: string; message?: string } {
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      const text = body.trim();
      return text ? { message: text.slice(0, 500) } : {};
    }
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const s = parsed as KubeStatusBody;
  return {
    reason: typeof s.reason === "string" && s.reason ? s.reason : undefined,
    message: typeof s.message === "string" && s.message ? s.message : undefined,
  };
}

function retryAfter(headers: Record<string, unknown> | undefined): number | undefined {
  if (!headers) return undefined;
  const raw = headers["retry-after"] ?? headers["Retry-After"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function categoryOfStatus(status: number): ClusterErrorCategory {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  if (status === 410) return "gone";
  if (status === 429) return "throttled";
  if (status === 408 || status === 504) return "timeout";
  if (status >= 500) return "server";
  if (status >= 400) return "invalid";
  return "unknown";
}

/** An HTTP answer from the API server that is not a success. */
export function clusterErrorFromResponse(cluster: string, status: number, body: unknown, headers?: Record<string, unknown>): ClusterError {
  const { reason, message: apiMessage } = parseStatusBody(body);
  const category = categoryOfStatus(status);
  const retryable = status >= 500 || status === 429 || status === 408;
  const retryAfterSeconds = retryAfter(headers);
  const head = `Cluster "${cluster}" answered ${status}${reason ? ` ${reason}` : ""}`;
  let message: string;
  if (status === 401) {
    message = `Cluster "${cluster}" rejected the credentials (401 Unauthorized): check the token or client certificate in the kubeconfig`;
  } else if (status === 403) {
    message = `${head}: the credentials are valid but not allowed to do this${apiMessage ? ` (${apiMessage})` : ""}`;
  } else if (status === 429) {
    message = `${head}: the API server is throttling requests${retryAfterSeconds !== undefined ? `; retry after ${retryAfterSeconds}s` : ""}`;
  } else {
    message = `${head}: ${apiMessage ?? "no message"}`;
  }
  return new ClusterError({ cluster, category, message, status, reason, apiMessage, retryable, retryAfterSeconds });
}

/** The request ran out of time (no answer, or the answer did not finish). */
export function clusterTimeoutError(cluster: string, server: string | undefined, timeoutMs: number): ClusterError {
  return new ClusterError({
    cluster,
    category: "timeout",
    code: "ETIMEDOUT",
    retryable: true,
    message: `Cluster "${cluster}"${server ? ` at ${server}` : ""} did not answer within ${formatMs(timeoutMs)}`,
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function errorCode(err: object): string | undefined {
  const e = err as { code?: unknown; errno?: unknown; cause?: unknown };
  if (typeof e.code === "string" && e.code) return e.code;
  // node-fetch FetchError keeps the system code in `errno` (and in `code` since 2.6).
  if (typeof e.errno === "string" && e.errno) return e.errno;
  if (e.cause && typeof e.cause === "object") return errorCode(e.cause);
  return undefined;
}

function numericStatus(err: object): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.statusCode === "number") return e.statusCode;
  if (typeof e.code === "number") return e.code;
  return undefined;
}

/**
 * Turns anything thrown while talking to a cluster (client-node's ApiException, watch errors
 * with `statusCode`, node-fetch FetchError, Node socket/TLS errors, aborts) into a ClusterError.
 */
export function toClusterError(err: unknown, cluster: string, server?: string): ClusterError {
  if (err instanceof ClusterError) return err;
  if (typeof err !== "object" || err === null) {
    return new ClusterError({ cluster, category: "unknown", retryable: false, message: `Cluster "${cluster}": ${String(err)}` });
  }
  const status = numericStatus(err);
  if (status !== undefined && status >= 400) {
    const e = err as { body?: unknown; headers?: Record<string, unknown>; message?: unknown };
    return new ClusterError(
      { ...fieldsOf(clusterErrorFromResponse(cluster, status, e.body ?? (status === 410 ? { reason: "Expired" } : undefined), e.headers)) },
      { cause: err },
    );
  }
  const code = errorCode(err);
  const at = server ? ` at ${server}` : "";
  if (code) {
    const tls = tlsMessage(code);
    if (tls) return new ClusterError({ cluster, category: "tls", code, retryable: false, message: `Cluster "${cluster}"${at}: ${tls} (${code})` }, { cause: err });
    const network = NETWORK_CODES[code];
    if (network) {
      const category = code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT" ? "timeout" : "unreachable";
      return new ClusterError({ cluster, category, code, retryable: true, message: `Cluster "${cluster}" is unreachable${at}: ${network} (${code})` }, { cause: err });
    }
  }
  const name = (err as { name?: unknown }).name;
  if (name === "AbortError" || name === "TimeoutError") {
    return new ClusterError({ cluster, category: "timeout", code: code ?? "ABORTED", retryable: true, message: `Cluster "${cluster}"${at}: the request was aborted before it finished` }, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ClusterError({ cluster, category: "unknown", code, retryable: false, message: `Cluster "${cluster}"${at}: ${message}` }, { cause: err });
}

function fieldsOf(e: ClusterError): ClusterErrorInit {
  return {
    cluster: e.cluster,
    category: e.category,
    message: e.message,
    status: e.status,
    code: e.code,
    reason: e.reason,
    apiMessage: e.apiMessage,
    retryable: e.retryable,
    retryAfterSeconds: e.retryAfterSeconds,
  };
}

export function isClusterError(err: unknown): err is ClusterError {
  return err instanceof ClusterError;
}
