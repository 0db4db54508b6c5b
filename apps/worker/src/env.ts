import { z } from "zod";

const schema = z.object({
  /** How long a claimed operation is this worker's; another worker takes it over after that. */
  WHARF_OPERATION_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** Demo traffic: requests per second per demo app, sent as OTLP to Wharf's own ingest. 0 (the default) turns it off; embedded mode turns it on. */
  WHARF_DEMO_TRAFFIC_RPS: z.coerce.number().min(0).max(200).default(0),
  /** The OTLP/HTTP base endpoint demo traffic is sent to (the exporter adds /v1/traces). */
  WHARF_DEMO_TRAFFIC_ENDPOINT: z.string().url().default("http://127.0.0.1:3000/api/otlp"),
  /** After SIGTERM, the current passes get this long to finish before held leases are released (below Kubernetes' grace period). */
  WHARF_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** Port of the worker's /api/health/live and /api/health/ready (aliases /healthz, /readyz); unset (the default) serves none. */
  WHARF_WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
});

export const env = schema.parse(process.env);
