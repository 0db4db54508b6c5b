import { z } from "zod";

const schema = z
  .object({
    /** Signs session cookies. `npm start` makes one under the data directory when unset. */
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
    /** Generic OIDC sign-in is switched on when these three are set. */
    AUTH_OIDC_ISSUER: z.string().url().optional(),
    AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
    AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH_OIDC_NAME: z.string().default("Single sign-on"),
    /** Where people reach this Wharf. When it is https, the session cookie is Secure whatever the request looked like. */
    WHARF_PUBLIC_URL: z.string().url().optional(),
  })
  .refine(
    (e) => [e.AUTH_OIDC_ISSUER, e.AUTH_OIDC_CLIENT_ID, e.AUTH_OIDC_CLIENT_SECRET].every((v) => v === undefined) ||
      [e.AUTH_OIDC_ISSUER, e.AUTH_OIDC_CLIENT_ID, e.AUTH_OIDC_CLIENT_SECRET].every((v) => v !== undefined),
    "Set all of AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET, or none",
  );

export type AuthEnv = z.infer<typeof schema>;
export const env = schema.parse(process.env);
