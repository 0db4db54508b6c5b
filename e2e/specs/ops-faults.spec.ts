import { OPERATOR_EMAIL, expect, signIn, test } from "../fixtures";

test("demo traffic reaches ingest, and an operator injects and clears a traffic fault", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, OPERATOR_EMAIL);

  // The embedded demo traffic generator sends the seeded demo apps' spans through /api/otlp.
  const input = encodeURIComponent(JSON.stringify({ json: { query: "storefront", limit: 10 } }));
  await expect
    .poll(
      async () => {
        const response = await page.request.get(`/api/trpc/telemetry.serviceNames?input=${input}`);
        const body = (await response.json()) as { result?: { data: { json: { items: Array<{ name: string }> } } } };
        return body.result?.data.json.items.map((s) => s.name) ?? [];
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toContain("storefront");

  await page.goto("/ops/faults");
  await page.getByRole("link", { name: "Faults" }).click();
  await expect(page.getByRole("heading", { name: "Traffic faults" })).toBeVisible();
  await page.getByLabel("Service").fill("storefront");
  await page.getByLabel("Error rate").fill("0.5");
  await page.getByLabel("Extra latency (ms)").fill("200");
  await page.getByLabel("Duration (minutes)").fill("5");
  // Not a revision: refused with the field's message, nothing injected.
  await page.getByLabel("Revision").fill("1.5");
  await page.getByRole("button", { name: "Inject fault" }).click();
  await expect(page.getByText("A revision is a whole number, like 2")).toBeVisible();
  const row = page.getByTestId("fault-row").filter({ hasText: "storefront" });
  await expect(row).toHaveCount(0);

  await page.getByLabel("Revision").fill("1");
  await page.getByRole("button", { name: "Inject fault" }).click();
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("revision 1");
  await expect(row).toContainText("50%");
  await expect(row).toContainText("+200 ms");
  await expect(row).toContainText(OPERATOR_EMAIL);
  await page.getByRole("button", { name: "Clear the fault on storefront" }).click();
  await expect(row).toHaveCount(0);

  // Without a revision it covers all of them.
  await page.getByLabel("Revision").fill("");
  await page.getByRole("button", { name: "Inject fault" }).click();
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("all revisions");
  await page.getByRole("button", { name: "Clear the fault on storefront" }).click();
  await expect(row).toHaveCount(0);
});

test("only operators reach the faults page", async ({ page }) => {
  await signIn(page, "alice@acme.example");
  await page.goto("/ops/faults");
  await expect(page.getByText("The operator console is for the platform team.")).toBeVisible();
});
