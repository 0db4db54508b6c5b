import { AutoscalingDecisionPage, AutoscalingPolicyView, RestAppPath, RestAutoscalingDecisionsQuery, RestAutoscalingPolicyBody } from "@wharf/contracts";
import { autoscaling } from "@wharf/core";
import { z } from "zod";
import { checkAppInKeySpace } from "./app-guards";
import { defineRoute } from "./rest-route";

const POLICY = { name: "AutoscalingPolicy", schema: AutoscalingPolicyView } as const;
const AutoscalingRemoved = z.object({ appId: z.string(), autoscaling: z.literal("off") });

/** An app's autoscaling policy and what the worker decided under it. */
export const autoscalingRoutes = [
  defineRoute({
    method: "GET",
    path: "/apps/{appId}/autoscaling",
    operationId: "getAutoscalingPolicy",
    summary: "Get the app's autoscaling policy",
    description: "404 `AUTOSCALING_POLICY_NOT_FOUND` when the app has none (it is scaled by hand).",
    tag: "Autoscaling",
    scope: "autoscaling:read",
    params: RestAppPath,
    response: POLICY,
    status: 200,
    handle: async ({ principal, scope, params }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return autoscaling.getAutoscalingPolicy(scope, { orgId: scope.orgId, appId: params.appId });
    },
  }),
  defineRoute({
    method: "PUT",
    path: "/apps/{appId}/autoscaling",
    operationId: "setAutoscalingPolicy",
    summary: "Set or replace the app's autoscaling policy",
    description:
      "The body is the whole policy: fields left out take their defaults, so sending the same body again changes nothing. At least one target (`targetRequestsPerSecond` per replica, `targetP95Ms`, or both); `maxReplicas` at least `minReplicas`. " +
      "From then on the worker owns the app's replicas and brings a count outside the bounds inside them; `POST /apps/{appId}/scale` is refused with 409 `AUTOSCALING_OWNS_REPLICAS`.",
    tag: "Autoscaling",
    scope: "autoscaling:write",
    params: RestAppPath,
    body: RestAutoscalingPolicyBody,
    response: POLICY,
    status: 200,
    handle: async ({ principal, scope, params, body }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return autoscaling.setAutoscalingPolicy(scope, { orgId: scope.orgId, appId: params.appId, ...body });
    },
  }),
  defineRoute({
    method: "DELETE",
    path: "/apps/{appId}/autoscaling",
    operationId: "removeAutoscalingPolicy",
    summary: "Turn autoscaling off",
    description: "The app keeps the replicas the policy last chose and is scaled by hand again. 404 when it has no policy.",
    tag: "Autoscaling",
    scope: "autoscaling:write",
    params: RestAppPath,
    response: { name: "AutoscalingRemoved", schema: AutoscalingRemoved },
    status: 200,
    handle: async ({ principal, scope, params }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      await autoscaling.clearAutoscalingPolicy(scope, { orgId: scope.orgId, appId: params.appId });
      return { appId: params.appId, autoscaling: "off" as const };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/apps/{appId}/autoscaling/decisions",
    operationId: "listAutoscalingDecisions",
    summary: "List the app's scaling decisions, newest first",
    description: "Each decision says from how many replicas to how many, what the traffic was and why; `capped` when the quota or the bounds held it back.",
    tag: "Autoscaling",
    scope: "autoscaling:read",
    params: RestAppPath,
    query: RestAutoscalingDecisionsQuery,
    response: { name: "AutoscalingDecisionPage", schema: AutoscalingDecisionPage },
    status: 200,
    handle: async ({ principal, scope, params, query }) => {
      await checkAppInKeySpace(principal, scope, params.appId);
      return autoscaling.listAutoscalingDecisions(scope, { orgId: scope.orgId, appId: params.appId, ...query });
    },
  }),
];
