// Defaults the real API server fills in, so clients see the same objects they would on a cluster.
import { type ResourceType } from "./resources.js";
import { type Container, type KubeObject, isObject, type PodSpec } from "./types.js";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isObject(v) ? (v as Obj) : {});

function setDefault(o: Obj, key: string, value: unknown) {
  if (o[key] === undefined) o[key] = value;
}

export function defaultContainer(c: Container) {
  if (!c || typeof c !== "object") return;
  if (c.imagePullPolicy === undefined && typeof c.image === "string") {
    // Tag `latest` or no tag at all means Always; anything else IfNotPresent.
    const ref = c.image.split("@")[0] ?? "";
    const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
    const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "";
    c.imagePullPolicy = c.image.includes("@") ? "IfNotPresent" : tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
  }
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  setDefault(c, "resources", {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) setDefault(p, "protocol", "TCP");
}

export function defaultPodSpec(spec: PodSpec | undefined) {
  if (!isObject(spec)) return;
  const s = spec as Obj;
  setDefault(s, "restartPolicy", "Always");
  setDefault(s, "terminationGracePeriodSeconds", 30);
  setDefault(s, "dnsPolicy", "ClusterFirst");
  setDefault(s, "securityContext", {});
  setDefault(s, "schedulerName", "default-scheduler");
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) defaultContainer(c);
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) defaultContainer(c);
}

function defaultTemplate(spec: Obj) {
  const template = obj(spec.template);
  defaultPodSpec(template.spec as PodSpec | undefined);
  if (isObject(template.metadata)) setDefault(template.metadata as Obj, "creationTimestamp", null);
}

export function applyDefaults(r: ResourceType, o: KubeObject) {
  const spec = obj(o.spec);
  switch (r.kind) {
    case "Deployment": {
      if (!isObject(o.spec)) return;
      setDefault(spec, "replicas", 1);
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "progressDeadlineSeconds", 600);
      const strategy = obj((spec.strategy = spec.strategy ?? {}));
      setDefault(strategy, "type", "RollingUpdate");
      if (strategy.type === "RollingUpdate") {
        const ru = obj((strategy.rollingUpdate = strategy.rollingUpdate ?? {}));
        setDefault(ru, "maxSurge", "25%");
        setDefault(ru, "maxUnavailable", "25%");
      }
      defaultTemplate(spec);
      break;
    }
    case "ReplicaSet":
      if (!isObject(o.spec)) return;
      setDefault(spec, "replicas", 1);
      defaultTemplate(spec);
      break;
    case "Pod":
      defaultPodSpec(o.spec as PodSpec);
      break;
    case "Job": {
      if (!isObject(o.spec)) return;
      setDefault(spec, "parallelism", 1);
      setDefault(spec, "completions", 1);
      setDefault(spec, "backoffLimit", 6);
      setDefault(spec, "completionMode", "NonIndexed");
      setDefault(spec, "suspend", false);
      setDefault(spec, "podReplacementPolicy", "TerminatingOrFailed");
      // Unless the manifest picks its own selector, the Job's pods are found by its uid and name.
      if (spec.manualSelector !== true && o.metadata.uid) {
        const jobLabels = { "batch.kubernetes.io/controller-uid": o.metadata.uid, "batch.kubernetes.io/job-name": o.metadata.name, "controller-uid": o.metadata.uid, "job-name": o.metadata.name };
        setDefault(spec, "selector", { matchLabels: { "batch.kubernetes.io/controller-uid": o.metadata.uid } });
        const template = obj((spec.template = spec.template ?? {}));
        const meta = obj((template.metadata = template.metadata ?? {}));
        meta.labels = { ...obj(meta.labels), ...jobLabels };
      }
      defaultTemplate(spec);
      break;
    }
    case "Service": {
      if (!isObject(o.spec)) return;
      setDefault(spec, "type", "ClusterIP");
      setDefault(spec, "sessionAffinity", "None");
      setDefault(spec, "ipFamilies", ["IPv4"]);
      setDefault(spec, "ipFamilyPolicy", "SingleStack");
      setDefault(spec, "internalTrafficPolicy", "Cluster");
      for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
        if (!isObject(p)) continue;
        setDefault(p, "protocol", "TCP");
        setDefault(p, "targetPort", p.port);
      }
      break;
    }
    case "Namespace": {
      o.spec = { finalizers: ["kubernetes"], ...spec };
      o.metadata.labels = { ...o.metadata.labels, "kubernetes.io/metadata.name": o.metadata.name };
      break;
    }
    case "Secret": {
      setDefault(o, "type", "Opaque");
      // stringData is write-only: it is folded into data.
      if (isObject(o.stringData)) {
        const data = obj((o.data = o.data ?? {}));
        for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(String(v)).toString("base64");
        delete o.stringData;
      }
      break;
    }
  }
}
