import { ReleaseView, RestAbortReleaseBody, RestAppPath, RestReleasePath, RestStartCanaryBody } from "@wharf/contracts";
import { AppError, releases, type TenantScope, type keys } from "@wharf/core";
import { GATE_NOTE, checkAppInKeySpace } from "./app-guards";
import { defineRoute } from "./rest-route";

const RELEASE = { name: "Release", schema: ReleaseView } as const;

/** A key limited to a space reaches only the releases of that space's apps. */
async function checkReleaseInKeySpace(principal: keys.ApiPrincipal, scope: TenantScope, releaseId: string) {
  if (!principal.spaceId) return;
  const release = await releases.getRelease(scope, { orgId: scope.orgId, releaseId });
  await checkAppInKeySpace(principal, scope, release.appId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === "APP_NOT_FOUND" ? new AppError("RELEASE_NOT_FOUND", "No release with this id in your organisation") : error;
  });
}

type Action = "promote" | "pause" | "resume";
const ACTIONS: Record<Action, (scope: TenantScope, input: { orgId: string; releaseId: string }) => Promise<ReleaseView>> = {
  promote: releases.promoteRelease,
  pause: releases.pauseRelease,
  resume: releases.resumeRelease,
};

/** POST /releases/{id}/<action>: the same route for each step of a release's life without a body. */
function actionRoute(action: Action, operationId: string, summary: string, description: string) {
  return defineRoute({
    method: "POST",
    path: `/releases/{releaseId}/${action}`,
    operationId,
    summary,
    description,
    tag: "Releases",
    scope: "releases:write",
    params: RestReleasePath,
    response: RELEASE,
    status: 200,
    handle: async ({ principal, scope, params }: { principal: keys.ApiPrincipal; scope: TenantScope; params: { releaseId: string } }) => {
      await checkReleaseInKeySpace(principal, scope, params.releaseId);
      return ACTIONS[action](scope, { orgId: scope.orgId, releaseId: params.releaseId });
    },
  });
}

/** Gray releases: an upgrade or a configuration change rolled out as a canary, step by step, judged by the app's SLOs. */
export const releasesRoutes = [
  defineRoute({
    method: "GET",
    path: "/apps/{appId}/release",
    operationId: "getAppRelease",
    summary: "Get the app's latest canary release: in progress, or the last one",
    description: "404 `RELEASE_NOT_FOUND` when the app has never had one.",
    tag: "Releases",
    scope: "releases:read",
    params: RestAppPath,
    response: RELEASE,
    status: 200,
    handle: async ({ principal, scope, params }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      const release = await releases.getAppRelease(scope, { orgId: scope.orgId, appId: params.appId });
      if (!release) throw new AppError("RELEASE_NOT_FOUND", "This app has had no canary release");
      return release;
    },
  }),
  defineRoute({
    method: "POST",
    path: "/apps/{appId}/releases",
    operationId: "startCanaryRelease",
    summary: "Start releasing a new version or new parameters as a canary",
    description:
      "Give `catalogVersionId`, `params` or both. `strategy` sets the canary's traffic per step (`weights`, strictly increasing, the last 100), the pause per step and the requests a step needs before it is judged; " +
      "without it: 10, 25, 50, 100 % with 5 minutes per step. Each step is judged by the app's SLOs: it moves on, or the release is aborted with the numbers. " +
      "409 `RELEASE_IN_PROGRESS` while another canary of the app is running or paused. " +
      GATE_NOTE,
    tag: "Releases",
    scope: "releases:write",
    params: RestAppPath,
    body: RestStartCanaryBody,
    response: RELEASE,
    status: 201,
    handle: async ({ principal, scope, params, body }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return releases.startCanary(scope, { orgId: scope.orgId, appId: params.appId, ...body });
    },
  }),
  actionRoute("promote", "promoteRelease", "Promote the canary now", "The app takes the canary's version and parameters as a new revision, with all traffic. 409 when the release is already finished."),
  actionRoute("pause", "pauseRelease", "Hold the release at its step", "Nothing is judged until it is resumed; pausing a paused release changes nothing. 409 when the release is finished."),
  actionRoute("resume", "resumeRelease", "Resume a paused release", "The step starts over, so it is judged on traffic after the pause. 409 when the release is not paused."),
  defineRoute({
    method: "POST",
    path: "/releases/{releaseId}/abort",
    operationId: "abortRelease",
    summary: "Abort the release: the stable revision takes back all traffic",
    description: "The body is optional; its `reason` is kept with the release and in the audit log. 409 when the release is already finished.",
    tag: "Releases",
    scope: "releases:write",
    params: RestReleasePath,
    body: RestAbortReleaseBody,
    response: RELEASE,
    status: 200,
    handle: async ({ principal, scope, params, body }) => {
      await checkReleaseInKeySpace(principal, scope, params.releaseId);
      return releases.abortRelease(scope, { orgId: scope.orgId, releaseId: params.releaseId, reason: body?.reason });
    },
  }),
];
