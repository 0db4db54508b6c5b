import { OPERATOR_EMAIL, createOrganization, expect, newPerson, signIn, signUp, test, uniqueId } from "../fixtures";

test("a tenant creates a space that becomes ready on its cluster, and the quota follows an operator's plan change", async ({ page, browser }) => {
  const id = uniqueId();
  await page.goto("/sign-up");
  await signUp(page, { name: "Spacey Owner", email: `spacey-${id}@example.test` });
  const slug = await createOrganization(page, `Spacey ${id}`);

  await page.getByRole("link", { name: "Spaces" }).click();
  await expect(page.getByText("No spaces yet")).toBeVisible();
  await page.getByLabel("Space name").fill("prod");
  await page.getByLabel("Cluster").selectOption({ label: "sim-1 (local-east)" });
  await page.getByRole("button", { name: "Create space" }).click();
  const card = page.getByTestId("space-prod");
  await expect(card).toContainText(`Namespace ${slug}-prod on sim-1`);
  await expect(card).toContainText("ready");
  await expect(card).toContainText("0 / 20");

  // A second space of the same name is refused.
  await page.getByLabel("Space name").fill("prod");
  await page.getByRole("button", { name: "Create space" }).click();
  await expect(page.getByText('You already have a space named "prod"')).toBeVisible();

  const operator = await newPerson(browser);
  await signIn(operator.page, OPERATOR_EMAIL);
  await operator.page.goto("/ops/spaces");
  await operator.page.getByLabel(`Plan of ${slug}-prod`).selectOption("LARGE");
  await expect(operator.page.getByTestId(`ops-space-${slug}-prod`)).toContainText("/ 400");
  await operator.context.close();

  await expect(card).toContainText("large plan");
  await expect(card).toContainText("0 / 400");

  page.once("dialog", (dialog) => void dialog.accept());
  await card.getByRole("button", { name: "Delete space" }).click();
  await expect(card).toHaveCount(0);

  await page.goto(`/t/${slug}/audit`);
  await expect(page.getByTestId("audit-row").filter({ hasText: "spaces.change_plan" })).toHaveCount(1);
  await expect(page.getByTestId("audit-row").filter({ hasText: "spaces.delete" })).toHaveCount(1);
});
