// HTTP to one API server, authenticated and TLS-configured by client-node's KubeConfig
// (tokens, client certificates, CA, tls-server-name, proxies all come from
// `applyToHTTPSOptions`). We send and receive raw JSON rather than going through client-node's
// typed serializer: in 1.3 and still in 2.0 it re-serializes request bodies, apply patches
// included, through the generated models, which drops fields they do not know (1.3 also throws
// on timestamps given as strings), and it turns timestamps in responses into Date objects
// (README: "client-node version"). Every request has a deadline.
import { type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import { type KubeConfig } from "@kubernetes/client-node";
import { ClusterError, clusterErrorFromResponse, clusterTimeoutError, toClusterError } from "./errors";

export type QueryValue = string | number | boolean | undefined;

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, QueryValue>;
  body?: string;
  contentType?: string;
  accept?: string;
  /** Overrides the transport's default deadline for the whole request. */
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class ApiTransport {
  readonly server: string;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly cluster: string,
    private readonly defaultTimeoutMs: number,
  ) {
    const current = kubeConfig.getCurrentCluster();
    if (!current) throw new ClusterError({ cluster, category: "unknown", retryable: false, message: `Cluster "${cluster}": the kubeconfig has no current cluster` });
    this.server = current.server;
  }

  url(path: string, query: Record<string, QueryValue> = {}): URL {
    // Concatenate, as client-node does: the server URL may carry a path prefix (API proxies).
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** Sends a request and reads the whole answer; non-2xx answers become ClusterErrors. */
  async send(req: ApiRequest): Promise<ApiResponse> {
    const timeoutMs = req.timeoutMs ?? this.defaultTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await this.open(req, controller.signal);
      const body = await readBody(res);
      const response = { status: res.statusCode ?? 0, headers: res.headers, body };
      if (response.status < 200 || response.status > 299) throw clusterErrorFromResponse(this.cluster, response.status, body, res.headers);
      return response;
    } catch (e) {
      if (controller.signal.aborted && !(e instanceof ClusterError)) throw clusterTimeoutError(this.cluster, this.server, timeoutMs);
      throw toClusterError(e, this.cluster, this.server);
    } finally {
      clearTimeout(timer);
    }
  }

  async json<T>(req: ApiRequest): Promise<T> {
    const res = await this.send({ accept: "application/json", ...req });
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new ClusterError({ cluster: this.cluster, category: "server", retryable: false, status: res.status, message: `Cluster "${this.cluster}" answered ${req.method} ${req.path} with something that is not JSON` });
    }
  }

  /**
   * Opens a streaming request (logs -f). `connectTimeoutMs` bounds the wait for the response
   * head; the body then flows until the server ends it or `signal` aborts it.
   */
  async stream(req: ApiRequest, signal: AbortSignal, connectTimeoutMs = this.defaultTimeoutMs): Promise<IncomingMessage> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, connectTimeoutMs);
    try {
      const res = await this.open(req, controller.signal);
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
        const body = await readBody(res);
        throw clusterErrorFromResponse(this.cluster, res.statusCode ?? 0, body, res.headers);
      }
      res.once("close", () => signal.removeEventListener("abort", onAbort));
      return res;
    } catch (e) {
      signal.removeEventListener("abort", onAbort);
      if (timedOut && !(e instanceof ClusterError)) throw clusterTimeoutError(this.cluster, this.server, connectTimeoutMs);
      throw toClusterError(e, this.cluster, this.server);
    } finally {
      clearTimeout(timer);
    }
  }

  private async open(req: ApiRequest, signal: AbortSignal): Promise<IncomingMessage> {
    const url = this.url(req.path, req.query);
    const headers: Record<string, string> = { Accept: req.accept ?? "application/json" };
    if (req.body !== undefined) {
      headers["Content-Type"] = req.contentType ?? "application/json";
      headers["Content-Length"] = String(Buffer.byteLength(req.body));
    }
    const options: RequestOptions = { method: req.method, headers };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const send = url.protocol === "http:" ? httpRequest : httpsRequest;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const r = send(url, { ...options, signal }, resolve);
      r.on("error", reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
    res.on("aborted", () => reject(Object.assign(new Error("response aborted"), { code: "ECONNRESET" })));
  });
}
