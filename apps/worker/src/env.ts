import { z } from "zod";

const schema = z.object({
  /** How long a claimed operation is this worker's; another worker takes it over after that. */
  WHARF_OPERATION_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
});

export const env = schema.parse(process.env);
