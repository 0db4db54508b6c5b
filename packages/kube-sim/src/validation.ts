// Validation the API server performs before storing: names, required fields, selectors.
// Failures become 422 Invalid with one cause per problem.
import { invalid, type StatusCause } from "./errors.js";
import { type ResourceType } from "./resources.js";
import { labelSelectorFromObject } from "./selectors.js";
import { isObject, type KubeObject, type LabelSelector } from "./types.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Resources whose names must be DNS-1123 labels (no dots, <= 63). */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

export function validateName(kind: string, name: unknown, field = "metadata.name"): StatusCause[] {
  if (typeof name !== "string" || name === "") return [{ reason: "FieldValueRequired", field, message: "Required value: name or generateName is required" }];
  if (LABEL_NAMED.has(kind)) {
    if (name.length > 63 || !DNS1123_LABEL.test(name))
      return [{ field, message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')` }];
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [{ field, message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` }];
  }
  return [];
}

function validateLabels(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isObject(labels)) return [{ field, message: "Invalid value: labels must be a map of strings" }];
  const causes: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (!QUALIFIED_NAME.test(k) || k.length > 316) causes.push({ field, message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'` });
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) causes.push({ field: `${field}`, message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'` });
  }
  return causes;
}

function validateContainers(containers: unknown, field: string, required: boolean): StatusCause[] {
  if (containers === undefined && !required) return [];
  if (!Array.isArray(containers) || containers.length === 0) return required ? [{ reason: "FieldValueRequired", field, message: "Required value" }] : [];
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const f = `${field}[${i}]`;
    if (!isObject(c)) {
      causes.push({ field: f, message: "Invalid value: must be an object" });
      return;
    }
    if (typeof c.name !== "string" || c.name === "") causes.push({ reason: "FieldValueRequired", field: `${f}.name`, message: "Required value" });
    else if (!DNS1123_LABEL.test(c.name) || c.name.length > 63) causes.push({ field: `${f}.name`, message: `Invalid value: "${c.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'` });
    else if (names.has(c.name)) causes.push({ reason: "FieldValueDuplicate", field: `${f}.name`, message: `Duplicate value: "${c.name}"` });
    else names.add(c.name);
    if (typeof c.image !== "string" || c.image.trim() === "") causes.push({ reason: "FieldValueRequired", field: `${f}.image`, message: "Required value" });
    if (Array.isArray(c.ports))
      c.ports.forEach((p, j) => {
        const port = isObject(p) ? p.containerPort : undefined;
        if (typeof port !== "number" || port < 1 || port > 65535) causes.push({ field: `${f}.ports[${j}].containerPort`, message: `Invalid value: ${JSON.stringify(port ?? null)}: must be between 1 and 65535, inclusive` });
      });
  });
  return causes;
}

function validatePodSpec(spec: unknown, field: string): StatusCause[] {
  if (!isObject(spec)) return [{ reason: "FieldValueRequired", field, message: "Required value" }];
  return [...validateContainers(spec.containers, `${field}.containers`, true), ...validateContainers(spec.initContainers, `${field}.initContainers`, false)];
}

function validateReplicated(o: KubeObject): StatusCause[] {
  const spec = o.spec;
  if (!isObject(spec)) return [{ reason: "FieldValueRequired", field: "spec", message: "Required value" }];
  const causes: StatusCause[] = [];
  if (spec.replicas !== undefined && (typeof spec.replicas !== "number" || spec.replicas < 0 || !Number.isInteger(spec.replicas)))
    causes.push({ field: "spec.replicas", message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0` });
  const selector = spec.selector;
  const hasSelector = isObject(selector) && (Object.keys(selector.matchLabels ?? {}).length > 0 || (Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0));
  if (!hasSelector) causes.push({ reason: "FieldValueRequired", field: "spec.selector", message: "Required value" });
  const template = isObject(spec.template) ? spec.template : undefined;
  if (!template) {
    causes.push({ reason: "FieldValueRequired", field: "spec.template", message: "Required value" });
    return causes;
  }
  const labels = isObject(template.metadata) ? template.metadata.labels : undefined;
  causes.push(...validateLabels(labels, "spec.template.metadata.labels"));
  if (hasSelector && !labelSelectorFromObject(selector as unknown as LabelSelector)(labels as Record<string, string>))
    causes.push({ field: "spec.template.metadata.labels", message: `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\`` });
  causes.push(...validatePodSpec(template.spec, "spec.template.spec"));
  return causes;
}

function validateService(o: KubeObject): StatusCause[] {
  const spec = o.spec;
  if (!isObject(spec)) return [{ reason: "FieldValueRequired", field: "spec", message: "Required value" }];
  const causes: StatusCause[] = [];
  const type = spec.type ?? "ClusterIP";
  if (!["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].includes(String(type)))
    causes.push({ reason: "FieldValueNotSupported", field: "spec.type", message: `Unsupported value: "${String(type)}"` });
  if (type !== "ExternalName" && (!Array.isArray(spec.ports) || spec.ports.length === 0))
    causes.push({ reason: "FieldValueRequired", field: "spec.ports", message: "Required value" });
  if (Array.isArray(spec.ports))
    spec.ports.forEach((p, i) => {
      const port = isObject(p) ? p.port : undefined;
      if (typeof port !== "number" || port < 1 || port > 65535) causes.push({ field: `spec.ports[${i}].port`, message: `Invalid value: ${JSON.stringify(port ?? null)}: must be between 1 and 65535, inclusive` });
    });
  return causes;
}

/** Throws 422 when the object is invalid. */
export function validate(r: ResourceType, o: KubeObject) {
  const causes: StatusCause[] = [...validateName(r.kind, o.metadata.name)];
  causes.push(...validateLabels(o.metadata.labels, "metadata.labels"));
  if (o.metadata.annotations !== undefined && !isObject(o.metadata.annotations)) causes.push({ field: "metadata.annotations", message: "Invalid value: must be a map of strings" });
  switch (r.kind) {
    case "Deployment":
    case "ReplicaSet":
      causes.push(...validateReplicated(o));
      break;
    case "Pod":
      causes.push(...validatePodSpec(o.spec, "spec"));
      break;
    case "Job": {
      causes.push(...validateReplicated(o));
      const restartPolicy = isObject(o.spec) && isObject(o.spec.template) && isObject(o.spec.template.spec) ? o.spec.template.spec.restartPolicy : undefined;
      if (restartPolicy !== "Never" && restartPolicy !== "OnFailure")
        causes.push({ reason: "FieldValueNotSupported", field: "spec.template.spec.restartPolicy", message: `Unsupported value: ${JSON.stringify(restartPolicy ?? "")}: supported values: "OnFailure", "Never"` });
      break;
    }
    case "Service":
      causes.push(...validateService(o));
      break;
    case "ConfigMap":
    case "Secret":
      for (const field of ["data", "binaryData"]) {
        const d = o[field];
        if (d !== undefined && d !== null && !isObject(d)) causes.push({ field, message: "Invalid value: must be a map" });
        if (isObject(d))
          for (const k of Object.keys(d))
            if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) causes.push({ field: `${field}[${k}]`, message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'` });
      }
      break;
    case "Role":
      if (o.rules !== undefined && !Array.isArray(o.rules)) causes.push({ field: "rules", message: "Invalid value: must be a list" });
      break;
    case "RoleBinding":
      if (!isObject(o.roleRef)) causes.push({ reason: "FieldValueRequired", field: "roleRef", message: "Required value" });
      break;
  }
  if (causes.length > 0) throw invalid(r.kind, r.group, typeof o.metadata.name === "string" ? o.metadata.name : "", causes);
}
