// Kubeconfig validation at registration time: a person pastes a kubeconfig; either we get a
// usable KubeConfig for one context, or a message saying exactly what to fix. Messages name
// contexts, clusters and users but never echo credentials or document text.
import { X509Certificate } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { parse, YAMLParseError } from "yaml";

export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
}

export interface ParsedKubeconfig {
  /** Every context name in the document. */
  contexts: string[];
  /** The context in use (the one asked for, else current-context). */
  context: string;
  /** API server URL of that context's cluster. */
  server: string;
  /** A KubeConfig whose current context is `context`. */
  kubeConfig: KubeConfig;
}

export interface ParseKubeconfigOptions {
  /**
   * Allow references to local files (certificate-authority, client-key, tokenFile...) and
   * credential plugins (exec, auth-provider). Off by default: a stored kubeconfig must carry its
   * credentials inline, and a pasted one must not make the worker run commands.
   */
  allowLocalReferences?: boolean;
}

type Doc = Record<string, unknown>;

const isRecord = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

function namedEntries(doc: Doc, key: "clusters" | "contexts" | "users", inner: "cluster" | "context" | "user"): Map<string, Doc> {
  const list = doc[key];
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
    throw new KubeconfigError(`This kubeconfig has no ${key}; a kubeconfig needs clusters, users and contexts`);
  }
  if (!Array.isArray(list)) throw new KubeconfigError(`"${key}" in this kubeconfig must be a list`);
  const out = new Map<string, Doc>();
  list.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.name !== "string" || !entry.name) {
      throw new KubeconfigError(`${key}[${i}] in this kubeconfig has no name`);
    }
    const body = entry[inner];
    if (!isRecord(body)) throw new KubeconfigError(`${key}[${i}] ("${entry.name}") has no "${inner}" section`);
    out.set(entry.name, body);
  });
  return out;
}

function parseDocument(text: string): Doc {
  if (!text.trim()) throw new KubeconfigError("The kubeconfig is empty");
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: false });
  } catch (e) {
    // The parser's message quotes the document, which may contain a token: only say where.
    const where = e instanceof YAMLParseError && e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
    throw new KubeconfigError(`The kubeconfig is not valid YAML or JSON${where}`);
  }
  if (!isRecord(doc)) throw new KubeconfigError("The kubeconfig is not YAML or JSON describing a kubeconfig (expected a document with clusters, users and contexts)");
  if (doc.kind !== undefined && doc.kind !== "Config") throw new KubeconfigError(`This document is a "${String(doc.kind)}", not a kubeconfig (kind: Config)`);
  return doc;
}

function decodePem(base64: unknown, what: string): string {
  if (typeof base64 !== "string" || !base64.trim()) throw new KubeconfigError(`${what} is empty`);
  const compact = base64.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new KubeconfigError(`${what} is not base64`);
  return Buffer.from(compact, "base64").toString("utf8");
}

function checkCertificates(base64: unknown, what: string): void {
  const pem = decodePem(base64, what);
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new KubeconfigError(`${what} does not decode to a PEM certificate`);
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw new KubeconfigError(`${what} contains a certificate that cannot be read`);
    }
  }
}

function checkPrivateKey(base64: unknown, what: string): void {
  const pem = decodePem(base64, what);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new KubeconfigError(`${what} does not decode to a PEM private key`);
}

function checkServer(server: unknown, clusterName: string, cluster: Doc): string {
  if (typeof server !== "string" || !server) throw new KubeconfigError(`Cluster "${clusterName}" in this kubeconfig has no server URL`);
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new KubeconfigError(`Cluster "${clusterName}" has a server that is not a URL: "${server}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new KubeconfigError(`Cluster "${clusterName}" has server "${server}"; it must be an https:// (or http://) URL`);
  }
  if (url.username || url.password) throw new KubeconfigError(`Cluster "${clusterName}" has credentials inside its server URL; put them in the user section`);
  if (url.protocol === "http:" && cluster["insecure-skip-tls-verify"] !== true) {
    throw new KubeconfigError(`Cluster "${clusterName}" uses plain http (${url.host}); client-node only allows that with insecure-skip-tls-verify: true`);
  }
  return server.replace(/\/$/, "");
}

/**
 * Validates a kubeconfig for one context and builds a KubeConfig for it.
 * Throws KubeconfigError with an actionable message; never includes credentials.
 */
export function parseKubeconfig(text: string, contextName?: string, options: ParseKubeconfigOptions = {}): ParsedKubeconfig {
  const doc = parseDocument(text);
  const clusters = namedEntries(doc, "clusters", "cluster");
  const users = namedEntries(doc, "users", "user");
  const contexts = namedEntries(doc, "contexts", "context");
  const contextNames = [...contexts.keys()];

  const current = typeof doc["current-context"] === "string" && doc["current-context"] ? doc["current-context"] : undefined;
  const chosen = contextName ?? current;
  if (!chosen) {
    throw new KubeconfigError(`This kubeconfig has no current-context; choose one of its contexts: ${contextNames.join(", ")}`);
  }
  const context = contexts.get(chosen);
  if (!context) {
    throw new KubeconfigError(`This kubeconfig has no context named '${chosen}'; it has: ${contextNames.join(", ")}`);
  }
  const clusterName = context.cluster;
  if (typeof clusterName !== "string" || !clusterName) throw new KubeconfigError(`Context '${chosen}' names no cluster`);
  const cluster = clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`Context '${chosen}' uses cluster '${clusterName}', which this kubeconfig does not define; it has: ${[...clusters.keys()].join(", ")}`);
  const userName = context.user;
  if (typeof userName !== "string" || !userName) throw new KubeconfigError(`Context '${chosen}' names no user, so Wharf would have no credentials`);
  const user = users.get(userName);
  if (!user) throw new KubeconfigError(`Context '${chosen}' uses user '${userName}', which this kubeconfig does not define; it has: ${[...users.keys()].join(", ")}`);

  const server = checkServer(cluster.server, clusterName, cluster);
  if (cluster["certificate-authority-data"] !== undefined) {
    checkCertificates(cluster["certificate-authority-data"], `certificate-authority-data of cluster "${clusterName}"`);
  }

  const local = options.allowLocalReferences === true;
  const fileRefs = [
    ["certificate-authority", cluster],
    ["client-certificate", user],
    ["client-key", user],
    ["tokenFile", user],
  ] as const;
  for (const [field, section] of fileRefs) {
    if (section[field] !== undefined && !local) {
      throw new KubeconfigError(`This kubeconfig refers to a local file (${field}); embed it instead (${field === "tokenFile" ? "token" : `${field}-data`})`);
    }
  }
  for (const plugin of ["exec", "auth-provider"] as const) {
    if (user[plugin] !== undefined && user[plugin] !== null && !local) {
      throw new KubeconfigError(`User '${userName}' gets its credentials from a ${plugin} plugin, which Wharf does not run; use a service-account token or a client certificate`);
    }
  }
  const hasCertData = user["client-certificate-data"] !== undefined;
  const hasKeyData = user["client-key-data"] !== undefined;
  if (hasCertData !== hasKeyData) throw new KubeconfigError(`User '${userName}' has ${hasCertData ? "a client certificate without its key" : "a client key without its certificate"}`);
  if (hasCertData) {
    checkCertificates(user["client-certificate-data"], `client-certificate-data of user "${userName}"`);
    checkPrivateKey(user["client-key-data"], `client-key-data of user "${userName}"`);
  }
  const hasCredentials =
    hasCertData ||
    (typeof user.token === "string" && user.token !== "") ||
    (typeof user.username === "string" && user.username !== "") ||
    (local && (user.exec || user["auth-provider"] || user.tokenFile || user["client-certificate"]));
  if (!hasCredentials) throw new KubeconfigError(`User '${userName}' has no credentials (token or client certificate)`);

  const kubeConfig = new KubeConfig();
  try {
    // JSON is YAML: client-node reads exactly the document validated above.
    kubeConfig.loadFromString(JSON.stringify(doc));
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace(/\s+/g, " ").slice(0, 200) : "";
    throw new KubeconfigError(`client-node could not load this kubeconfig${detail ? `: ${detail}` : ""}`);
  }
  kubeConfig.setCurrentContext(chosen);
  return { contexts: contextNames, context: chosen, server, kubeConfig };
}
