import { OPERATOR_EMAIL, expect, newPerson, signIn, tenantWithSpace, test, uniqueId } from "../fixtures";

// The automation loop end to end: a tenant releases an upgrade as a canary, the demo traffic
// generator splits the app's requests between the two revisions, an operator makes the canary
// revision fail, and the worker judges the step on the per-revision rollups and aborts the
// release by itself, with the numbers that failed it; the app stays on the stable revision.
test("a bad canary aborts itself and the app is back on the stable revision, with the reason shown", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const { slug } = await tenantWithSpace(page, "canary");
  const name = `shop-${uniqueId()}`.slice(0, 30);

  await page.goto(`/t/${slug}/catalog`);
  await page.getByRole("link", { name: /Storefront/ }).first().click();
  await page.getByTestId("version-1.3.0").getByRole("button", { name: "Details" }).click();
  await page.getByRole("link", { name: "Deploy 1.3.0" }).click();
  await page.getByLabel("App name").fill(name);
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("app-phase")).toContainText(/available/i, { timeout: 60_000 });

  // Half the traffic to the canary for 20 s, judged once 5 of its requests are in.
  await page.getByRole("navigation", { name: "App" }).getByRole("button", { name: "Release" }).click();
  const form = page.getByRole("form", { name: "Start a canary release" });
  await form.getByLabel("Version").selectOption({ label: "1.4.2 (newest)" });
  await form.getByLabel("Canary weights (%)").fill("50, 100");
  await form.getByLabel("Pause per step (s)").fill("20");
  await form.getByLabel("Minimum requests").fill("5");
  await form.getByRole("button", { name: "Start canary" }).click();
  await expect(page.getByTestId("release-state")).toHaveText("RUNNING");
  await expect(page.getByTestId("release-weight")).toHaveText("50%");
  await expect(page.getByTestId("release-mode")).toContainText(/HTTPRoute|replica ratio/);

  // The operator makes every request to the canary revision (revision 2) fail.
  const operator = await newPerson(browser);
  await signIn(operator.page, OPERATOR_EMAIL);
  await operator.page.goto("/ops/faults");
  await operator.page.getByLabel("Service").fill(name);
  await operator.page.getByLabel("Error rate").fill("1");
  await operator.page.getByLabel("Extra latency (ms)").fill("0");
  await operator.page.getByLabel("Duration (minutes)").fill("10");
  await operator.page.getByLabel("Revision").fill("2");
  await operator.page.getByRole("button", { name: "Inject fault" }).click();
  await expect(operator.page.getByTestId("fault-row").filter({ hasText: name })).toContainText("revision 2");

  // The worker aborts by itself once the step has run and the canary has had its requests.
  await expect(page.getByTestId("release-state")).toHaveText("ABORTED", { timeout: 180_000 });
  // Which step fails depends on how much of the first one ran before the fault took hold.
  await expect(page.getByTestId("release-reason")).toContainText(/^aborted automatically at (50|100)%: canary error rate [\d.]+% \(\d+ of \d+\) against stable 0%/);
  await expect(page.getByText(/revision 1 → 2/)).toBeVisible();

  // The app runs its stable revision: still 1.3.0, revision 1, no canary badge.
  await expect(page.getByText(/^Storefront 1\.3\.0 · prod on .* · revision 1$/)).toBeVisible();
  await expect(page.getByText(/Canary at/)).toHaveCount(0);

  // The operator sees the automatic decision on the automation page.
  await operator.page.goto("/ops/automation");
  await expect(operator.page.getByRole("table", { name: /automatic decisions/i })).toContainText(name);
  await operator.context.close();
});
