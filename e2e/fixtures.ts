import { type Browser, type BrowserContext, type Page, test as base, expect } from "@playwright/test";

export const DEMO_PASSWORD = "wharf-demo-password";
export const OPERATOR_EMAIL = "ops@wharf.local";

let counter = 0;
export function uniqueId(): string {
  return `${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A documentation-range address per context: each "person" comes from their own IP. */
function clientAddress(): string {
  return `198.51.100.${Math.floor(Math.random() * 250) + 1}, 203.0.113.${Math.floor(Math.random() * 250) + 1}`;
}

export async function newPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
  return { context, page: await context.newPage() };
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
}

/** Fills the sign-up form; unless told it will fail, waits until the new account has left the page. */
export async function signUp(page: Page, person: { name: string; email: string; password?: string }, { expectFailure = false } = {}) {
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password ?? "a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  if (!expectFailure) await page.waitForURL((url) => !url.pathname.startsWith("/sign-up"));
}

/** The visible alert with this text (Next.js keeps an empty route announcer with role=alert too). */
export function alertWith(page: Page, text: string | RegExp) {
  return page.getByRole("alert").filter({ hasText: text });
}

export async function createOrganization(page: Page, name: string): Promise<string> {
  await page.goto("/orgs/new");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  return new URL(page.url()).pathname.split("/")[2]!;
}

/**
 * Playwright's test, with every page coming from its own client address. When a test fails, what
 * its pages showed is attached as text, which the console report prints: CI keeps no screenshots.
 */
export const test = base.extend({
  context: async ({ browser }, use, testInfo) => {
    const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": clientAddress() } });
    const browserErrors: string[] = [];
    context.on("console", (message) => {
      if (message.type() === "error") browserErrors.push(`${message.page()?.url() ?? ""}: ${message.text()}`);
    });
    context.on("weberror", (error) => browserErrors.push(`${error.page()?.url() ?? ""}: ${error.error().message}`));
    await use(context);
    if (testInfo.status !== testInfo.expectedStatus) {
      if (browserErrors.length > 0) await testInfo.attach("browser errors", { body: browserErrors.join(" · ").slice(0, 3_000), contentType: "text/plain" });
      // Every person's pages (newPerson opens their own contexts in the same browser), not only this one's.
      for (const page of browser.contexts().flatMap((c) => c.pages())) {
        // The page's own content (not the navigation), on one line: the report shortens long attachments.
        const text = await page.locator("main").first().innerText({ timeout: 2_000 }).catch((error: Error) => `(unreadable: ${error.message})`);
        const alerts = (await page.getByRole("alert").allInnerTexts().catch(() => [])).filter((t) => t.trim() !== "");
        if (alerts.length > 0) await testInfo.attach(`alerts on ${page.url()}`, { body: alerts.join(" · "), contentType: "text/plain" });
        await testInfo.attach(`what ${page.url()} showed`, { body: text.replace(/\s*\n+\s*/g, " · ").slice(0, 3_000), contentType: "text/plain" });
      }
    }
    await context.close();
  },
});

export { expect };

/** Calls a tRPC mutation with the page's session, for test set-up that is not what the test is about. */
export async function trpcMutation<T = unknown>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!response.ok() || !body.result) throw new Error(`${path} failed (${response.status()}): ${body.error?.json.message}`);
  return body.result.data.json;
}

/** A new tenant with a ready space named `prod` on sim-1, signed in on `page`. */
export async function tenantWithSpace(page: Page, label: string): Promise<{ slug: string; email: string }> {
  const id = uniqueId();
  const email = `${label}-${id}@example.test`;
  await page.goto("/sign-up");
  await signUp(page, { name: `${label} owner`, email });
  const slug = await createOrganization(page, `${label} ${id}`);
  await page.goto(`/t/${slug}/spaces`);
  await page.getByLabel("Space name").fill("prod");
  await page.getByLabel("Cluster").selectOption({ label: "sim-1 (local-east)" });
  await page.getByRole("button", { name: "Create space" }).click();
  await expect(page.getByTestId("space-prod")).toContainText("ready");
  return { slug, email };
}
