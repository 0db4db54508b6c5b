// Endpoints controller: one Endpoints object per Service with a selector, listing ready pods
// as addresses and unready ones as notReadyAddresses.
import { R } from "../resources.js";
import { labelSelectorFromString } from "../selectors.js";
import { objectKey } from "../store.js";
import { type JsonObject, type KubeObject, type Pod, type Service } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";
import { isPodReady } from "./replicaset.js";

function matches(svc: Service, pod: Pod | undefined): boolean {
  const sel = svc.spec?.selector;
  if (!pod || !sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v);
}

function targetPort(svcPort: { targetPort?: number | string; port: number }, pod: Pod): number | undefined {
  const tp = svcPort.targetPort ?? svcPort.port;
  if (typeof tp === "number") return tp;
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === tp) return p.containerPort;
  return undefined;
}

export function startEndpointsController(ctx: ControllerContext): Controller {
  const { store, api } = ctx;
  void labelSelectorFromString;

  const queue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const svc = store.get(R.services, ns, name) as Service | undefined;
    const existing = store.get(R.endpoints, ns, name);
    if (!svc || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) {
      // Endpoints of selector-less services are user-managed; ours go with their service.
      if (!svc && existing?.metadata.labels?.["endpoints.kubernetes.io/managed-by"] === "kube-sim") store.remove(R.endpoints, existing);
      return;
    }
    const ready: JsonObject[] = [];
    const notReady: JsonObject[] = [];
    let sample: Pod | undefined;
    for (const [, p] of store.iterate(R.pods, ns)) {
      const pod = p as Pod;
      if (!matches(svc, pod) || !pod.status?.podIP || pod.metadata.deletionTimestamp) continue;
      sample ??= pod;
      const addr: JsonObject = { ip: pod.status.podIP, ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: { kind: "Pod", namespace: ns ?? "", name: pod.metadata.name, uid: pod.metadata.uid } };
      (isPodReady(pod) ? ready : notReady).push(addr);
    }
    const ports = (svc.spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: (sample && targetPort(p, sample)) ?? (typeof p.targetPort === "number" ? p.targetPort : p.port), protocol: p.protocol ?? "TCP" }));
    const byIp = (a: JsonObject, b: JsonObject) => String(a.ip).localeCompare(String(b.ip));
    const subsets = ready.length + notReady.length === 0 ? [] : [{ ...(ready.length ? { addresses: ready.sort(byIp) } : {}), ...(notReady.length ? { notReadyAddresses: notReady.sort(byIp) } : {}), ports }];
    const body: KubeObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name, namespace: ns, labels: { ...svc.metadata.labels, "endpoints.kubernetes.io/managed-by": "kube-sim" } } as unknown as KubeObject["metadata"],
      subsets,
    };
    if (!existing) api.create(R.endpoints, ns, body);
    else if (JSON.stringify(existing.subsets) !== JSON.stringify(subsets) || JSON.stringify(existing.metadata.labels) !== JSON.stringify(body.metadata.labels)) {
      store.update(R.endpoints, { ...existing, subsets, metadata: { ...existing.metadata, labels: body.metadata.labels } }, existing);
    }
  });

  const off = store.onChange((ev) => {
    if (ev.resource === R.services) queue.add(objectKey(ev.object.metadata.namespace, ev.object.metadata.name));
    else if (ev.resource === R.pods) {
      const pod = ev.object as Pod;
      const prev = ev.previous as Pod | undefined;
      for (const [, s] of store.iterate(R.services, pod.metadata.namespace)) {
        const svc = s as Service;
        if (matches(svc, pod) || matches(svc, prev)) queue.add(objectKey(svc.metadata.namespace, svc.metadata.name));
      }
    }
  });

  return {
    stop() {
      off();
      queue.stop();
    },
  };
}
