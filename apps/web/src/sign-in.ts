/**
 * Email + password sign-in against Auth.js, without a full page reload.
 * (next-auth/react's signIn cannot tell a throttled 429 from a wrong password.)
 */
export type SignInResult = { ok: true } | { ok: false; message: string };

export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  const { csrfToken } = (await (await fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }),
  });
  if (response.status === 429) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    return { ok: false, message: body?.error?.message ?? "Too many failed sign-ins. Try again later." };
  }
  const { url } = (await response.json().catch(() => ({ url: "" }))) as { url?: string };
  const error = url ? new URL(url, window.location.origin).searchParams.get("error") : "unknown";
  if (!response.ok || error) return { ok: false, message: "Email or password is incorrect" };
  return { ok: true };
}
