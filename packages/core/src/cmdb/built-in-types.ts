/**
 * The types Wharf's discoverers fill, plus `team` and `external-dependency`
 * for what no machine can see. Attribute schemas describe what the
 * discoverer writes (read-only to people); they are JSON Schema like the
 * catalog's parameters, so the same form renders them.
 */
const text = { type: "string", maxLength: 500 } as const;
const count = { type: "integer", minimum: 0 } as const;
const object = (properties: Record<string, unknown>) => ({ type: "object", properties, additionalProperties: true });

export const BUILT_IN_TYPES = [
  { key: "cluster", name: "Cluster", icon: "☸", color: "#2563eb", attributeSchema: object({ region: text, apiServer: text, version: text, status: text }) },
  { key: "node", name: "Node", icon: "▣", color: "#0891b2", attributeSchema: object({ cluster: text, cpu: text, memory: text, ready: { type: "boolean" } }) },
  { key: "namespace", name: "Namespace", icon: "▢", color: "#7c3aed", attributeSchema: object({ cluster: text, phase: text }) },
  { key: "space", name: "Space", icon: "◫", color: "#9333ea", attributeSchema: object({ namespace: text, cluster: text, plan: text, status: text }) },
  { key: "deployment", name: "Deployment", icon: "⧉", color: "#059669", attributeSchema: object({ cluster: text, namespace: text, image: text, replicas: count, readyReplicas: count }) },
  { key: "k8s-service", name: "Kubernetes Service", icon: "⇄", color: "#0d9488", attributeSchema: object({ cluster: text, namespace: text, type: text, clusterIP: text, ports: text }) },
  { key: "app", name: "App", icon: "◆", color: "#16a34a", attributeSchema: object({ space: text, catalogItem: text, version: text, replicas: count, phase: text }) },
  { key: "catalog-version", name: "Catalog version", icon: "⬚", color: "#ca8a04", attributeSchema: object({ item: text, version: text, image: text }) },
  { key: "telemetry-service", name: "Telemetry service", icon: "◉", color: "#ea580c", attributeSchema: object({ namespace: text, shared: { type: "boolean" } }) },
  {
    key: "external-dependency",
    name: "External dependency",
    icon: "☁",
    color: "#64748b",
    attributeSchema: object({ vendor: text, url: { type: "string", format: "uri", maxLength: 500 }, contract: text }),
  },
  { key: "team", name: "Team", icon: "☺", color: "#db2777", attributeSchema: object({ email: { type: "string", format: "email", maxLength: 254 }, chat: text }) },
] as const;

export type BuiltInTypeKey = (typeof BUILT_IN_TYPES)[number]["key"];

/** What people may add to any item, discovered or not. */
export const MANUAL_ATTRIBUTES_SCHEMA = {
  type: "object",
  properties: {
    owner: { type: "string", maxLength: 120, title: "Owner team" },
    tier: { type: "string", enum: ["tier-1", "tier-2", "tier-3"], title: "Tier" },
    notes: { type: "string", maxLength: 2000, title: "Notes" },
  },
  additionalProperties: false,
} as const;
