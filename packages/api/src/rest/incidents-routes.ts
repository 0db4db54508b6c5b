import {
  IncidentPage,
  IncidentView,
  RestCommentBody,
  RestIncidentComment,
  RestIncidentPath,
  RestIncidentStatus,
  RestIncidentsQuery,
  type IncidentTransition,
} from "@wharf/contracts";
import { incidents, type TenantScope } from "@wharf/core";
import { defineRoute } from "./rest-route";

/** POST /incidents/{id}/<transition>: the same route for each status change. */
function transitionRoute(transition: IncidentTransition, operationId: string, summary: string, description: string) {
  return defineRoute({
    method: "POST",
    path: `/incidents/{incidentId}/${transition}`,
    operationId,
    summary,
    description,
    tag: "Incidents",
    scope: "incidents:write",
    params: RestIncidentPath,
    response: { name: "IncidentStatus", schema: RestIncidentStatus },
    status: 200,
    handle: ({ scope, params }: { scope: TenantScope; params: { incidentId: string } }) => incidents.transitionIncident({ tenant: scope }, { incidentId: params.incidentId, transition }),
  });
}

/** The organisation's incidents, as its console shows them (a key sees the incidents touching its organisation). */
export const incidentsRoutes = [
  defineRoute({
    method: "GET",
    path: "/incidents",
    operationId: "listIncidents",
    summary: "List incidents touching your services, newest first",
    description: "`status=OPEN` lists those not yet resolved. Shared services' incidents are included read-only.",
    tag: "Incidents",
    scope: "incidents:read",
    query: RestIncidentsQuery,
    response: { name: "IncidentPage", schema: IncidentPage },
    status: 200,
    handle: ({ scope, query }) => incidents.listIncidents({ tenant: scope }, { orgId: scope.orgId, ...query }),
  }),
  defineRoute({
    method: "GET",
    path: "/incidents/{incidentId}",
    operationId: "getIncident",
    summary: "Get an incident with every alert in it, each with its own state",
    tag: "Incidents",
    scope: "incidents:read",
    params: RestIncidentPath,
    response: { name: "Incident", schema: IncidentView },
    status: 200,
    handle: ({ scope, params }) => incidents.getIncident({ tenant: scope }, params.incidentId),
  }),
  transitionRoute("acknowledge", "acknowledgeIncident", "Acknowledge a triggered incident", "409 when it is not triggered; 403 when it is a shared service's incident your organisation only calls."),
  transitionRoute("resolve", "resolveIncident", "Resolve an incident", "409 when it is already resolved."),
  defineRoute({
    method: "POST",
    path: "/incidents/{incidentId}/comments",
    operationId: "commentOnIncident",
    summary: "Add a markdown comment to the incident's timeline",
    tag: "Incidents",
    scope: "incidents:write",
    params: RestIncidentPath,
    body: RestCommentBody,
    response: { name: "IncidentComment", schema: RestIncidentComment },
    status: 201,
    handle: ({ scope, params, body }) => incidents.commentOnIncident({ tenant: scope }, { incidentId: params.incidentId, body: body.body }),
  }),
];
