// Minimal OpenAPI v3 discovery. kubectl reads it only to learn that PATCH accepts the
// `fieldValidation` parameter (so it uses server-side validation instead of downloading
// full schemas). No schemas are served: kubectl then computes strategic merge patches from
// its built-in types. /openapi/v2 is not served (404), which kubectl tolerates once v3 answers.
import { createHash } from "node:crypto";
import { apiVersionOf, groupVersions, type ResourceType } from "./resources.js";

const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);
const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32).toUpperCase();

const PARAMS = ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"].map((name) => ({ name, in: "query", schema: { type: name === "force" ? "boolean" : "string", uniqueItems: true } }));

function gvDocument(served: readonly ResourceType[], group: string, version: string) {
  const paths: Record<string, unknown> = {};
  for (const r of served.filter((x) => apiVersionOf(x) === (group ? `${group}/${version}` : version))) {
    const base = `/${gvPath(group, version)}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}`;
    const gvk = { group, version, kind: r.kind };
    const op = (action: string) => ({ "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, parameters: PARAMS, responses: { "200": { description: "OK" } } });
    paths[base] = { post: op("post"), get: op("list") };
    paths[`${base}/{name}`] = { get: op("get"), put: op("put"), patch: op("patch"), delete: op("delete") };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.33.0" }, paths, components: { schemas: {} } };
}

/** The documents of one set of served kinds (each cluster's set is fixed when it starts). */
const documents = new WeakMap<readonly ResourceType[], Map<string, string>>();
function documentsOf(served: readonly ResourceType[]): Map<string, string> {
  let docs = documents.get(served);
  if (!docs) {
    docs = new Map(groupVersions(served).map((gv) => [gvPath(gv.group, gv.version), JSON.stringify(gvDocument(served, gv.group, gv.version))]));
    documents.set(served, docs);
  }
  return docs;
}

export function openapiV3(served: readonly ResourceType[], path: string): string | undefined {
  const docs = documentsOf(served);
  if (path === "/openapi/v3") {
    const paths = Object.fromEntries([...docs.entries()].map(([p, doc]) => [p, { serverRelativeURL: `/openapi/v3/${p}?hash=${hash(doc)}` }]));
    return JSON.stringify({ paths });
  }
  return docs.get(path.replace(/^\/openapi\/v3\//, ""));
}

function protoString(field: number, s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
}

/**
 * An (almost) empty OpenAPI v2 document in gnostic's protobuf encoding: `swagger: "2.0"` and an
 * info block. Older kubectl (<= 1.29) insist on downloading it before `apply`/`create -f`; with no
 * definitions they skip client-side schema validation and use built-in patch metadata.
 */
export function openapiV2Protobuf(): Buffer {
  const info = Buffer.concat([protoString(1, "Kubernetes"), protoString(2, "v1.33.0")]);
  return Buffer.concat([protoString(1, "2.0"), Buffer.from([(2 << 3) | 2, info.length]), info]);
}
