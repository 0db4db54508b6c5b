// Reads the signed-in user straight from the session cookie. NextAuth's `auth()` answers the
// same question by running a whole Auth.js "session" action per call: a Request built for it,
// the JWT decrypted with a key derived again (HKDF), re-encrypted for a cookie nobody sets
// (server code cannot set cookies), a Response serialised to JSON and parsed back. Here the
// cookie is decrypted exactly as Auth.js's `decode` does (jose, `dir` + A256CBC-HS512 or
// A256GCM, 15 s clock tolerance), with the key derived once per secret and cookie name.
import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import { type AuthEnv, env as defaultEnv } from "./env";

/**
 * Secure (and `__Secure-`/`__Host-` prefixed) cookies when the public URL is https. Left to
 * Auth.js, the choice follows each request's own scheme, which behind a TLS-terminating proxy
 * that does not send X-Forwarded-Proto is http: the cookie would then travel in clear if the
 * browser were ever sent to an http address. Without a public URL, Auth.js decides per request.
 */
export function secureCookies(env: AuthEnv = defaultEnv): boolean | undefined {
  return env.WHARF_PUBLIC_URL ? new URL(env.WHARF_PUBLIC_URL).protocol === "https:" : undefined;
}

/** Auth.js's session cookie name (`__Secure-` when cookies are secure). */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}authjs.session-token`;
}

const KEY_LENGTH: Record<string, number> = { "A256CBC-HS512": 64, A256GCM: 32 };
const derivedKeys = new Map<string, Uint8Array>();

/** The key Auth.js derives for this secret and salt (the cookie name), as `@auth/core/jwt` does. */
function encryptionKey(enc: string, secret: string, salt: string): Uint8Array {
  const length = KEY_LENGTH[enc];
  if (!length) throw new Error(`unsupported JWT encryption ${enc}`);
  const cacheKey = `${enc}\0${salt}\0${secret}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, length));
    derivedKeys.set(cacheKey, key);
  }
  return key;
}

/** The cookie's value: whole, or reassembled from Auth.js's chunks (`name.0`, `name.1`, ...). */
function cookieValue(cookieHeader: string, name: string): string | null {
  const chunks = new Map<number, string>();
  let whole: string | null = null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === name) whole = value;
    else if (key.startsWith(`${name}.`) && /^\d+$/.test(key.slice(name.length + 1))) chunks.set(Number(key.slice(name.length + 1)), value);
  }
  if (whole !== null) return whole;
  if (chunks.size === 0) return null;
  return [...chunks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value)
    .join("");
}

export interface SessionCookieUser {
  id: string;
  email: string;
  isOperator: boolean;
}

/**
 * The user of a valid, unexpired session cookie, or null (no cookie, tampered, expired, or
 * made with another secret). The same fields the session callback (auth-config.ts) exposes.
 */
export async function sessionCookieUser(cookieHeader: string | null, options: { secret: string; secure: boolean }): Promise<SessionCookieUser | null> {
  const salt = sessionCookieName(options.secure);
  const token = cookieHeader ? cookieValue(cookieHeader, salt) : null;
  if (!token) return null;
  const cacheKey = `${salt}\0${options.secret}\0${token}`;
  const known = decodedSessions.get(cacheKey);
  if (known) {
    if (Date.now() <= known.usableUntil) return known.user;
    decodedSessions.delete(cacheKey);
  }
  try {
    const { payload } = await jwtDecrypt(token, (header) => encryptionKey(String(header.enc), options.secret, salt), {
      clockTolerance: CLOCK_TOLERANCE_S,
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256CBC-HS512", "A256GCM"],
    });
    const { sub, email, isOperator } = payload as { sub?: unknown; email?: unknown; isOperator?: unknown };
    const user = typeof sub === "string" && sub && typeof email === "string" && email ? { id: sub, email, isOperator: isOperator === true } : null;
    if (user && typeof payload.exp === "number") remember(cacheKey, user, (payload.exp + CLOCK_TOLERANCE_S) * 1000);
    return user;
  } catch {
    return null;
  }
}

const CLOCK_TOLERANCE_S = 15;
const MAX_DECODED_SESSIONS = 10_000;

/**
 * Sessions already decrypted, by secret and cookie value. A token is authenticated encryption, so
 * the same value always decrypts to the same claims: a browser's later requests skip jose's
 * crypto (two key imports, an HMAC, an AES decrypt and a tag comparison; about 8% of the web
 * process's CPU on a console list, bench/README "Foundation"). Each entry is used only until the
 * token's own expiry, as jose would accept it; only valid sessions are kept, so forged cookies
 * cannot fill it, and it holds at most MAX_DECODED_SESSIONS (the oldest go first).
 */
const decodedSessions = new Map<string, { user: SessionCookieUser; usableUntil: number }>();

function remember(cacheKey: string, user: SessionCookieUser, usableUntil: number): void {
  if (decodedSessions.size >= MAX_DECODED_SESSIONS) decodedSessions.delete(decodedSessions.keys().next().value!);
  decodedSessions.set(cacheKey, { user, usableUntil });
}

/**
 * The user of the request's session cookie, or null. Secure cookies follow the public URL's
 * scheme, or, without one, the request's, as Auth.js decides them.
 */
export function requestSessionUser(headers: Headers, options: { secret: string }): Promise<SessionCookieUser | null> {
  const secure = secureCookies() ?? headers.get("x-forwarded-proto") === "https";
  return sessionCookieUser(headers.get("cookie"), { secret: options.secret, secure });
}
