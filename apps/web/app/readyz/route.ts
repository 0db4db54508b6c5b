// Readiness for Kubernetes and load balancers: 200 while the database answers, 503 otherwise.
// Liveness (/healthz) is answered by server.mjs itself, before Next, so a slow page cannot fail it.
import { health } from "@wharf/core";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await health.checkReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
