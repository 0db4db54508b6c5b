// Discovery documents (/api, /apis, /api/v1, /apis/<g>/<v>) built from the resource registry.
import { apiVersionOf, groupVersions, type ResourceType } from "./resources.js";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function resourceEntries(r: ResourceType) {
  const out: Record<string, unknown>[] = [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.kind === "Namespace" || r.kind === "Node" ? VERBS.filter((v) => v !== "deletecollection" || r.kind === "Node") : VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      storageVersionHash: Buffer.from(`${apiVersionOf(r)}/${r.kind}`).toString("base64").slice(0, 11),
    },
  ];
  for (const sub of r.subresources) {
    if (sub === "scale") out.push({ name: `${r.plural}/scale`, singularName: "", namespaced: r.namespaced, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] });
    else if (sub === "log") out.push({ name: `${r.plural}/log`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get"] });
    else if (sub === "finalize") out.push({ name: `${r.plural}/finalize`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["update"] });
    else out.push({ name: `${r.plural}/status`, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: ["get", "patch", "update"] });
  }
  return out;
}

// Each takes the kinds this cluster serves: a cluster without an optional API does not list it.
export function apiResourceList(served: readonly ResourceType[], groupVersion: string) {
  const resources = served.filter((r) => apiVersionOf(r) === groupVersion);
  if (resources.length === 0) return undefined;
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: resources.flatMap(resourceEntries) };
}

export function apiVersions(serverAddress: string) {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groupEntry(served: readonly ResourceType[], group: string) {
  const versions = groupVersions(served)
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(served: readonly ResourceType[]) {
  const groups = [...new Set(groupVersions(served).map((gv) => gv.group))].filter((g) => g !== "");
  return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map((g) => groupEntry(served, g)) };
}

export function apiGroup(served: readonly ResourceType[], group: string) {
  if (!groupVersions(served).some((gv) => gv.group === group)) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupEntry(served, group) };
}

export const VERSION = {
  major: "1",
  minor: "33",
  gitVersion: "v1.33.0-kube-sim",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.24.0",
  compiler: "gc",
  platform: "linux/amd64",
};
