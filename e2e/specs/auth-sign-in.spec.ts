import { alertWith, expect, signIn, test, uniqueId } from "../fixtures";

test("signs in, refuses a wrong password, and signs out", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("alice@acme.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alertWith(page, "Email or password is incorrect")).toBeVisible();

  await signIn(page, "alice@acme.example");
  await page.getByLabel("Organisation").selectOption("acme");
  await expect(page.getByRole("heading", { name: "Acme Retail", level: 1 })).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name.includes("session-token"))).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("throttles sign-in after 10 failures with 429 and Retry-After", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `192.0.2.${Math.floor(Math.random() * 250)}` } });
  const email = `victim-${uniqueId()}@example.test`;
  const attempt = async () => {
    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    return request.post("/api/auth/callback/credentials", {
      form: { email, password: "wrong password", csrfToken },
      headers: { "X-Auth-Return-Redirect": "1" },
    });
  };
  for (let i = 0; i < 10; i++) expect((await attempt()).status()).toBe(200);
  const blocked = await attempt();
  expect(blocked.status()).toBe(429);
  expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(800);
  expect((await blocked.json()).error.message).toMatch(/Too many failed sign-ins/);
  await request.dispose();
});

test("an invitation link that was never issued is refused", async ({ page }) => {
  await page.goto("/invite/ThisTokenWasNeverIssuedToAnyone");
  await expect(page.getByText("This invitation link is not valid")).toBeVisible();
});
