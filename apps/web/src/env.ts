import { z } from "zod";

const schema = z.object({
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters: `npm start` makes one, or set your own"),
});

/** Read lazily: `next build` evaluates modules without a runtime secret. */
export function webEnv() {
  return schema.parse(process.env);
}
