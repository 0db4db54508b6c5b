import type { ClusterGateway, KubeInformer, KubeObject } from "@wharf/kube";
import { withPlatform } from "@wharf/db";
import { appsRepository } from "../apps/apps-repository";
import { APP_LABEL, GENERATION } from "../apps/render-app-manifests";
import { MANAGED_SELECTOR } from "../spaces/render-space-manifests";
import { type ObservedAppStatus, deriveAppStatus } from "./app-status";

const WARNING_REASONS = new Set(["FailedCreate", "FailedScheduling", "BackOff", "Unhealthy", "Failed"]);

/** Told about every change to an object Wharf renders for an app, so drift can be found. */
export type OnAppObject = (obj: KubeObject, state: "present" | "deleted") => void;

/**
 * Informers on Deployments, Services, the pods Wharf manages, and events,
 * that turn what the cluster reports into each app's phase and replica counts
 * in Postgres (a status is written only when it changes), and hand every
 * Deployment and Service change (Wharf's or not) to `onAppObject`.
 */
export function observeApps(gateway: ClusterGateway, onError: (error: unknown) => void, onAppObject: OnAppObject): KubeInformer[] {
  const lastWritten = new Map<string, string>();
  const warnings = new Map<string, { reason: string; message: string }>();

  const appOf = (obj: KubeObject) => obj.metadata.labels?.[APP_LABEL];

  // One write per app at a time, always of the latest state: events arrive
  // faster than Postgres answers, and an older status must never land last.
  const writing = new Set<string>();
  const dirty = new Set<string>();
  const write = async (appId: string) => {
    const deployment = deployments.list().find((d) => appOf(d) === appId);
    const status = deriveAppStatus(deployment, pods.list().filter((p) => appOf(p) === appId), warnings.get(appId));
    if (!status) return;
    const generation = Number(deployment?.metadata.annotations?.[GENERATION] ?? 0);
    const key = JSON.stringify({ status, generation });
    if (lastWritten.get(appId) === key) return;
    await recordObservedAppStatus(appId, status, generation);
    lastWritten.set(appId, key);
  };
  const refresh = (appId: string | undefined) => {
    if (!appId) return;
    if (writing.has(appId)) {
      dirty.add(appId);
      return;
    }
    writing.add(appId);
    void write(appId)
      .catch((error: unknown) => console.error(`[observer] app ${appId}:`, error instanceof Error ? error.message : error))
      .finally(() => {
        writing.delete(appId);
        if (dirty.delete(appId)) refresh(appId);
      });
  };
  const onPod = { add: (o: KubeObject) => refresh(appOf(o)), update: (o: KubeObject) => refresh(appOf(o)), delete: (o: KubeObject) => refresh(appOf(o)), error: onError };
  const onRendered = (refreshStatus: boolean) => {
    const seen = (o: KubeObject, state: "present" | "deleted") => {
      if (refreshStatus) refresh(appOf(o));
      onAppObject(o, state);
    };
    return { add: (o: KubeObject) => seen(o, "present"), update: (o: KubeObject) => seen(o, "present"), delete: (o: KubeObject) => seen(o, "deleted"), error: onError };
  };

  // Every Deployment and Service, not only Wharf's: the CMDB records them all.
  const deployments = gateway.informer("Deployment", {}, onRendered(true));
  const services = gateway.informer("Service", {}, onRendered(false));
  const pods = gateway.informer("Pod", { labelSelector: MANAGED_SELECTOR }, onPod);

  /** Events carry no labels: find the app through the pod, or the Deployment a ReplicaSet is named after. */
  const appOfEvent = (event: KubeObject): string | undefined => {
    const involved = (event as { involvedObject?: { kind?: string; name?: string; namespace?: string } }).involvedObject ?? {};
    const sameNamespace = (o: KubeObject) => o.metadata.namespace === involved.namespace;
    if (involved.kind === "Pod") return appOf(pods.list().find((p) => sameNamespace(p) && p.metadata.name === involved.name) ?? event);
    const owner = deployments.list().find((d) => sameNamespace(d) && (involved.name === d.metadata.name || involved.name?.startsWith(`${d.metadata.name}-`)));
    return owner ? appOf(owner) : undefined;
  };
  const onEvent = (event: KubeObject) => {
    const e = event as KubeObject & { type?: string; reason?: string; message?: string };
    if (e.type !== "Warning" || !e.reason || !WARNING_REASONS.has(e.reason)) return;
    const appId = appOfEvent(event);
    if (!appId) return;
    warnings.set(appId, { reason: e.reason, message: e.message ?? "" });
    refresh(appId);
  };
  const events = gateway.informer("Event", {}, { add: onEvent, update: onEvent, delete: () => undefined, error: onError });
  return [deployments, services, pods, events];
}

/**
 * Writes what the cluster reports. While the Deployment still reflects an older
 * generation of the app (a change of ours is on its way), only the counts are
 * written: the phase stays QUEUED/APPLYING rather than calling the old version
 * the new one.
 */
async function recordObservedAppStatus(appId: string, status: ObservedAppStatus, generation: number): Promise<void> {
  await withPlatform("observer records app status", async (tx) => {
    const app = await appsRepository.findAnyOrg(tx, appId);
    if (!app || app.deletedAt) return;
    const current = generation >= app.desiredGeneration;
    const { phase, statusMessage, ...counts } = status;
    await appsRepository.recordPhase(tx, appId, current ? { phase, statusMessage, ...counts } : counts);
    // A phase change may open or clear an incident signal: wake the incident engine at commit.
    if (current && phase !== app.phase) await tx.$executeRaw`SELECT pg_notify('wharf_incidents', 'app')`;
  });
}
