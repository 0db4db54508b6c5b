import { z } from "zod";

const emailList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((email) => email.trim().toLowerCase())
      .filter(Boolean),
  );

const schema = z.object({
  /** Users with these emails are platform operators. */
  WHARF_OPERATOR_EMAILS: emailList,
  /** smtp://user:pass@host:port — when unset, invitation links are shown to the inviter instead. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Wharf <no-reply@wharf.local>"),
  /** Where people reach this Wharf; used in links we send. */
  WHARF_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  /** 32 bytes, base64: encrypts cluster credentials at rest. `npm start` makes one under the data directory. */
  WHARF_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "WHARF_ENCRYPTION_KEY must be 32 bytes, base64-encoded")
    .optional(),
  /** Per-minute service and edge rollups are kept this long; hourly rows cover the time beyond. */
  WHARF_ROLLUP_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
  WHARF_ROLLUP_HOURLY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** OTLP ingest: largest request body as sent, and after gunzip (the zip-bomb guard). */
  WHARF_OTLP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  WHARF_OTLP_MAX_DECODED_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  /** How often each web process writes the rollups it has merged in memory. */
  WHARF_TELEMETRY_FLUSH_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** Ingest answers 429 while more spans than this wait for a flush in one process. */
  WHARF_TELEMETRY_MAX_PENDING_SPANS: z.coerce.number().int().min(1).default(500_000),
  /** GatewayClass of the Gateway Wharf renders per space for canary traffic (the embedded clusters' class by default). */
  WHARF_GATEWAY_CLASS: z.string().min(1).max(253).default("kube-sim"),
  /** How often the worker judges and advances canary releases. */
  WHARF_RELEASE_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  /** How often the worker evaluates every SLO (SLIs, error budgets, burn-rate alerts). */
  WHARF_SLO_EVALUATION_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often the worker evaluates every autoscaling policy against the apps' traffic. */
  WHARF_AUTOSCALING_EVALUATION_INTERVAL_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  /** A discovered CMDB relation not seen for this long is marked stale; after as long again it is retired. */
  WHARF_CMDB_STALE_AFTER_DAYS: z.coerce.number().min(0.001).max(365).default(7),
  /** CMDB change history is kept this long. */
  WHARF_CMDB_HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(400),
  /** How often the worker reads the traffic rollups into the CMDB (telemetry services and their calls). */
  WHARF_CMDB_TRAFFIC_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often the worker turns alerts and cluster signals into incidents (and auto-resolves them). */
  WHARF_INCIDENT_EVALUATION_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(5_000),
  /** A signal joins an open incident on a connected service when the incident's last signal is this recent. */
  WHARF_INCIDENT_GROUP_WINDOW_MINUTES: z.coerce.number().min(0.1).max(1_440).default(10),
  /** "Connected": at most this many calls apart on the dependency graph, either way. */
  WHARF_INCIDENT_GROUP_DEPTH: z.coerce.number().int().min(0).max(10).default(3),
  /** An incident whose alerts have all closed is resolved after this long quiet. */
  WHARF_INCIDENT_AUTO_RESOLVE_MINUTES: z.coerce.number().min(0).max(10_080).default(5),
  /** Ticket-level SLO alerts do not page; set to open incidents from them too. */
  WHARF_INCIDENT_TICKET_ALERTS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Webhooks to loopback and private addresses are refused unless this is set (embedded mode and tests set it). */
  WHARF_WEBHOOK_ALLOW_PRIVATE_URLS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

export const env = schema.parse(process.env);
