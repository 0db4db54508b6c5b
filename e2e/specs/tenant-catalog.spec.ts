import { OPERATOR_EMAIL, alertWith, expect, newPerson, signIn, test, uniqueId } from "../fixtures";

test("a tenant browses the catalog, searches, filters by category and opens an item", async ({ page, browser }) => {
  await signIn(page, "dev@acme.example");
  await page.goto("/t/acme");
  await page.getByRole("link", { name: "Catalog", exact: true }).click();

  await expect(page.getByTestId("catalog-card-storefront")).toContainText("v1.4.2");
  await expect(page.getByTestId("catalog-card-acme-erp-connector")).toContainText("shared with you");
  await expect(page.getByTestId("catalog-card-legacy-search")).toHaveCount(0);

  await page.getByLabel("Search the catalog").fill("payments");
  await expect(page.getByTestId("catalog-card-payments")).toBeVisible();
  await expect(page.getByTestId("catalog-card-storefront")).toHaveCount(0);
  await page.getByLabel("Search the catalog").fill("no-such-thing-anywhere");
  await expect(page.getByText("Nothing matches")).toBeVisible();
  await page.getByLabel("Search the catalog").fill("");

  await page.getByRole("button", { name: "cache", exact: true }).click();
  await expect(page.getByTestId("catalog-card-redis-cache")).toBeVisible();
  await expect(page.getByTestId("catalog-card-storefront")).toHaveCount(0);

  await page.getByTestId("catalog-card-redis-cache").click();
  await expect(page.getByRole("heading", { name: "Redis Cache", level: 2 })).toBeVisible();
  await expect(page.getByTestId("version-7.4.1")).toContainText("ghcr.io/wharf-demo/redis-cache:7.4.1");
  await expect(page.getByTestId("version-7.2.5")).toBeVisible();
  await expect(page.getByTestId("markdown")).toContainText("Nothing is persisted");
  await expect(page.getByRole("link", { name: "Deploy 7.4.1" })).toHaveAttribute("href", /^\/t\/acme\/apps\/new\?version=cv_/);

  await page.goto("/t/acme/catalog/storefront");
  await expect(page.getByText("Depends on")).toBeVisible();
  await page.getByRole("link", { name: "cart", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Cart", level: 2 })).toBeVisible();

  // A restricted item is not there for another tenant.
  const globex = await newPerson(browser);
  await signIn(globex.page, "hank@globex.example");
  await globex.page.goto("/t/globex/catalog/acme-erp-connector");
  await expect(globex.page.getByText("Catalog item not found")).toBeVisible();
  await globex.context.close();
});

test("an admin submits a draft, an operator approves it, and it is in the catalog", async ({ page, browser }) => {
  const slug = `e2e-${uniqueId()}`.slice(0, 40);
  await signIn(page, "alice@acme.example");
  await page.goto("/t/acme/catalog");
  await page.getByRole("link", { name: "Publish to the catalog" }).click();

  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name", { exact: true }).fill(`Billing ${slug}`);
  await page.getByLabel("Summary").fill("Invoices and receipts for the shop.");
  await page.getByLabel("Categories").fill("commerce, billing");
  await page.getByLabel("Description (markdown)").fill("## Billing\n\nSends **invoices**.");
  await page.getByRole("button", { name: "Create draft" }).click();
  const manage = page.getByTestId("manage-item");
  await expect(manage).toContainText(`Billing ${slug}`);
  await expect(page.getByTestId(`my-item-${slug}`)).toContainText("draft");

  await page.getByLabel("Version", { exact: true }).fill("1.0.0");
  await page.getByLabel("Container image").fill("ghcr.io/acme/billing:latest");
  await page.getByRole("button", { name: "Add version" }).click();
  await expect(alertWith(page, "rather than :latest")).toBeVisible();
  await page.getByLabel("Container image").fill(`ghcr.io/acme/${slug}:1.0.0`);
  await page.getByRole("button", { name: "Add version" }).click();
  await expect(manage.getByTestId("my-version-1.0.0")).toContainText("draft");
  await manage.getByRole("button", { name: "Submit 1.0.0 for review" }).click();
  await expect(manage.getByTestId("my-version-1.0.0")).toContainText("in review");

  const operator = await newPerson(browser);
  await signIn(operator.page, OPERATOR_EMAIL);
  await operator.page.goto("/ops/catalog");
  const card = operator.page.getByTestId(`review-${slug}-1.0.0`);
  await expect(card).toContainText(`ghcr.io/acme/${slug}:1.0.0`);
  await expect(card).toContainText("from Acme Retail");
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card).toHaveCount(0);
  await operator.context.close();

  await page.reload();
  await expect(page.getByTestId(`my-item-${slug}`)).toContainText("published");
  await page.goto("/t/acme/catalog");
  await page.getByLabel("Search the catalog").fill(slug);
  await expect(page.getByTestId(`catalog-card-${slug}`)).toContainText("v1.0.0");
  await page.getByTestId(`catalog-card-${slug}`).click();
  await expect(page.getByTestId("markdown")).toContainText("Sends invoices");
});
