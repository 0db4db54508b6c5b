import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL").optional(),
  // The role every application connection assumes (see the `rls` migration).
  WHARF_DB_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("wharf_app"),
});

export const env = schema.parse(process.env);

/** The environment a child process (the Prisma CLI) inherits. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
