import { OPERATOR_EMAIL, expect, newPerson, signIn, test, uniqueId } from "../fixtures";

// The worker's informers discover the demo apps' clusters, namespaces and workloads a few
// seconds after start; the lists read the database, so the test waits for the rows to appear.
const DISCOVERY_TIMEOUT_MS = 60_000;

test("an operator finds discovered items, links a team as owner of an app and sees who a cluster outage would hit", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, OPERATOR_EMAIL);
  const team = `Checkout team ${uniqueId()}`;

  // A team is something no machine can see: added by hand, platform-wide.
  await page.goto("/ops/cmdb");
  await page.getByRole("button", { name: "Add an item" }).click();
  const form = page.getByRole("form", { name: "New item" });
  await form.getByLabel("Type").selectOption("team");
  await form.getByLabel("Name").fill(team);
  await form.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("heading", { name: team })).toBeVisible();

  // The storefront app is discovered (source wharf), filtered by search and by the type facet in the URL.
  await page.goto("/ops/cmdb?q=storefront&type=app");
  const rows = page.getByRole("table", { name: "Configuration items" });
  await expect(rows.getByRole("link", { name: "storefront", exact: true })).toBeVisible({ timeout: DISCOVERY_TIMEOUT_MS });
  await expect(page.getByRole("group", { name: "Type facet" }).getByRole("button", { name: /^app \d+$/ })).toHaveAttribute("aria-pressed", "true");
  await rows.getByRole("link", { name: "storefront", exact: true }).click();
  await expect(page.getByRole("heading", { name: "storefront" })).toBeVisible();
  const relations = page.getByRole("table", { name: "Relations" });
  await expect(relations).toContainText("runs-as");

  const add = page.getByRole("form", { name: "Add a relation" });
  await add.getByLabel("Relation").selectOption("owned-by");
  await add.getByLabel("Find item").fill(team);
  await add.getByLabel("Item", { exact: true }).selectOption({ label: `${team} (team)` });
  await add.getByRole("button", { name: "Add relation" }).click();
  await expect(relations.getByRole("row").filter({ hasText: "owned-by" })).toContainText(team);

  // Both ways: the team's page lists what it owns, and the history names who linked it.
  await relations.getByRole("link", { name: team }).click();
  await expect(page.getByRole("table", { name: "Relations" }).getByRole("row").filter({ hasText: "owns" })).toContainText("storefront");
  await page.getByRole("tab", { name: "History" }).click();
  await expect(page.getByRole("table", { name: "History" })).toContainText(OPERATOR_EMAIL);

  // If the cluster the demo apps run on went down: the tenants on it are affected.
  await page.goto("/ops/cmdb?q=sim-1&type=cluster");
  await rows.getByRole("link", { name: "sim-1", exact: true }).click();
  await page.getByRole("tab", { name: "Impact" }).click();
  await expect(page.getByRole("table", { name: "Tenants affected" })).toContainText("Acme Retail", { timeout: DISCOVERY_TIMEOUT_MS });
  await expect(page.getByRole("region", { name: "Impact graph" }).getByTestId("dependency-map")).toBeVisible();
  await expect(page.getByRole("table", { name: "Items affected" })).toContainText("storefront");
});

test("a tenant's CMDB holds its own items and none of another tenant's", async ({ browser }) => {
  const { page } = await newPerson(browser);
  await signIn(page, "gina@globex.example");
  await page.goto("/t/globex/cmdb?q=cart&type=app");
  const rows = page.getByRole("table", { name: "Configuration items" });
  await expect(rows.getByRole("link", { name: "cart", exact: true })).toBeVisible({ timeout: DISCOVERY_TIMEOUT_MS });

  // Acme runs a storefront; Globex does not, so nothing by that name is Globex's.
  await page.goto("/t/globex/cmdb?q=storefront&type=app");
  await expect(page.getByText("No items match")).toBeVisible();
  await page.goto("/t/globex/cmdb");
  await expect(rows.getByTestId("ci-row").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Configuration items" })).not.toContainText("Acme");
});
