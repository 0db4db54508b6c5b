import { OPERATOR_EMAIL, createOrganization, expect, newPerson, signIn, signUp, test, uniqueId } from "../fixtures";

test("an operator suspends a tenant, its member is turned away with the reason, and reactivation restores access", async ({ page, browser }) => {
  const id = uniqueId();
  const member = await newPerson(browser);
  await member.page.goto("/sign-up");
  await signUp(member.page, { name: "Sam Suspended", email: `sam-${id}@example.test` });
  const slug = await createOrganization(member.page, `Shady ${id}`);

  await signIn(page, OPERATOR_EMAIL);
  await page.getByRole("link", { name: "Operator console" }).click();
  await page.getByRole("navigation", { name: "Operator console" }).getByRole("link", { name: "Tenants" }).click();
  await page.getByLabel("Search by name or address").fill(slug);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByTestId(`tenant-${slug}`);
  await expect(row).toContainText("active");
  await expect(row.getByRole("cell").nth(3)).toHaveText("1");

  await row.getByRole("button", { name: "Suspend…" }).click();
  const confirm = page.getByRole("dialog", { name: `Suspend Shady ${id}?` });
  await confirm.getByLabel("Reason").fill("Payment overdue");
  await confirm.getByRole("button", { name: `Suspend Shady ${id}` }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("suspended");
  await expect(row).toContainText("Payment overdue");

  await member.page.reload();
  await expect(member.page.getByText(`Shady ${id} is suspended`)).toBeVisible();
  await expect(member.page.getByText("Payment overdue")).toBeVisible();
  await expect(member.page.getByRole("heading", { name: "Members" })).toHaveCount(0);

  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row).toContainText("active");
  await member.page.reload();
  await expect(member.page.getByRole("heading", { name: "Members" })).toBeVisible();

  await page.goto("/ops/audit");
  await expect(page.getByTestId("audit-row").filter({ hasText: "tenants.suspend" }).first()).toBeVisible();
  await member.context.close();
});

test("a tenant member cannot open the operator console", async ({ page }) => {
  await signIn(page, "alice@acme.example");
  await expect(page.getByRole("link", { name: "Operator console" })).toHaveCount(0);
  await page.goto("/ops");
  await expect(page.getByText("Operators only")).toBeVisible();
});
