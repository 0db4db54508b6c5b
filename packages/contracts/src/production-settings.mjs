// The settings a production process cannot start without, checked before anything else runs:
// a missing or malformed one stops the process with one line naming it (never its value, never
// a stack trace), before a server listens. Plain JavaScript, so that apps/web/server.mjs (outside
// Next's bundle) and the worker share one set of rules.
import { z } from "zod";

function urlWithProtocol(value, protocols) {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const required = (schema) => z.string({ error: "is not set" }).min(1, "is not set").pipe(schema);

/** The rule for each setting; the message completes "<NAME> ...". */
export const productionSettings = {
  DATABASE_URL: required(z.string().refine((v) => urlWithProtocol(v, ["postgres:", "postgresql:"]), "must be a postgresql:// URL")),
  AUTH_SECRET: required(z.string().min(32, "must be at least 32 characters")),
  WHARF_ENCRYPTION_KEY: required(
    z.string().refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded"),
  ),
  WHARF_PUBLIC_URL: required(z.string().refine((v) => urlWithProtocol(v, ["http:", "https:"]), "must be an http:// or https:// URL")),
};

/** What is wrong with `names` in `env`, as one line; null when they are all fine. */
// This runs before any package's env.ts is loaded, on the raw environment, by design.
// eslint-disable-next-line no-restricted-properties
export function productionSettingsProblem(names, env = process.env) {
  const problems = names.flatMap((name) => {
    const result = productionSettings[name].safeParse(env[name] === "" ? undefined : env[name]);
    return result.success ? [] : [`${name} ${result.error.issues[0]?.message ?? "is malformed"}`];
  });
  return problems.length ? problems.join("; ") : null;
}

/** In production (NODE_ENV=production), exits 1 with one line on stderr when a setting is missing or malformed. */
// eslint-disable-next-line no-restricted-properties
export function requireProductionSettings(processName, names, env = process.env) {
  if (env.NODE_ENV !== "production") return;
  const problem = productionSettingsProblem(names, env);
  if (!problem) return;
  process.stderr.write(`${processName}: cannot start: ${problem}\n`);
  process.exit(1);
}
