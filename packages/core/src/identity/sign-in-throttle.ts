import { withPlatform } from "@wharf/db";
import { AppError } from "../errors";
import { identityRepository as repo } from "./identity-repository";

/** After this many failures in the window, per account and per IP, sign-in is refused. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;

/** Throws SIGN_IN_THROTTLED, with the seconds to wait, when either counter is full. */
export async function assertSignInAllowed(email: string, ip: string, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - WINDOW_MS);
  const [byEmail, byIp] = await withPlatform("sign-in throttle", (tx) =>
    Promise.all([repo.countFailures(tx, { email }, since), repo.countFailures(tx, { ip }, since)]),
  );
  const blocking = [byEmail, byIp].filter((c) => c._count._all >= MAX_FAILURES && c._min.createdAt);
  if (blocking.length === 0) return;
  const oldest = Math.max(...blocking.map((c) => c._min.createdAt!.getTime()));
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now.getTime()) / 1000));
  throw new AppError("SIGN_IN_THROTTLED", `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, {
    retryAfterSeconds,
  });
}

export async function recordSignInFailure(email: string, ip: string): Promise<void> {
  await withPlatform("sign-in throttle", (tx) => repo.recordFailure(tx, email, ip));
}

/** Failures older than the window no longer count; the worker deletes them. */
export async function pruneSignInFailures(now = new Date()): Promise<number> {
  const { count } = await withPlatform("housekeeping", (tx) => repo.pruneFailures(tx, new Date(now.getTime() - WINDOW_MS)));
  return count;
}
