import { type Page } from "@playwright/test";
import { OPERATOR_EMAIL, expect, signIn, test, trpcMutation, uniqueId } from "../fixtures";

const count = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());

test("the operator console opens on the overview: counts from the database, each linking to its page", async ({ page }) => {
  await signIn(page, OPERATOR_EMAIL);
  await page.getByRole("link", { name: "Operator console" }).click();
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();

  for (const tile of ["incidents", "slos", "clusters", "operations", "approvals"]) {
    await expect(page.getByTestId(`overview-${tile}-count`)).toHaveText(/^\d+$/);
  }
  // Embedded mode registers two simulated clusters.
  await expect(page.getByTestId("overview-clusters")).toContainText(/Clusters registered\s*[2-9]/);

  // A declared incident shows up in its severity's count; it is resolved again at the end.
  const incident = await trpcMutation<{ id: string }>(page, "incidents.platformDeclare", { title: `Overview check ${uniqueId()}`, severity: "SEV1" });
  try {
    await page.reload();
    await expect.poll(() => count(page, "overview-incidents-count")).toBeGreaterThanOrEqual(1);
    const sev1 = page.getByTestId("overview-incidents-SEV1");
    await expect(sev1).toHaveAttribute("href", "/ops/incidents?status=OPEN&severity=SEV1");
    await expect(sev1).not.toHaveText(/SEV1 · 0/);
  } finally {
    await trpcMutation(page, "incidents.platformTransition", { incidentId: incident.id, transition: "resolve" });
  }

  const tiles = (testId: string) => page.getByTestId(testId);
  await expect(tiles("overview-incidents").getByRole("link", { name: "Open incidents" })).toHaveAttribute("href", "/ops/incidents?status=OPEN");
  await expect(tiles("overview-slos").getByRole("link", { name: "SLOs paging" })).toHaveAttribute("href", "/ops/slo");
  await expect(tiles("overview-clusters").getByRole("link", { name: "Clusters unreachable" })).toHaveAttribute("href", "/ops/clusters");
  await expect(tiles("overview-approvals-catalog")).toHaveAttribute("href", "/ops/catalog");
  await expect(tiles("overview-approvals-partners")).toHaveAttribute("href", "/ops/partners");

  // Failed operations open the clusters page with the operations list filtered to them.
  await tiles("overview-operations").getByRole("link", { name: "Operations failed" }).click();
  await expect(page).toHaveURL(/\/ops\/clusters\?operations=FAILED#operations$/);
  await expect(page.getByLabel("State")).toHaveValue("FAILED");

  const nav = page.getByRole("navigation", { name: "Operator console" });
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("href", "/ops");
  await expect(nav.getByRole("link", { name: "Incidents" })).toHaveAttribute("href", "/ops/incidents");
  await nav.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
});

test("the tenant list is one click from the overview, and suspending a tenant asks first, naming it", async ({ page }) => {
  await signIn(page, OPERATOR_EMAIL);
  await page.goto("/ops");
  await page.getByRole("link", { name: "All tenants" }).click();
  await expect(page).toHaveURL(/\/ops\/tenants$/);
  await expect(page.getByRole("heading", { name: "Tenants", level: 1 })).toBeVisible();

  await page.getByLabel("Search by name or address").fill("acme");
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByTestId("tenant-acme");
  await expect(row).toContainText("active");
  // No bare destructive button on the row: it opens a confirmation.
  await expect(row.getByRole("button", { name: "Suspend Acme Retail" })).toHaveCount(0);

  await row.getByRole("button", { name: "Suspend…" }).click();
  const dialog = page.getByRole("dialog", { name: "Suspend Acme Retail?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Members of Acme Retail (acme)");
  // Without a reason nothing is sent: the form refuses to submit.
  await dialog.getByRole("button", { name: "Suspend Acme Retail" }).click();
  await expect(dialog).toBeVisible();
  expect(await dialog.getByLabel("Reason").evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing)).toBe(true);

  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await row.getByRole("button", { name: "Suspend…" }).click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("active");
});
