import { z } from "zod";

const schema = z.object({
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters: `npm start` makes one, or set your own"),
  /** Where people reach this Wharf: https turns on HSTS, and it is an origin the console accepts requests from. */
  WHARF_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
});

let parsed: z.infer<typeof schema> | undefined;

/** Read lazily (`next build` evaluates modules without a runtime secret), then kept: the proxy asks on every request. */
export function webEnv() {
  return (parsed ??= schema.parse(process.env));
}

/**
 * `next dev`, where React needs eval for its debugging aids. Written out so that the bundler
 * replaces it at build time, as it does everywhere else in the app.
 */
export const isDevelopment = process.env.NODE_ENV === "development";
