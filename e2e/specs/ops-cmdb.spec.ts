import { OPERATOR_EMAIL, expect, newPerson, signIn, test, uniqueId } from "../fixtures";

// The demo apps are deployed one after another at start, and the worker's informers discover
// each Deployment as it lands; the lists read the database, so the test waits for the rows.
const DISCOVERY_TIMEOUT_MS = 120_000;

test("an operator finds discovered items, links a team as owner of an app and sees who a cluster outage would hit", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, OPERATOR_EMAIL);
  const team = `Checkout team ${uniqueId()}`;

  // Teams are what no machine can see: imported from a CSV, checked row by row before anything is written.
  await page.goto("/ops/cmdb");
  await page.getByRole("button", { name: "Import…" }).click();
  const csv = ["type,name,owner,tier,email", `team,${team},checkout,tier-1,checkout@example.test`, `team,Search ${team},,tier-1,`, `team,Broken ${team},,tier-9,`].join("\n");
  await page.getByLabel("File to import").setInputFiles({ name: "teams.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("import-summary")).toHaveText("3 rows read: 2 items and 0 relations valid, 1 problems.");
  await expect(page.getByRole("table", { name: "Rows that will not be imported" })).toContainText("tier");
  await page.getByRole("button", { name: "Import 2 valid rows" }).click();
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toHaveAttribute("value", "2");
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toHaveText("Imported 2 of 2 rows.");

  // The storefront app is discovered (source wharf), filtered by search and by the type facet in the URL.
  await page.goto("/ops/cmdb?q=storefront&type=app");
  const rows = page.getByRole("table", { name: "Configuration items" });
  await expect(rows.getByRole("link", { name: "storefront", exact: true })).toBeVisible({ timeout: DISCOVERY_TIMEOUT_MS });
  await expect(page.getByRole("group", { name: "Type facet" }).getByRole("button", { name: /^app \d+$/ })).toHaveAttribute("aria-pressed", "true");
  // Operators also count by organisation, by name, and the pick is kept in the URL.
  const byOrg = page.getByRole("group", { name: "Organisation facet" });
  await byOrg.getByRole("button", { name: /^Acme Retail \d+$/ }).click();
  await expect(page).toHaveURL(/[?&]org=org_/);
  await expect(byOrg.getByRole("button", { name: /^Acme Retail \d+$/ })).toHaveAttribute("aria-pressed", "true");
  await expect(rows.getByRole("link", { name: "storefront", exact: true })).toBeVisible();
  await rows.getByRole("link", { name: "storefront", exact: true }).click();
  await expect(page.getByRole("heading", { name: "storefront" })).toBeVisible();
  const relations = page.getByRole("table", { name: "Relations" });
  await expect(relations).toContainText("runs-as");

  const add = page.getByRole("form", { name: "Add a relation" });
  await add.getByLabel("Relation").selectOption("owned-by");
  await add.getByLabel("Find item").fill(team);
  await add.getByLabel("Item", { exact: true }).selectOption({ label: `${team} (team)` });
  await add.getByRole("button", { name: "Add relation" }).click();
  await expect(relations.getByRole("row").filter({ hasText: team })).toContainText("owned-by");

  // Both ways: the team's page lists what it owns, and its history says it was imported, and by whom.
  await relations.getByRole("link", { name: team }).click();
  await expect(page.getByRole("heading", { name: team })).toBeVisible();
  await expect(page.getByRole("table", { name: "Relations" }).getByRole("row").filter({ hasText: "storefront" })).toContainText("owns");
  await page.getByRole("tab", { name: "History" }).click();
  const history = page.getByRole("table", { name: "History" });
  await expect(history).toContainText("imported");
  await expect(history).toContainText(OPERATOR_EMAIL);

  // If the cluster the demo apps run on went down: the tenants on it are affected.
  await page.goto("/ops/cmdb?q=sim-1&type=cluster");
  await rows.getByRole("link", { name: "sim-1", exact: true }).click(); // "sim 1": a search splits names at dashes
  await page.getByRole("tab", { name: "Impact" }).click();
  await expect(page.getByRole("table", { name: "Tenants affected" })).toContainText("Acme Retail", { timeout: DISCOVERY_TIMEOUT_MS });
  await expect(page.getByRole("region", { name: "Impact graph" }).getByTestId("dependency-map")).toBeVisible();
  await expect(page.getByRole("table", { name: "Items affected" })).toContainText("storefront");
});

test("a tenant's CMDB holds its own items and none of another tenant's", async ({ browser }) => {
  test.setTimeout(180_000);
  const { page } = await newPerson(browser);
  await signIn(page, "gina@globex.example");
  await page.goto("/t/globex/cmdb?q=redis&type=app");
  const rows = page.getByRole("table", { name: "Configuration items" });
  await expect(rows.getByRole("link", { name: "redis-cache", exact: true })).toBeVisible({ timeout: DISCOVERY_TIMEOUT_MS });

  // Acme runs a storefront; Globex does not, so nothing by that name is Globex's.
  await page.goto("/t/globex/cmdb?q=storefront&type=app");
  await expect(page.getByText("No items match")).toBeVisible();
  await page.goto("/t/globex/cmdb");
  await expect(rows.getByTestId("ci-row").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Configuration items" })).not.toContainText("Acme");
});

test("an operator adds a custom type, fills its attributes from the schema, and a schema change that would break items is refused naming them", async ({ page }) => {
  await signIn(page, OPERATOR_EMAIL);
  const key = `vendor-${uniqueId().toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 12)}`;
  await page.goto("/ops/cmdb/types");
  await page.getByRole("button", { name: "New type" }).click();
  const form = page.getByRole("form", { name: "New type" });
  await form.getByLabel("Key").fill(key);
  await form.getByLabel("Name").fill(`Vendor ${key}`);
  await form.getByLabel("Attribute schema (JSON Schema)").fill(JSON.stringify({ type: "object", properties: { vendor: { type: "string", title: "Vendor" } } }));
  await form.getByRole("button", { name: "Create type" }).click();
  await expect(form).toBeHidden(); // the form closes once the type is created
  await expect(page.getByTestId(`ci-type-${key}`)).toContainText("vendor");

  await page.goto("/ops/cmdb");
  await page.getByRole("button", { name: "Add an item" }).click();
  const item = page.getByRole("form", { name: "New item" });
  await item.getByLabel("Type").selectOption(key);
  await item.getByLabel("Name").fill(`Card processor ${key}`);
  await item.getByLabel("Vendor").fill("Acquirer Ltd");
  await item.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("heading", { name: `Card processor ${key}` })).toBeVisible();
  await expect(page.getByText("Acquirer Ltd")).toBeVisible();

  await page.goto("/ops/cmdb/types");
  await page.getByRole("button", { name: `Edit Vendor ${key}` }).click();
  const edit = page.getByRole("form", { name: `Edit Vendor ${key}` });
  await edit.getByLabel("Attribute schema (JSON Schema)").fill(JSON.stringify({ type: "object", properties: { vendor: { type: "string" }, contract: { type: "string" } }, required: ["contract"] }));
  await edit.getByRole("button", { name: "Save type" }).click();
  await expect(edit.getByRole("alert")).toContainText(`Card processor ${key}`);
});
