// kubeconfig documents: one cluster/user/context per simulated cluster.
import { stringify } from "yaml";

export interface KubeconfigEntry {
  name: string;
  url: string;
  caCertPem: string;
  token: string;
}

export function kubeconfigFor(entries: KubeconfigEntry[], currentContext = entries[0]?.name ?? ""): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    "current-context": currentContext,
    clusters: entries.map((e) => ({ name: e.name, cluster: { server: e.url, "certificate-authority-data": Buffer.from(e.caCertPem).toString("base64") } })),
    users: entries.map((e) => ({ name: `${e.name}-admin`, user: { token: e.token } })),
    contexts: entries.map((e) => ({ name: e.name, context: { cluster: e.name, user: `${e.name}-admin`, namespace: "default" } })),
  });
}
