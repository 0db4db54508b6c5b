import { OPERATOR_EMAIL, alertWith, expect, newPerson, signIn, tenantWithSpace, test } from "../fixtures";

test("a deployed app gets default SLOs; a tenant manages SLOs, exports OpenSLO and reads the SLA report; an operator sees them read-only", async ({ page, browser }) => {
  test.setTimeout(300_000); // 55 s on its own; past 3 min in full CI runs (see the operator step below)
  const { slug } = await tenantWithSpace(page, "sla");

  await page.goto(`/t/${slug}/catalog`);
  await page.getByRole("link", { name: /Storefront/ }).first().click();
  await page.getByTestId("version-1.3.0").getByRole("button", { name: "Details" }).click();
  await page.getByRole("link", { name: "Deploy 1.3.0" }).click();
  await page.getByLabel("App name").fill("shop");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("app-phase")).toBeVisible();

  // The SLA page lists the app's service with its two default SLOs.
  await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "SLA" }).click();
  const services = page.getByRole("table", { name: "Services" });
  await expect(services).toContainText("/shop");
  await expect(services).toContainText("availability");
  await expect(services).toContainText("latency");
  await expect(page.getByRole("table", { name: /SLA report/ })).toContainText("/shop");

  await services.getByRole("link", { name: /\/shop$/ }).click();
  const slos = page.getByRole("table", { name: "Service level objectives" });
  // The service's first SLA read computes its SLIs over the window; on a loaded CI machine, with
  // the embedded Postgres serving one transaction at a time, that has taken longer than 15 s.
  await expect(slos.getByTestId("slo-row-availability")).toContainText("99.5 % of requests succeed over 28d", { timeout: 45_000 });
  await expect(slos.getByTestId("slo-row-latency")).toContainText("99 % of requests within 500 ms over 28d");
  await expect(page.getByRole("img", { name: "Latency p50 / p95 / p99" })).toBeVisible();
  await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "7d" }).click();
  await expect(page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "7d" })).toHaveAttribute("aria-pressed", "true");

  // Create, edit and delete an SLO.
  await page.getByRole("button", { name: "New SLO" }).click();
  await page.getByLabel("Name", { exact: true }).fill("checkout-fast");
  await page.getByLabel("Indicator").selectOption("latency");
  await page.getByLabel("Threshold (ms)").fill("250");
  await page.getByLabel("Objective (%)").fill("95");
  await page.getByRole("button", { name: "Create SLO" }).click();
  await expect(slos.getByTestId("slo-row-checkout-fast")).toContainText("95 % of requests within 250 ms over 28d");

  await page.getByRole("button", { name: "Edit checkout-fast" }).click();
  await page.getByLabel("Objective (%)").fill("97.5");
  await page.getByLabel("Window").selectOption("7d");
  await page.getByRole("button", { name: "Save SLO" }).click();
  await expect(slos.getByTestId("slo-row-checkout-fast")).toContainText("97.5 % of requests within 250 ms over 7d");

  // OpenSLO: the export names the service; an invalid import says which document and field, and stores nothing.
  await page.getByRole("button", { name: "Export this service's SLOs" }).click();
  await expect(page.getByLabel("OpenSLO export")).toContainText("apiVersion: openslo/v1");
  await expect(page.getByLabel("OpenSLO export")).toContainText("name: checkout-fast");
  await page.getByLabel("OpenSLO YAML to import").fill("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: broken\n");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(alertWith(page, /Nothing was imported.*document\.spec/)).toBeVisible();

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete checkout-fast" }).click();
  await expect(slos.getByTestId("slo-row-checkout-fast")).toHaveCount(0);
  await expect(page.getByRole("table", { name: /SLA report/ })).toContainText("availability");

  // An operator finds the tenant's SLOs and opens the service read-only.
  const operator = await newPerson(browser);
  await signIn(operator.page, OPERATOR_EMAIL);
  await operator.page.goto("/ops/slo");
  await operator.page.getByLabel("Tenant (slug)").fill(slug);
  await operator.page.getByRole("button", { name: "Filter" }).click();
  const all = operator.page.getByRole("table", { name: "SLOs across tenants" });
  await expect(all.getByRole("row")).toHaveCount(3); // header + the two defaults
  await all.getByRole("link", { name: /\/shop$/ }).first().click();
  // The service's SLA read has taken past 15 s here in full CI runs, on PGlite and on Postgres
  // alike (the page showed its spinner), while it takes well under a second on its own: not
  // explained yet (closing note of 2026-12-07). Waited for as long as the tenant's first read.
  await expect(operator.page.getByText("Read-only")).toBeVisible({ timeout: 45_000 });
  await expect(operator.page.getByRole("table", { name: "Service level objectives" })).toContainText("availability");
  await expect(operator.page.getByRole("button", { name: "New SLO" })).toHaveCount(0);
  await operator.context.close();
});
