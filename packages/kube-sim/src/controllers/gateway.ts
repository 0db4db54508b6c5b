// Gateway API controller, for clusters that have the Gateway API: it owns one GatewayClass
// (`kube-sim`) and reports, as an implementation such as Envoy Gateway would, whether each
// Gateway of that class is programmed and whether each HTTPRoute is accepted by its parent
// Gateways and its backends resolve. The simulator moves no traffic: a route's weights are what
// clients (Wharf's traffic generator among them) read to split it.
import { findByKind, R } from "../resources.js";
import { objectKey } from "../store.js";
import { type JsonObject, type KubeObject } from "../types.js";
import { type Controller, type ControllerContext } from "./context.js";
import { splitKey, WorkQueue } from "./queue.js";

export const GATEWAY_CLASS = "kube-sim";
const CONTROLLER_NAME = "kube-sim.local/gateway-controller";

const gatewayClasses = findByKind("gateway.networking.k8s.io/v1", "GatewayClass")!;
const gateways = findByKind("gateway.networking.k8s.io/v1", "Gateway")!;
const httpRoutes = findByKind("gateway.networking.k8s.io/v1", "HTTPRoute")!;

interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
}

interface BackendRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  port?: number;
  weight?: number;
}

function condition(type: string, ok: boolean, reason: string, message: string, generation: number | undefined, previous: JsonObject[] | undefined): JsonObject {
  const status = ok ? "True" : "False";
  const before = previous?.find((c) => c.type === type);
  // The transition time moves only when the status does, as upstream controllers keep it.
  const lastTransitionTime = before && before.status === status && typeof before.lastTransitionTime === "string" ? before.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return { type, status, reason, message, observedGeneration: generation ?? 1, lastTransitionTime };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function startGatewayController(ctx: ControllerContext): Controller {
  const { store, api } = ctx;
  if (!store.get(gatewayClasses, undefined, GATEWAY_CLASS)) {
    api.create(gatewayClasses, undefined, { metadata: { name: GATEWAY_CLASS }, spec: { controllerName: CONTROLLER_NAME, description: "The simulator's own Gateway API implementation" } });
  }

  const setStatus = (resource: typeof gateways, current: KubeObject, status: JsonObject) => {
    if (sameJson(current.status, status)) return;
    store.update(resource, { ...current, status }, current);
  };

  const classQueue = new WorkQueue((name) => {
    const gc = store.get(gatewayClasses, undefined, name);
    if (!gc || (gc.spec as JsonObject | undefined)?.controllerName !== CONTROLLER_NAME) return;
    const previous = (gc.status as JsonObject | undefined)?.conditions as JsonObject[] | undefined;
    setStatus(gatewayClasses, gc, { conditions: [condition("Accepted", true, "Accepted", "Handled by the kube-sim gateway controller", gc.metadata.generation, previous)] });
  });

  const gatewayQueue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const gw = store.get(gateways, ns, name);
    if (!gw || (gw.spec as JsonObject | undefined)?.gatewayClassName !== GATEWAY_CLASS) return;
    const previous = (gw.status as JsonObject | undefined)?.conditions as JsonObject[] | undefined;
    const listeners = (((gw.spec as JsonObject).listeners as JsonObject[] | undefined) ?? []).map((l): JsonObject => ({
      name: String(l.name),
      supportedKinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
      attachedRoutes: [...store.iterate(httpRoutes)].filter(([, r]) => parentsOf(r).some((p) => p.name === name && (p.namespace ?? r.metadata.namespace) === ns && (!p.sectionName || p.sectionName === l.name))).length,
      conditions: [condition("Programmed", true, "Programmed", "Listener is programmed", gw.metadata.generation, undefined)],
    }));
    setStatus(gateways, gw, {
      addresses: [{ type: "IPAddress", value: "10.96.100.1" }],
      conditions: [condition("Accepted", true, "Accepted", "Gateway is accepted", gw.metadata.generation, previous), condition("Programmed", true, "Programmed", "Gateway is programmed", gw.metadata.generation, previous)],
      listeners,
    });
  });

  const routeQueue = new WorkQueue((key) => {
    const [ns, name] = splitKey(key);
    const route = store.get(httpRoutes, ns, name);
    if (!route) return;
    const previousParents = ((route.status as JsonObject | undefined)?.parents as JsonObject[] | undefined) ?? [];
    const missing = backendsOf(route)
      .filter((b) => (b.kind ?? "Service") === "Service" && !store.get(R.services, b.namespace ?? ns, b.name))
      .map((b) => b.name);
    const parents = parentsOf(route).flatMap((parent): JsonObject[] => {
      const gw = store.get(gateways, parent.namespace ?? ns, parent.name);
      // Routes on other implementations' gateways get their status from those implementations.
      if (gw && (gw.spec as JsonObject | undefined)?.gatewayClassName !== GATEWAY_CLASS) return [];
      const previous = previousParents.find((p) => sameJson(p.parentRef, parent))?.conditions as JsonObject[] | undefined;
      return [
        {
          parentRef: { ...parent },
          controllerName: CONTROLLER_NAME,
          conditions: [
            gw ? condition("Accepted", true, "Accepted", "Route is accepted", route.metadata.generation, previous) : condition("Accepted", false, "NoMatchingParent", `Gateway ${parent.namespace ?? ns}/${parent.name} does not exist`, route.metadata.generation, previous),
            missing.length === 0
              ? condition("ResolvedRefs", true, "ResolvedRefs", "All backend references resolve", route.metadata.generation, previous)
              : condition("ResolvedRefs", false, "BackendNotFound", `Service ${missing.join(", ")} not found`, route.metadata.generation, previous),
          ],
        },
      ];
    });
    setStatus(httpRoutes, route, { parents });
  });

  const routesOnService = (ns: string | undefined, service: string) => {
    for (const [, r] of store.iterate(httpRoutes, ns)) if (backendsOf(r).some((b) => b.name === service)) routeQueue.add(objectKey(r.metadata.namespace, r.metadata.name));
  };

  const off = store.onChange((ev) => {
    const { namespace, name } = ev.object.metadata;
    // Status writes of our own come back as MODIFIED events: only a spec change needs work.
    if (ev.type === "MODIFIED" && sameJson((ev.previous as JsonObject | undefined)?.spec, ev.object.spec)) return;
    if (ev.resource === gatewayClasses) classQueue.add(name);
    else if (ev.resource === gateways) {
      gatewayQueue.add(objectKey(namespace, name));
      for (const [, r] of store.iterate(httpRoutes)) if (parentsOf(r).some((p) => p.name === name)) routeQueue.add(objectKey(r.metadata.namespace, r.metadata.name));
    } else if (ev.resource === httpRoutes) {
      routeQueue.add(objectKey(namespace, name));
      for (const p of [...parentsOf(ev.object), ...(ev.previous ? parentsOf(ev.previous as KubeObject) : [])]) gatewayQueue.add(objectKey(p.namespace ?? namespace, p.name));
    } else if (ev.resource === R.services && ev.type !== "MODIFIED") routesOnService(namespace, name);
  });
  classQueue.add(GATEWAY_CLASS);

  return {
    stop() {
      off();
      classQueue.stop();
      gatewayQueue.stop();
      routeQueue.stop();
    },
  };
}

function parentsOf(route: KubeObject): ParentRef[] {
  return (((route.spec as JsonObject | undefined)?.parentRefs as ParentRef[] | undefined) ?? []).filter((p) => (p.kind ?? "Gateway") === "Gateway");
}

function backendsOf(route: KubeObject): BackendRef[] {
  const rules = ((route.spec as JsonObject | undefined)?.rules as JsonObject[] | undefined) ?? [];
  return rules.flatMap((rule) => (rule.backendRefs as BackendRef[] | undefined) ?? []);
}
