// HTTP router: authentication, fault injection, discovery, CRUD, list/watch, patch, logs,
// table output and the admin endpoint. Everything that goes wrong becomes a Status.
import { type IncomingMessage, type ServerResponse } from "node:http";
import { parseAllDocuments } from "yaml";
import { type Api } from "./api.js";
import { ApiError, badRequest, notFound } from "./errors.js";
import { type FaultState } from "./faults.js";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, VERSION } from "./discovery.js";
import { type LogService } from "./logs.js";
import { openapiV2Protobuf, openapiV3 } from "./openapi.js";
import { PATCH_TYPES } from "./patch.js";
import { acceptsJson, decodeProtobuf, encodeProtobuf, preferredFormat, PROTOBUF } from "./protobuf.js";
import { apiVersionOf, findResource, R, type ResourceType } from "./resources.js";
import { fieldSelectorFromString, labelSelectorFromString } from "./selectors.js";
import { type EventType, type Store, type StoreEvent } from "./store.js";
import { toTable, wantsTable } from "./table.js";
import { isObject, type JsonObject, type KubeObject, type Pod } from "./types.js";

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
export const ADMIN_PREFIX = "/kube-sim/v1/faults";

export interface ServerContext {
  api: Api;
  store: Store;
  faults: FaultState;
  logs: LogService;
  token: string;
  bookmarkIntervalMs: number;
  serverAddress: () => string;
  /** The kinds this cluster serves: every built-in one, and its optional APIs' (see servedResources). */
  served: readonly ResourceType[];
  /** Open HTTP streams (watches, log follows) so stop() can end them. */
  streams: Set<ServerResponse>;
  /** The latest requests, for tests that assert what a client asked for and got. */
  requests: RequestRecord[];
}

/** One request as the server saw it: what the client sent and asked for, and what it got. */
export interface RequestRecord {
  method: string;
  path: string;
  userAgent: string;
  contentType: string;
  accept: string;
  status: number;
  responseContentType: string;
}

const MAX_REQUEST_RECORDS = 1000;

// Serialised JSON per stored object: lists and watch fan-out reuse it.
const jsonCache = new WeakMap<object, string>();
export function toJson(o: object): string {
  let s = jsonCache.get(o);
  if (s === undefined) {
    s = JSON.stringify(o);
    jsonCache.set(o, s);
  }
  return s;
}

/** Writes the status line and headers through setHeader, so the request log can read them back. */
export function writeHead(res: ServerResponse, code: number, headers: Record<string, string | number>) {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(code);
}

/** A JSON answer (discovery, version, tables, the admin endpoint: what a server sends as JSON only). */
function send(res: ServerResponse, code: number, body: unknown) {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  writeHead(res, code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-cache, private" });
  res.end(text);
}

/**
 * An object, a list or a Status: protobuf when the client prefers it and the simulator carries the
 * kind's messages, otherwise JSON (`json` gives its cached serialisation). A client that takes
 * protobuf only gets 406 for other kinds, as a real server answers for custom resources.
 */
function sendObject(res: ServerResponse, code: number, body: object, json?: () => string) {
  if (res.headersSent) {
    res.end();
    return;
  }
  const accept = res.req.headers.accept;
  if (preferredFormat(accept) === "protobuf") {
    const encoded = encodeProtobuf(body as JsonObject);
    if (encoded) {
      writeHead(res, code, { "Content-Type": PROTOBUF, "Content-Length": encoded.length, "Cache-Control": "no-cache, private" });
      res.end(encoded);
      return;
    }
    if (!acceptsJson(accept) && code < 400) throw new ApiError(406, `only the following media types are accepted: application/json, application/yaml, ${PROTOBUF}`, "NotAcceptable");
  }
  send(res, code, json ? json() : body);
}

function sendError(res: ServerResponse, err: unknown) {
  const e = err instanceof ApiError ? err : new ApiError(500, `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`, "InternalError");
  if (e.code === 429 && !res.headersSent) res.setHeader("Retry-After", "1");
  sendObject(res, e.code, e.toStatus());
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new ApiError(413, "Request entity too large: limit is 3145728", "RequestEntityTooLarge"));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES && !failed) {
        failed = true;
        reject(new ApiError(413, "Request entity too large: limit is 3145728", "RequestEntityTooLarge"));
      }
      if (!failed) chunks.push(c);
    });
    req.on("end", () => !failed && resolve(Buffer.concat(chunks)));
    req.on("error", (e) => !failed && reject(e));
  });
}

/** Parses a JSON, YAML or Kubernetes protobuf body, as the content type says. */
function parseBody(buf: Buffer, contentType: string): unknown {
  // kubectl >= 1.33 sends built-in kinds as protobuf; see protobuf.ts.
  if (contentType.split(";")[0]?.trim() === PROTOBUF) return decodeProtobuf(buf);
  // CBOR bodies are refused with 415, on which client-go falls back to JSON.
  if (/protobuf|cbor/.test(contentType))
    throw new ApiError(415, `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`, "UnsupportedMediaType");
  const text = buf.toString("utf8");
  if (text.trim() === "") throw badRequest("the request body is empty");
  if (/yaml/.test(contentType)) {
    let docs;
    try {
      docs = parseAllDocuments(text);
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.length !== 1) throw badRequest("error converting YAML to JSON: expected exactly one YAML document");
    const doc = list[0];
    if (!doc || !("errors" in doc) || doc.errors.length > 0) throw badRequest(`error converting YAML to JSON: ${doc && "errors" in doc ? doc.errors[0]?.message : "invalid document"}`);
    return doc.toJS();
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}

interface Route {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const NOT_FOUND_PATH = () => new ApiError(404, "the server could not find the requested resource", "NotFound", {});

/** Maps `/api/v1/...` and `/apis/<g>/<v>/...` to a resource route. */
function route(served: readonly ResourceType[], segments: string[]): Route | { discovery: unknown } {
  let gv: string;
  let rest: string[];
  if (segments[0] === "api") {
    if (segments.length === 1) return { discovery: undefined };
    if (segments[1] !== "v1") throw NOT_FOUND_PATH();
    gv = "v1";
    rest = segments.slice(2);
  } else {
    if (segments.length === 1) return { discovery: apiGroupList(served) };
    if (segments.length === 2) {
      const g = apiGroup(served, segments[1] ?? "");
      if (!g) throw NOT_FOUND_PATH();
      return { discovery: g };
    }
    gv = `${segments[1]}/${segments[2]}`;
    rest = segments.slice(3);
  }
  if (rest.length === 0) {
    const list = apiResourceList(served, gv);
    if (!list) throw NOT_FOUND_PATH();
    return { discovery: list };
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const candidate = findResource(gv, rest[2] ?? "", served);
    if (candidate?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    } else if (gv !== "v1" || (rest[2] !== "status" && rest[2] !== "finalize")) throw NOT_FOUND_PATH();
  }
  if (rest.length > 3) throw NOT_FOUND_PATH();
  const resource = findResource(gv, rest[0] ?? "", served);
  if (!resource) throw NOT_FOUND_PATH();
  const subresource = rest[2];
  if (subresource !== undefined && !resource.subresources.includes(subresource as never)) throw NOT_FOUND_PATH();
  return { resource, namespace, name: rest[1], subresource };
}

function authorised(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization;
  return typeof h === "string" && h === `Bearer ${token}`;
}

const PUBLIC_PATHS = new Set(["/healthz", "/readyz", "/livez", "/version"]);

export function createHandler(ctx: ServerContext) {
  return (req: IncomingMessage, res: ServerResponse) => {
    record(ctx, req, res);
    handle(ctx, req, res).catch((err: unknown) => {
      try {
        sendError(res, err);
      } catch {
        res.destroy();
      }
    });
  };
}

function record(ctx: ServerContext, req: IncomingMessage, res: ServerResponse) {
  const entry: RequestRecord = {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    userAgent: req.headers["user-agent"] ?? "",
    contentType: req.headers["content-type"] ?? "",
    accept: req.headers.accept ?? "",
    status: 0,
    responseContentType: "",
  };
  // Recorded when the response ends; a watch or a log follow when it closes.
  const done = () => {
    if (entry.status !== 0) return;
    entry.status = res.statusCode;
    entry.responseContentType = String(res.getHeader("content-type") ?? "");
    ctx.requests.push(entry);
    if (ctx.requests.length > MAX_REQUEST_RECORDS) ctx.requests.splice(0, ctx.requests.length - MAX_REQUEST_RECORDS);
  };
  res.once("finish", done);
  res.once("close", done);
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "https://sim");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";

  if (!PUBLIC_PATHS.has(path) && !authorised(req, ctx.token)) {
    throw new ApiError(401, "Unauthorized", "Unauthorized");
  }
  if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(ctx, req, res, path, method);

  const fault = ctx.faults.apiFaultFor(path);
  if (fault) {
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.status) throw new ApiError(fault.status, fault.status === 429 ? "Too many requests, please try again later." : "Internal error occurred: injected fault", undefined, fault.status === 429 ? { retryAfterSeconds: 1 } : undefined);
  }

  switch (path) {
    case "/healthz":
    case "/readyz":
    case "/livez":
      writeHead(res, 200, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("ok");
      return;
    case "/version":
      return send(res, 200, VERSION);
    case "/api":
      return send(res, 200, apiVersions(ctx.serverAddress()));
  }
  if (path === "/openapi/v2") {
    const body = openapiV2Protobuf();
    writeHead(res, 200, { "Content-Type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", "Content-Length": body.length });
    res.end(body);
    return;
  }
  if (path.startsWith("/openapi/v3")) {
    const doc = openapiV3(ctx.served, path);
    if (!doc) throw NOT_FOUND_PATH();
    return send(res, 200, doc);
  }
  const segments = path.split("/").filter(Boolean);
  if (segments[0] !== "api" && segments[0] !== "apis") throw NOT_FOUND_PATH();
  const rt = route(ctx.served, segments);
  if ("discovery" in rt) {
    if (method !== "GET") throw new ApiError(405, `the server does not allow this method on the requested resource`, "MethodNotAllowed");
    return send(res, 200, rt.discovery ?? apiVersions(ctx.serverAddress()));
  }
  const q = url.searchParams;
  const dryRun = q.get("dryRun") === "All";
  const fieldManager = q.get("fieldManager") ?? managerFromUserAgent(req.headers["user-agent"]);
  const { resource: r, namespace, name, subresource } = rt;
  if (r.namespaced && name !== undefined && namespace === undefined) throw NOT_FOUND_PATH();

  if (method === "GET" && name === undefined) {
    const watch = q.get("watch");
    if (watch === "true" || watch === "1") return watchResource(ctx, req, res, r, namespace, q);
    return listResource(ctx, req, res, r, namespace, q);
  }
  if (method === "GET" && name !== undefined) {
    if (subresource === "log") return ctx.logs.serve(req, res, ctx.api.get(r, namespace, name) as Pod, q);
    const obj = ctx.api.get(r, namespace, name);
    if (subresource === "scale") return sendObject(res, 200, ctx.api.scaleOf(r, obj));
    if (wantsTable(req.headers.accept)) return send(res, 200, toTable(r, [obj], { resourceVersion: obj.metadata.resourceVersion }, q.get("includeObject") ?? undefined));
    return sendObject(res, 200, obj, () => toJson(obj));
  }
  if (method === "POST" && name === undefined) {
    const body = parseBody(await readBody(req), req.headers["content-type"] ?? "");
    if (isObject(body) && body.kind === "Status") throw badRequest("cannot create a Status");
    const created = ctx.api.create(r, namespace, body, { dryRun, fieldManager });
    return sendObject(res, 201, created);
  }
  if (method === "POST" && name !== undefined && r.kind === "Pod" && (subresource === "eviction" || subresource === "binding")) throw NOT_FOUND_PATH();
  if (method === "PUT" && name !== undefined) {
    const body = parseBody(await readBody(req), req.headers["content-type"] ?? "");
    const sub = subresource === "status" || subresource === "scale" ? subresource : undefined;
    if (subresource === "finalize") {
      const updated = finalizeNamespace(ctx, name, body);
      return sendObject(res, 200, updated);
    }
    const updated = ctx.api.update(r, namespace, name, body, { dryRun, fieldManager, subresource: sub });
    return sendObject(res, 200, updated);
  }
  if (method === "PATCH" && name !== undefined) {
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
    const known: string[] = Object.values(PATCH_TYPES);
    if (!known.includes(contentType) || contentType === PATCH_TYPES.applyCbor)
      throw new ApiError(415, `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, "UnsupportedMediaType");
    const raw = await readBody(req);
    const body = parseBody(raw, contentType === PATCH_TYPES.apply ? "yaml" : "json");
    const sub = subresource === "status" || subresource === "scale" ? subresource : undefined;
    const force = q.get("force") === "true";
    const { object, created } = ctx.api.patch(r, namespace, name, contentType, body, { dryRun, fieldManager, subresource: sub, force });
    return sendObject(res, created ? 201 : 200, object);
  }
  if (method === "DELETE" && name !== undefined) {
    const raw = await readBody(req);
    const opts = raw.length > 0 ? parseBody(raw, req.headers["content-type"] ?? "json") : {};
    const o = isObject(opts) ? opts : {};
    const policy = (q.get("propagationPolicy") ?? (typeof o.propagationPolicy === "string" ? o.propagationPolicy : undefined)) as "Orphan" | "Background" | "Foreground" | undefined;
    if (policy && !["Orphan", "Background", "Foreground"].includes(policy)) throw badRequest(`invalid propagationPolicy "${policy}"`);
    const orphan = q.get("orphanDependents") === "true" || o.orphanDependents === true;
    const pre = isObject(o.preconditions) ? (o.preconditions as { uid?: string; resourceVersion?: string }) : undefined;
    const result = ctx.api.delete(r, namespace, name, { dryRun: dryRun || (Array.isArray(o.dryRun) && o.dryRun.includes("All")), propagationPolicy: policy ?? (orphan ? "Orphan" : undefined), preconditions: pre });
    return sendObject(res, 200, result.object);
  }
  if (method === "DELETE" && name === undefined) {
    const matchLabels = labelSelectorFromString(q.get("labelSelector"));
    const matchFields = fieldSelectorFromString(q.get("fieldSelector"));
    const deleted: KubeObject[] = [];
    for (const o of ctx.store.list(r, namespace)) {
      if (!matchLabels(o.metadata.labels) || !matchFields(o)) continue;
      ctx.api.delete(r, o.metadata.namespace, o.metadata.name, { dryRun });
      deleted.push(o);
    }
    return sendObject(res, 200, { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: { resourceVersion: ctx.store.resourceVersion }, items: deleted });
  }
  throw new ApiError(405, `the server does not allow this method on the requested resource`, "MethodNotAllowed");
}

/** kubectl/v1.33.0 (linux/amd64) ... -> "kubectl", as the API server derives a manager. */
function managerFromUserAgent(ua: string | undefined): string {
  const first = (ua ?? "unknown").split("/")[0] ?? "unknown";
  return first.slice(0, 128) || "unknown";
}

function finalizeNamespace(ctx: ServerContext, name: string, body: unknown): KubeObject {
  const existing = ctx.api.get(R.namespaces, undefined, name);
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const next = { ...structuredClone(existing), spec: { ...(existing.spec as object), finalizers: Array.isArray(spec.finalizers) ? spec.finalizers : [] } };
  return ctx.store.update(R.namespaces, next, existing);
}

interface ContinueToken {
  k: string;
}

function listResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, r: ResourceType, namespace: string | undefined, q: URLSearchParams) {
  const matchLabels = labelSelectorFromString(q.get("labelSelector"));
  const matchFields = fieldSelectorFromString(q.get("fieldSelector"));
  const limitRaw = q.get("limit");
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (limitRaw && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`invalid limit "${limitRaw}"`);
  let after: string | undefined;
  const cont = q.get("continue");
  if (cont) {
    try {
      const tok = JSON.parse(Buffer.from(cont, "base64url").toString("utf8")) as ContinueToken;
      if (typeof tok.k !== "string") throw new Error("bad token");
      after = tok.k;
    } catch {
      throw badRequest("continue key is not valid: illegal base64 data");
    }
  }
  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  if (namespace !== undefined && r.kind === "Namespace") throw NOT_FOUND_PATH();
  for (const [key, o] of ctx.store.iterate(r, namespace, after)) {
    if (!matchLabels(o.metadata.labels) || !matchFields(o)) continue;
    if (limit > 0 && items.length >= limit) {
      more = true;
      break;
    }
    items.push(o);
    lastKey = key;
  }
  const metadata: Record<string, unknown> = { resourceVersion: ctx.store.resourceVersion };
  if (more && lastKey !== undefined) metadata.continue = Buffer.from(JSON.stringify({ k: lastKey } satisfies ContinueToken)).toString("base64url");
  if (wantsTable(req.headers.accept)) return send(res, 200, toTable(r, items, metadata, q.get("includeObject") ?? undefined));
  const list = { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata, items };
  // As JSON, hand-assembled so each item's cached serialisation is reused.
  return sendObject(res, 200, list, () => `{"kind":"${list.kind}","apiVersion":"${list.apiVersion}","metadata":${JSON.stringify(metadata)},"items":[${items.map(toJson).join(",")}]}`);
}

function watchResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, r: ResourceType, namespace: string | undefined, q: URLSearchParams) {
  const matchLabels = labelSelectorFromString(q.get("labelSelector"));
  const matchFields = fieldSelectorFromString(q.get("fieldSelector"));
  const rvParam = q.get("resourceVersion");
  const sendInitial = q.get("sendInitialEvents") === "true";
  const fromRV = !rvParam || rvParam === "0" || sendInitial ? undefined : Number(rvParam);
  if (fromRV !== undefined && !Number.isFinite(fromRV)) throw badRequest(`invalid resourceVersion "${rvParam}"`);
  const table = wantsTable(req.headers.accept);
  const includeObject = q.get("includeObject") ?? undefined;
  const bookmarks = q.get("allowWatchBookmarks") === "true";
  const timeoutSeconds = Number(q.get("timeoutSeconds") ?? 1800);

  // Watches stay JSON whatever the Accept header prefers: kubectl (1.27-1.33) watches through its
  // dynamic client and tables (`get -w`, `rollout status`, `wait`, `delete --wait`), which ask for
  // JSON, and a client asking for a protobuf watch (`;stream=watch`) decodes the stream by the
  // response's Content-Type, as client-go does, so JSON serves it too.
  writeHead(res, 200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
  res.flushHeaders();
  ctx.streams.add(res);

  let closed = false;
  let unsubscribe = () => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    timers.forEach(clearTimeout);
    timers.forEach(clearInterval);
    ctx.streams.delete(res);
    res.end();
  };
  let firstTable = true;
  const line = (type: EventType | "BOOKMARK" | "ERROR", ev: StoreEvent | undefined, raw?: unknown) => {
    if (closed) return;
    if (raw !== undefined) {
      res.write(`{"type":"${type}","object":${JSON.stringify(raw)}}\n`);
      return;
    }
    if (!ev) return;
    if (table) {
      const t = toTable(r, [ev.object], { resourceVersion: ev.object.metadata.resourceVersion }, includeObject, firstTable);
      firstTable = false;
      res.write(`{"type":"${type}","object":${JSON.stringify(t)}}\n`);
      return;
    }
    res.write(`{"type":"${type}","object":${ev.json ?? (ev.json = toJson(ev.object))}}\n`);
  };
  try {
    unsubscribe = ctx.store.watch(
      {
        resource: r,
        namespace,
        matches: (o) => matchLabels(o.metadata.labels) && matchFields(o),
        send: (type, ev) => line(type, ev),
        expire: (reason) => {
          if (reason === "compacted") line("ERROR", undefined, new ApiError(410, "The resourceVersion for the provided watch is too old.", "Expired").toStatus());
          finish();
        },
      },
      fromRV,
    );
  } catch (e) {
    const status = e instanceof ApiError ? e.toStatus() : new ApiError(500, String(e)).toStatus();
    line("ERROR", undefined, status);
    finish();
    return;
  }
  const bookmark = (annotations?: Record<string, string>) =>
    line("BOOKMARK", undefined, { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: ctx.store.resourceVersion, ...(annotations ? { annotations } : {}) } });
  if (sendInitial && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
  if (bookmarks) timers.push(setInterval(() => bookmark(), ctx.bookmarkIntervalMs));
  if (timeoutSeconds > 0) timers.push(setTimeout(finish, timeoutSeconds * 1000));
  req.on("close", finish);
  res.on("close", finish);
}

async function handleAdmin(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, path: string, method: string) {
  if (method === "GET") return send(res, 200, ctx.faults.describe());
  if (method === "DELETE") {
    ctx.faults.clear();
    return send(res, 200, ctx.faults.describe());
  }
  if (method !== "POST") throw new ApiError(405, "use GET, POST or DELETE", "MethodNotAllowed");
  const body = parseBody(await readBody(req), "json");
  if (!isObject(body) || typeof body.type !== "string") throw badRequest('fault body must be an object with a "type"');
  const match = { image: body.image as string | undefined, namespace: body.namespace as string | undefined, labelSelector: body.labelSelector as string | undefined };
  const num = (k: string, dflt: number) => (typeof body[k] === "number" ? (body[k] as number) : dflt);
  const f = ctx.faults;
  switch (body.type) {
    case "image-pull":
      f.imagePull(match);
      break;
    case "crash-loop":
      f.crashLoop(match);
      break;
    case "readiness":
      f.readinessFailure(match);
      break;
    case "slow-start":
      f.slowStart(match, num("delayMs", 5000));
      break;
    case "api-error":
      f.apiErrors(num("status", 500), num("durationMs", 5000), body.pathPrefix as string | undefined);
      break;
    case "api-latency":
      f.apiLatency(num("delayMs", 1000), num("durationMs", 5000), body.pathPrefix as string | undefined);
      break;
    case "compact":
      f.compactHistory();
      break;
    case "drop-watches":
      f.dropWatches();
      break;
    case "node-not-ready":
    case "node-ready":
      if (typeof body.node !== "string") throw badRequest('"node" is required');
      if (!ctx.store.get(R.nodes, undefined, body.node)) throw notFound("nodes", "", body.node);
      f.setNodeReady(body.node, body.type === "node-ready");
      break;
    default:
      throw badRequest(`unknown fault type "${body.type}"`);
  }
  void path;
  return send(res, 200, ctx.faults.describe());
}
