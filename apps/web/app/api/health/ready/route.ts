// Readiness for Kubernetes and load balancers: 200 while the database answers and is at the
// migration this build expects, 503 (the body says which check failed) otherwise, and 503 at
// once while the process drains after SIGTERM (server.mjs answers that, before Next).
// Liveness (/api/health/live) is answered by server.mjs itself, so a slow page cannot fail it.
import { health } from "@wharf/core";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await health.checkReadiness();
  return Response.json(readiness, { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
