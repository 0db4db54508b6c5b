import { authorizeTenant } from "@wharf/api";
import { clientIp } from "@wharf/auth";
import { PlatformServiceGraphInput, ServiceGraphInput, graphToColumns } from "@wharf/contracts";
import { AppError, HTTP_STATUS, topology } from "@wharf/core";
import { sessionUser } from "~/auth";
import { sameSiteOnly } from "~/same-origin";

function problem(status: number, message: string) {
  return Response.json({ error: { message } }, { status });
}

/**
 * The service map's graph as columns (graphToColumns): the same data and checks as
 * topology.graph (`orgId` given: that organisation's map, telemetry.read) and
 * topology.platformGraph (no `orgId`: operators only), without superjson walking 25,000
 * objects and without their output validation, which cost more than the query on a big map.
 */
export const GET = sameSiteOnly(async (request: Request) => {
  const user = await sessionUser();
  if (!user) return problem(401, "Sign in to continue");
  const params = new URL(request.url).searchParams;
  const filters = {
    window: params.get("window") ?? undefined,
    namespace: params.get("namespace") ?? undefined,
    focusServiceId: params.get("focusServiceId") ?? undefined,
    depth: params.has("depth") ? Number(params.get("depth")) : undefined,
  };
  const orgId = params.get("orgId");
  const actor = { userId: user.id, email: user.email, isOperator: user.isOperator, ip: clientIp(request.headers), userAgent: request.headers.get("user-agent") };
  try {
    let graph;
    if (orgId !== null) {
      const input = ServiceGraphInput.safeParse({ orgId, ...filters });
      if (!input.success) return problem(400, input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      const { scope } = await authorizeTenant(actor, input.data.orgId, "telemetry.read");
      graph = await topology.getServiceGraph(scope, input.data);
    } else {
      const input = PlatformServiceGraphInput.safeParse({ tenantId: params.get("tenantId") ?? undefined, ...filters });
      if (!input.success) return problem(400, input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      graph = await topology.getPlatformServiceGraph(actor, input.data);
    }
    return Response.json(graphToColumns(graph), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof AppError) return problem(HTTP_STATUS[error.kind], error.message);
    throw error;
  }
});
