import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page, Response } from "@playwright/test";
import { OPERATOR_EMAIL, expect, signIn, test, uniqueId } from "../fixtures";

// Every console page, loaded with the CSP enforced: any violation the browser reports fails the
// test. The headers themselves are checked on a page response, and the same-origin rule of the
// console's endpoints and the CORS of the public REST API on requests made as a browser makes them.

const OTHER_SITE = "https://evil.example";

const baseURL = () => test.info().project.use.baseURL ?? "http://localhost:3100";
/** Another site whose pages a real browser can run: the same server by address instead of by name (loopback both, so Chromium's local-network checks let it call Wharf). */
const otherOrigin = () => baseURL().replace("://localhost", "://127.0.0.1");

/** Collects every CSP violation any page of the context reports, with what was blocked. */
async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding("__wharfCspViolation", ({ page }, report: string) => violations.push(`${page.url()}: ${report}`));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __wharfCspViolation(report: string): void }).__wharfCspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`,
      );
    });
  });
  context.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(`${message.location().url}: ${message.text()}`);
  });
  return violations;
}

/** Opens the page, waits for it to hydrate and draw (charts, the map's worker), and checks it sent a nonced CSP. */
async function visit(page: Page, path: string): Promise<Response> {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  expect(response!.status(), path).toBeLessThan(500);
  await page.waitForLoadState("load");
  // A settling window, not a wait for a condition: violations are reported as scripts run after
  // load (charts, the map's worker), and no event says that none will come.
  await page.waitForTimeout(1000);
  await expectNoncedHtml(response!, path);
  return response!;
}

async function expectNoncedHtml(response: Response, path: string) {
  const csp = response.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `${path}: CSP with a nonce`).toBeTruthy();
  const html = await response.text();
  // Next.js put the request's nonce on its scripts: the page was rendered for this request.
  expect(html, path).toContain(`nonce="${nonce}"`);
  expect(html.match(/<script(?![^>]*\bnonce=)[^>]*>/g) ?? [], `${path}: scripts without the nonce`).toEqual([]);
}

/** The first page `path` links to under each prefix (lists fill in from tRPC, so wait for one). */
async function linkedPages(page: Page, path: string, prefixes: string[]): Promise<string[]> {
  await page.goto(path);
  const found: string[] = [];
  for (const prefix of prefixes) {
    const link = page.locator(`a[href^="${prefix}"]`).first();
    await link.waitFor({ timeout: 15_000 }).catch(() => undefined);
    const href = await link.getAttribute("href", { timeout: 1000 }).catch(() => null);
    if (href) found.push(href);
  }
  return found;
}

test("the security headers: nonced CSP, no framing, nosniff, referrer and permissions policies, no HSTS over http", async ({ page }) => {
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  const csp = headers["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["strict-transport-security"]).toBeUndefined();
  await expectNoncedHtml(response!, "/sign-in");

  // A fresh nonce for every request.
  const again = await page.request.get("/sign-in");
  expect(again.headers()["content-security-policy"]).not.toBe(csp);
});

test("public pages and a missing page load without a CSP violation", async ({ page, context }) => {
  const violations = await watchCsp(context);
  for (const path of ["/sign-in", "/sign-up", "/partners", "/partners/register", "/partners/terms"]) await visit(page, path);
  const missing = await page.goto("/no-such-page");
  expect(missing!.status()).toBe(404);
  await expectNoncedHtml(missing!, "/no-such-page");
  await page.waitForTimeout(500); // the settling window of visit(), for the 404 page
  expect(violations).toEqual([]);
});

test("every operator page loads without a CSP violation", async ({ page, context }) => {
  test.setTimeout(180_000);
  const violations = await watchCsp(context);
  await signIn(page, OPERATOR_EMAIL);
  const pages = ["/ops", "/ops/tenants", "/ops/incidents", "/ops/incidents/webhooks", "/ops/spaces", "/ops/clusters", "/ops/catalog", "/ops/partners", "/ops/cmdb", "/ops/cmdb/types", "/ops/cmdb/changes", "/ops/map", "/ops/slo", "/ops/faults", "/ops/automation", "/ops/usage", "/ops/audit"];
  for (const path of pages) await visit(page, path);
  for (const path of ["/ops/incidents", "/ops/incidents/webhooks"]) await visit(page, path);
  const details = [...(await linkedPages(page, "/ops/cmdb", ["/ops/cmdb/ci_"])), ...(await linkedPages(page, "/ops/slo", ["/ops/slo/"]))];
  for (const path of details) await visit(page, path);
  expect(violations).toEqual([]);
});

test("every tenant page loads without a CSP violation", async ({ page, context }) => {
  test.setTimeout(180_000);
  const violations = await watchCsp(context);
  await signIn(page, "alice@acme.example");
  const base = "/t/acme";
  const pages = ["", "/apps", "/apps/new", "/catalog", "/catalog/storefront", "/catalog/publish", "/spaces", "/sla", "/map", "/cmdb", "/cmdb/changes", "/usage", "/api-keys", "/api-docs", "/partner", "/audit"];
  for (const path of pages) await visit(page, `${base}${path}`);
  for (const path of ["/incidents", "/incidents/webhooks"]) await visit(page, `${base}${path}`);
  await visit(page, "/orgs/new");
  const details = [
    ...(await linkedPages(page, `${base}/apps`, [`${base}/apps/app_`])),
    ...(await linkedPages(page, `${base}/cmdb`, [`${base}/cmdb/ci_`])),
    ...(await linkedPages(page, `${base}/sla`, [`${base}/sla/`])),
  ];
  expect(details.length, "detail pages found").toBeGreaterThan(0);
  for (const path of details) await visit(page, path);
  expect(violations).toEqual([]);
});

// Ajv compiles schemas with `new Function`, which this CSP refuses: a page that validated with it
// would break the moment it ran. The browser checks parameters with @cfworker/json-schema; Ajv
// stays behind `@wharf/contracts/server`. Strings only Ajv's core carries, looked for in every
// chunk the build serves, whether or not a page above happened to load it.
const AJV_MARKERS = ["$schema must be a string", "schema with key or id"];

test("no browser chunk carries Ajv, the schema compiler the CSP would refuse", () => {
  const staticDir = path.resolve(__dirname, "../../apps/web/.next/static");
  const chunks = readdirSync(staticDir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
  expect(chunks.length).toBeGreaterThan(10);
  const withAjv = chunks.filter((file) => {
    const code = readFileSync(path.join(staticDir, file), "utf8");
    return AJV_MARKERS.some((marker) => code.includes(marker));
  });
  expect(withAjv).toEqual([]);
});

test("the console cannot be framed by another page", async ({ page }) => {
  await page.goto(`${otherOrigin()}/api/v1/openapi.json`);
  // The API document has no frame-ancestors: framing it shows that framing works at all.
  const control = new URL("/api/v1/openapi.json", baseURL()).href;
  const wharf = new URL("/sign-in", baseURL()).href;
  // Chromium reports the refusal on the framing page's console: that is the moment to look.
  const refused = page.waitForEvent("console", (message) => message.text().includes("frame-ancestors 'none'"));
  await page.evaluate(([controlUrl, wharfUrl]) => {
    document.body.innerHTML = `<iframe name="control" src="${controlUrl}"></iframe><iframe name="wharf" src="${wharfUrl}"></iframe>`;
  }, [control, wharf]);
  await expect(page.frameLocator("iframe[name=control]").locator("body")).toContainText("openapi");
  expect((await refused).text()).toContain(new URL(wharf).origin);
  await expect(page.frameLocator("iframe[name=wharf]").getByLabel("Password")).toHaveCount(0);
});

test("tRPC mutations and cookie-authenticated routes refuse requests from another site", async ({ page }) => {
  await signIn(page, "dev@acme.example");
  const own = new URL(page.url()).origin;
  const slug = `xsite-${uniqueId()}`.toLowerCase();
  const input = { json: { name: `Cross-site ${slug}`, slug } };

  const crossSite = await page.request.post("/api/trpc/orgs.create", { data: input, headers: { origin: OTHER_SITE, "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  const refusal = (await crossSite.json()) as { error: { code: string; message: string } };
  expect(refusal.error.code).toBe("CROSS_SITE_REQUEST");
  expect(refusal.error.message).toContain("another site");

  // A sibling on the same site is another origin all the same.
  const sibling = await page.request.post("/api/trpc/orgs.create", { data: input, headers: { origin: "http://blog.localhost", "sec-fetch-site": "same-site" } });
  expect(sibling.status()).toBe(403);

  // Without Origin, Sec-Fetch-Site says where a browser request came from: the map and logs routes.
  expect((await page.request.get("/api/topology/graph", { headers: { "sec-fetch-site": "cross-site" } })).status()).toBe(403);
  expect((await page.request.get("/api/apps/logs?orgId=x&appId=y&pod=z", { headers: { "sec-fetch-site": "cross-site" } })).status()).toBe(403);
  // Sign-out through Auth.js, too.
  expect((await page.request.post("/api/auth/signout", { form: { csrfToken: "x" }, headers: { origin: OTHER_SITE } })).status()).toBe(403);

  // The same mutation from the console's own origin goes through, and the refused one changed nothing.
  const sameOrigin = await page.request.post("/api/trpc/orgs.create", { data: input, headers: { origin: own, "sec-fetch-site": "same-origin" } });
  expect(sameOrigin.status()).toBe(200);
  expect(JSON.stringify(await sameOrigin.json())).toContain(slug);

  // The console itself still works: a page that calls tRPC from the browser.
  await page.goto(`/t/${slug}`);
  await expect(page.getByRole("heading", { name: `Cross-site ${slug}`, level: 1 })).toBeVisible();
});

test("the REST API answers CORS preflights and can be read from a page on another origin", async ({ browser }) => {
  // A context without the fixtures' x-forwarded-for, which a real page could not send.
  const context = await browser.newContext();
  const page = await context.newPage();
  const preflight = await page.request.fetch("/api/v1/apps", {
    method: "OPTIONS",
    headers: { origin: OTHER_SITE, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, idempotency-key" },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-origin"]).toBe("*");
  expect(preflight.headers()["access-control-allow-credentials"]).toBeUndefined();
  expect(preflight.headers()["access-control-allow-headers"]).toBe("authorization, content-type, idempotency-key");
  expect(preflight.headers()["access-control-allow-methods"]).toContain("POST");
  expect(Number(preflight.headers()["access-control-max-age"])).toBeGreaterThan(0);

  // A real browser on another origin: the Authorization header makes it preflight first.
  const api = new URL("/api/v1/catalog", baseURL()).href;
  // A page of another origin without a CSP of its own: the API document, by address.
  await page.goto(`${otherOrigin()}/api/v1/openapi.json`);
  const result = await page.evaluate(async (url) => {
    const response = await fetch(url, { headers: { authorization: "Bearer wharf_tnt_not_a_real_key" } });
    return { status: response.status, body: (await response.json()) as { error: { code: string } } };
  }, api);
  expect(result.status).toBe(401);
  expect(result.body.error.code).toBeTruthy();
  await context.close();
});
