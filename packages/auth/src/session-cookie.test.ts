import * as jose from "jose";
import { decode, encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sessionCookieName, sessionCookieUser } from "./session-cookie";

// Counts the decryptions, calling through to jose's own.
vi.mock("jose", async (importOriginal) => {
  const actual = await importOriginal<typeof jose>();
  return { ...actual, jwtDecrypt: vi.fn(actual.jwtDecrypt) };
});

const secret = "a-session-secret-that-is-long-enough-for-tests";
const claims = { sub: "usr_1", email: "alice@acme.example", name: "Alice", isOperator: false };

async function cookieFor(secure: boolean, token: Record<string, unknown> = claims, options: { secret?: string; maxAge?: number } = {}) {
  const salt = sessionCookieName(secure);
  return { salt, value: await encode({ token, secret: options.secret ?? secret, salt, maxAge: options.maxAge }) };
}

describe("sessionCookieUser", () => {
  it("reads the user from a cookie Auth.js issued, as Auth.js's own decode does", async () => {
    const { salt, value } = await cookieFor(false);
    expect(await decode({ token: value, secret, salt })).toMatchObject(claims);
    expect(await sessionCookieUser(`other=1; ${salt}=${value}`, { secret, secure: false })).toEqual({ id: "usr_1", email: "alice@acme.example", isOperator: false });
    // Twice: the second read uses the derived key kept from the first.
    expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: false })).toMatchObject({ id: "usr_1" });
  });

  it("reads the __Secure- cookie when cookies are secure, and only then", async () => {
    const { salt, value } = await cookieFor(true, { ...claims, isOperator: true });
    expect(salt).toBe("__Secure-authjs.session-token");
    expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: true })).toMatchObject({ isOperator: true });
    expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: false })).toBeNull();
    // The same token under the other name was encrypted for another salt: refused.
    expect(await sessionCookieUser(`authjs.session-token=${value}`, { secret, secure: false })).toBeNull();
  });

  it("reassembles a chunked cookie", async () => {
    const { salt, value } = await cookieFor(false);
    const third = Math.ceil(value.length / 3);
    const header = `${salt}.1=${value.slice(third, 2 * third)}; ${salt}.0=${value.slice(0, third)}; ${salt}.2=${value.slice(2 * third)}`;
    expect(await sessionCookieUser(header, { secret, secure: false })).toMatchObject({ id: "usr_1" });
  });

  it("refuses no cookie, another secret, a tampered or expired token, and a token without a user", async () => {
    const salt = sessionCookieName(false);
    expect(await sessionCookieUser(null, { secret, secure: false })).toBeNull();
    expect(await sessionCookieUser("theme=dark", { secret, secure: false })).toBeNull();
    const other = await cookieFor(false, claims, { secret: "another-secret-that-is-long-enough-for-tests" });
    expect(await sessionCookieUser(`${salt}=${other.value}`, { secret, secure: false })).toBeNull();
    const { value } = await cookieFor(false);
    const tampered = `${value.slice(0, -6)}${value.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
    expect(await sessionCookieUser(`${salt}=${tampered}`, { secret, secure: false })).toBeNull();
    const expired = await cookieFor(false, claims, { maxAge: -60 });
    expect(await sessionCookieUser(`${salt}=${expired.value}`, { secret, secure: false })).toBeNull();
    const anonymous = await cookieFor(false, { name: "nobody" });
    expect(await sessionCookieUser(`${salt}=${anonymous.value}`, { secret, secure: false })).toBeNull();
  });
});

describe("sessionCookieUser's memory of decrypted sessions", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.mocked(jose.jwtDecrypt).mockClear();
  });

  it("decrypts a token once, then answers from memory until the token expires, as jose would", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { salt, value } = await cookieFor(false, { ...claims, sub: "usr_memory" }, { maxAge: 60 });
    vi.mocked(jose.jwtDecrypt).mockClear();
    for (let i = 0; i < 3; i++) expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: false })).toMatchObject({ id: "usr_memory" });
    expect(jose.jwtDecrypt).toHaveBeenCalledTimes(1);
    // Within jose's 15 s clock tolerance past expiry: still the user, still from memory.
    vi.setSystemTime(Date.now() + 70_000);
    expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: false })).toMatchObject({ id: "usr_memory" });
    expect(jose.jwtDecrypt).toHaveBeenCalledTimes(1);
    // Past it: refused, and decrypted again to find out.
    vi.setSystemTime(Date.now() + 10_000);
    expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: false })).toBeNull();
    expect(jose.jwtDecrypt).toHaveBeenCalledTimes(2);
  });

  it("keeps a session for its own secret and cookie name only, and never remembers a refusal", async () => {
    const { salt, value } = await cookieFor(false, { ...claims, sub: "usr_scoped" });
    expect(await sessionCookieUser(`${salt}=${value}`, { secret, secure: false })).toMatchObject({ id: "usr_scoped" });
    expect(await sessionCookieUser(`${salt}=${value}`, { secret: "another-secret-that-is-long-enough-for-tests", secure: false })).toBeNull();
    expect(await sessionCookieUser(`__Secure-${salt}=${value}`, { secret, secure: true })).toBeNull();
    vi.mocked(jose.jwtDecrypt).mockClear();
    const tampered = `${value.slice(0, -6)}${value.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
    for (let i = 0; i < 2; i++) expect(await sessionCookieUser(`${salt}=${tampered}`, { secret, secure: false })).toBeNull();
    expect(jose.jwtDecrypt).toHaveBeenCalledTimes(2);
  });
});
