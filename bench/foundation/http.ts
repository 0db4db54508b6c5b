// Talking to a running Wharf over HTTP the way a browser does: Auth.js
// credentials sign-in for a session cookie, then tRPC GET queries.

/** `name=value` pairs from a response's Set-Cookie headers. */
function cookiesFrom(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
  return jar;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** Signs in with email + password; returns the Cookie header carrying `authjs.session-token`. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrfRes.ok) throw new Error(`GET /api/auth/csrf answered ${csrfRes.status}`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = cookiesFrom(csrfRes);

  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-auth-return-redirect": "1",
      cookie: cookieHeader(jar),
    },
    body: new URLSearchParams({ email, password, csrfToken }).toString(),
  });
  for (const [k, v] of cookiesFrom(res)) jar.set(k, v);
  const session = [...jar.keys()].find((k) => k === "authjs.session-token" || k === "__Secure-authjs.session-token");
  if (!session) throw new Error(`sign-in as ${email} set no session cookie (status ${res.status}: ${(await res.text()).slice(0, 300)})`);
  return `${session}=${jar.get(session)}`;
}

/** The URL of a tRPC query over GET (superjson transformer: the input goes under `json`). */
export function trpcUrl(baseUrl: string, procedure: string, input: unknown): string {
  return `${baseUrl}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
}

export interface Page {
  items: unknown[];
  nextCursor: string | null;
}

/** Runs a tRPC query and returns its (superjson-encoded) data; throws on any error. */
export async function trpcQuery<T = Page>(baseUrl: string, cookie: string, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(trpcUrl(baseUrl, procedure, input), { headers: { cookie } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${procedure} answered ${res.status}: ${body.slice(0, 300)}`);
  const parsed = JSON.parse(body) as { result?: { data?: { json?: T } } };
  const data = parsed.result?.data?.json;
  if (data === undefined) throw new Error(`${procedure}: unexpected response ${body.slice(0, 300)}`);
  return data;
}
