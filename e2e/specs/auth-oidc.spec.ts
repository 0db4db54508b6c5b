import { expect, test, uniqueId } from "../fixtures";

test("signs in through the configured OIDC provider and creates the account on first use", async ({ page }) => {
  const email = `sso-${uniqueId()}@example.test`;
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with Corp SSO" }).click();

  // The provider's own login and consent pages.
  await expect(page).toHaveURL(/localhost:3101\/interaction\//);
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("anything");
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]').click(); // consent

  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  await expect(page.getByRole("heading", { name: "Your organisations" })).toBeVisible();
});
