import { OPERATOR_EMAIL, expect, newPerson, signIn, test } from "../fixtures";

// Demo traffic (embedded mode) reaches the map through the real OTLP ingest; the first
// rollups land within a few seconds of start, and the map refreshes every 15 s.
const TRAFFIC_TIMEOUT_MS = 90_000;

test("the operator map draws the demo services and lists each with its state", async ({ page }) => {
  await signIn(page, OPERATOR_EMAIL);
  await page.goto("/ops/map");
  await expect(page.getByRole("img", { name: /Service dependency map: \d+ services/ })).toBeVisible({ timeout: TRAFFIC_TIMEOUT_MS });
  await expect(page.getByTestId("dependency-map")).toHaveAttribute("data-first-frame-ms", /\d+/);

  const services = page.getByRole("table", { name: "Services on the map and their state" });
  for (const name of ["storefront", "cart", "payments", "auth"]) {
    await expect(services.locator(`tr[data-service="${name}"]`).first()).toHaveAttribute("data-state", /^(ok|warning|critical|idle)$/, { timeout: TRAFFIC_TIMEOUT_MS });
  }

  // Selecting a service from the list opens its details with its tenant and a link to it.
  await page.getByLabel("Search services").fill("storefront");
  await services.getByRole("button", { name: "storefront" }).first().click();
  const details = page.getByRole("region", { name: "Service storefront" });
  await expect(details).toContainText("Tenant");
  await expect(details.getByRole("link", { name: "Open service" })).toHaveAttribute("href", /^\/ops\/slo\/svc_/);
});

test("a fault injected on a demo service turns it red on the map", async ({ page }) => {
  test.setTimeout(240_000);
  const service = "catalog-api";
  await signIn(page, OPERATOR_EMAIL);
  await page.goto("/ops/map");
  await page.getByLabel("Time window").selectOption("5m");
  await page.getByLabel("Search services").fill(service);
  const row = page.getByRole("table", { name: "Services on the map and their state" }).locator(`tr[data-service="${service}"]`).first();
  await expect(row).toHaveAttribute("data-state", /^(ok|warning|idle)$/, { timeout: TRAFFIC_TIMEOUT_MS });

  await page.goto("/ops/faults");
  await page.getByLabel("Service").fill(service);
  await page.getByLabel("Error rate").fill("1");
  await page.getByLabel("Duration (minutes)").fill("3");
  await page.getByRole("button", { name: "Inject fault" }).click();
  await expect(page.getByText(`Fault on ${service} injected`)).toBeVisible();
  try {
    await page.goto("/ops/map");
    await page.getByLabel("Time window").selectOption("5m");
    await page.getByLabel("Search services").fill(service);
    // Every request failing: the error rate over five minutes passes 5% within the first minute.
    await expect(row).toHaveAttribute("data-state", "critical", { timeout: 150_000 });
    await expect(row).toContainText(/failing|page alert|budget exhausted/);

    // The worker evaluates SLOs every few seconds in e2e: the availability SLO's fast-burn page opens.
    await page.goto("/ops/slo");
    await page.getByLabel("Tenant (slug)").fill("acme");
    await page.getByLabel("Tenant (slug)").press("Enter");
    const availability = page.locator(`tr[data-testid$="/${service}-availability"]`);
    await expect(async () => {
      await page.reload();
      await page.getByLabel("Tenant (slug)").fill("acme");
      await page.getByLabel("Tenant (slug)").press("Enter");
      await expect(availability).toContainText("1h/5m at 14.4x", { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
  } finally {
    await page.goto("/ops/faults");
    await page.getByRole("button", { name: `Clear the fault on ${service}` }).click();
  }
});

test("the map's graph route keeps each tenant to its own map and the whole map to operators", async ({ browser, page }) => {
  await signIn(page, OPERATOR_EMAIL);
  // acme's id, from the operator's map once its demo services have sent traffic.
  let acmeId: string | undefined;
  await expect
    .poll(
      async () => {
        const whole = await page.request.get("/api/topology/graph?window=15m");
        expect(whole.status()).toBe(200);
        acmeId = ((await whole.json()) as { tenants: { id: string; slug: string }[] }).tenants.find((t) => t.slug === "acme")?.id;
        return acmeId;
      },
      { timeout: TRAFFIC_TIMEOUT_MS },
    )
    .toMatch(/^org_/);

  const { context, page: gina } = await newPerson(browser);
  try {
    await signIn(gina, "gina@globex.example");
    // Not an operator: no whole map; not a member of acme: not its map either.
    expect((await gina.request.get("/api/topology/graph?window=15m")).status()).toBe(403);
    const other = await gina.request.get(`/api/topology/graph?orgId=${acmeId}&window=15m`);
    expect(other.status()).toBe(404);
    expect(await other.text()).not.toContain("svc_");
  } finally {
    await context.close();
  }
});
