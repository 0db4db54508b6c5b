import { AppInput, AppLogsInput, ListAppsInput, type AppRevisionView, type AppStatus, type AppSummary, type Deployable } from "@wharf/contracts";
import { ClusterError, type KubeObject, type LogStream } from "@wharf/kube";
import { type Tx, withPlatform, withTenant } from "@wharf/db";
import type { TenantScope } from "../context";
import { AppError } from "../errors";
import { findDeployableVersion } from "../catalog";
import { latestOf } from "../catalog/catalog-view";
import { gatewayFor } from "../clusters/cluster-connections";
import { clustersRepository } from "../clusters/clusters-repository";
import { decodeCursor, toPage } from "../pagination";
import { spacesRepository } from "../spaces/spaces-repository";
import { toAppSummary } from "./app-view";
import { type AppRow, appsRepository as repo } from "./apps-repository";
import { explainReason } from "./explain-reason";
import { APP_LABEL } from "./render-app-manifests";

/**
 * Summaries of the apps `filter` selects, newest first: one statement, no
 * transaction (the SQL function behind `views` runs in the tenant's scope).
 */
async function summaries(scope: TenantScope, filter: Parameters<typeof repo.views>[1]): Promise<AppSummary[]> {
  const rows = await repo.views(scope.orgId, filter);
  return rows.map((row) => {
    const newest = latestOf(row.publishedVersions);
    return toAppSummary(
      row,
      { id: row.spaceId, name: row.space?.name ?? "?", namespace: row.space?.namespace ?? "?", clusterName: row.space?.clusterName ?? "?" },
      { pendingError: row.pendingError, newerVersion: newest && newest.id !== row.catalogVersionId ? newest : null },
    );
  });
}

export async function listApps(scope: TenantScope, input: ListAppsInput) {
  const q = ListAppsInput.parse(input);
  const rows = await summaries(scope, { spaceId: q.spaceId, phase: q.phase, search: q.search || undefined, cursor: decodeCursor(q.cursor), take: q.limit + 1 });
  return toPage(rows, q.limit, (r) => r);
}

async function findApp(tx: Tx, scope: TenantScope, appId: string): Promise<AppRow> {
  const app = await repo.find(tx, scope.orgId, appId);
  if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
  return app;
}

export async function getApp(scope: TenantScope, input: AppInput): Promise<AppSummary> {
  const { appId } = AppInput.parse(input);
  const [app] = await summaries(scope, { appId, take: 1 });
  if (!app) throw new AppError("APP_NOT_FOUND", "No app with this id in your organisation");
  return app;
}

export async function listAppRevisions(scope: TenantScope, input: AppInput): Promise<AppRevisionView[]> {
  const { appId } = AppInput.parse(input);
  return withTenant(scope.orgId, async (tx) => {
    await findApp(tx, scope, appId);
    return (await repo.revisions(tx, scope.orgId, appId)).map((r) => ({ ...r, params: r.params as Record<string, unknown> }));
  });
}

/** The app's space on its cluster, and a gateway to it. */
async function placement(scope: TenantScope, appId: string) {
  const { app, space } = await withTenant(scope.orgId, async (tx) => {
    const app = await findApp(tx, scope, appId);
    const space = await spacesRepository.find(tx, scope.orgId, app.spaceId);
    return { app, space };
  });
  if (!space) throw new AppError("APP_NOT_FOUND", "This app's space is gone");
  const connection = await withPlatform("connect to the app's cluster", (tx) => clustersRepository.findConnection(tx, space.clusterId));
  if (!connection) throw new AppError("APP_NOT_FOUND", "This app's cluster is gone");
  return { app, namespace: space.namespace, gateway: gatewayFor(connection) };
}

type PodStatus = {
  phase?: string;
  startTime?: string;
  conditions?: Array<{ type: string; status: string }>;
  containerStatuses?: Array<{ name: string; restartCount?: number; state?: { waiting?: { reason?: string } } }>;
};

function podView(pod: KubeObject) {
  const status = (pod.status ?? {}) as PodStatus;
  const spec = (pod.spec ?? {}) as { nodeName?: string; containers?: Array<{ name: string }> };
  const waiting = status.containerStatuses?.map((c) => c.state?.waiting?.reason).find(Boolean) ?? null;
  return {
    name: pod.metadata.name,
    phase: status.phase ?? "Pending",
    ready: status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
    restarts: status.containerStatuses?.reduce((n, c) => n + (c.restartCount ?? 0), 0) ?? 0,
    node: spec.nodeName ?? null,
    startedAt: status.startTime ?? null,
    containers: spec.containers?.map((c) => c.name) ?? [],
    waitingReason: waiting,
  };
}

/** Pods, rollout conditions and events, read live from the cluster; an unreachable cluster is reported, not thrown. */
export async function getAppStatus(scope: TenantScope, input: AppInput): Promise<AppStatus> {
  const { appId } = AppInput.parse(input);
  const { app, namespace, gateway } = await placement(scope, appId);
  try {
    const [pods, deployment, events] = await Promise.all([
      gateway.list({ kind: "Pod", namespace, labelSelector: `${APP_LABEL}=${app.id}`, limit: 100 }),
      gateway.get({ kind: "Deployment", namespace, name: app.name }),
      gateway.events(namespace, { limit: 200 }),
    ]);
    const podNames = new Set(pods.items.map((p) => p.metadata.name));
    const conditions = ((deployment?.status as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason ?? null,
      message: c.message ?? null,
    }));
    const mine = events.filter((e) => e.involvedObject.name === app.name || podNames.has(e.involvedObject.name) || e.involvedObject.name.startsWith(`${app.name}-`));
    return {
      pods: pods.items.map(podView),
      conditions,
      events: mine
        .slice(-50)
        .reverse()
        .map((e) => ({ type: e.type, reason: e.reason, message: e.message, explanation: explainReason(e.reason, e.message), object: `${e.involvedObject.kind}/${e.involvedObject.name}`, count: e.count, lastSeen: e.lastSeen ?? null })),
      clusterError: null,
    };
  } catch (error) {
    return { pods: [], conditions: [], events: [], clusterError: error instanceof Error ? error.message : String(error) };
  }
}

async function checkPod(gateway: ReturnType<typeof gatewayFor>, namespace: string, appId: string, pod: string) {
  const found = await gateway.get({ kind: "Pod", namespace, name: pod });
  if (!found || found.metadata.labels?.[APP_LABEL] !== appId) throw new AppError("POD_NOT_FOUND", `No pod ${pod} belongs to this app`);
}

/** A pod that exists but whose container has not started has no logs yet: the cluster says 400. */
function notReadyYet(error: unknown): never {
  if (error instanceof ClusterError && error.status === 400) {
    throw new AppError("LOGS_NOT_READY", `No logs yet: ${error.apiMessage ?? error.message}`);
  }
  throw error;
}

export async function getAppLogs(scope: TenantScope, input: AppLogsInput): Promise<string> {
  const { appId, pod, container, tailLines, sinceSeconds } = AppLogsInput.parse(input);
  const { namespace, gateway } = await placement(scope, appId);
  await checkPod(gateway, namespace, appId, pod);
  return gateway.logs(namespace, pod, { container, tailLines, sinceSeconds, timestamps: true }).catch(notReadyYet);
}

/** A live stream of the pod's log lines; the caller stops it when the reader goes away. */
export async function followAppLogs(scope: TenantScope, input: AppLogsInput): Promise<LogStream> {
  const { appId, pod, container, tailLines, sinceSeconds } = AppLogsInput.parse(input);
  const { namespace, gateway } = await placement(scope, appId);
  await checkPod(gateway, namespace, appId, pod);
  return gateway.followLogs(namespace, pod, { container, tailLines, sinceSeconds, timestamps: true }).catch(notReadyYet);
}

/** What the deploy form needs: the version's parameter schema and defaults, if this organisation may deploy it. */
export async function getDeployable(scope: TenantScope, input: { catalogVersionId: string }): Promise<Deployable> {
  const { item, version } = await findDeployableVersion(scope.orgId, input.catalogVersionId);
  const record = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  return {
    item: { id: item.id, slug: item.slug, name: item.name, icon: item.icon },
    version: { id: version.id, version: version.version, image: version.image, paramsSchema: record(version.paramsSchema), defaults: record(version.defaults), dependsOn: version.dependsOn },
  };
}
