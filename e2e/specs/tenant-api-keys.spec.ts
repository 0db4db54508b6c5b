import { alertWith, createOrganization, expect, newPerson, signUp, test, uniqueId } from "../fixtures";

const TOKEN = /^wharf_tnt_[0-9A-Za-z]{22}_[0-9A-Za-z]{6}$/;

test("an owner creates an API key, sees it once, rotates it and revokes it", async ({ page }) => {
  const id = uniqueId();
  await page.goto("/sign-up");
  await signUp(page, { name: "Key Owner", email: `keys-${id}@example.test` });
  const slug = await createOrganization(page, `Keys ${id}`);

  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByText("No API keys")).toBeVisible();

  // A key needs at least one scope.
  await page.getByLabel("Name", { exact: true }).fill("CI deploys");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(alertWith(page, "Choose at least one scope")).toBeVisible();

  await page.getByLabel("apps:read").check();
  await page.getByLabel("apps:write").check();
  await expect(page.getByLabel("Expires in (days)")).toHaveValue("90");
  await page.getByRole("button", { name: "Create key" }).click();

  const tokenField = page.getByLabel("API key", { exact: true });
  await expect(tokenField).toHaveValue(TOKEN);
  await expect(page.getByText("it will not be shown again")).toBeVisible();
  const token = await tokenField.inputValue();
  const rows = page.getByTestId("api-key-row-CI deploys");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`${token.slice(0, 16)}…`);
  await expect(rows).toContainText("apps:read, apps:write");
  await expect(rows).toContainText("never");
  await expect(rows).toContainText("active");

  // After a reload the key is gone for good; only its prefix is listed.
  await page.reload();
  await expect(rows).toContainText(`${token.slice(0, 16)}…`);
  await expect(page.getByLabel("API key", { exact: true })).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  // Rotating with no overlap shows the new key once and revokes the old one.
  await rows.getByRole("button", { name: "Rotate CI deploys" }).click();
  await page.getByLabel("Old key keeps working for").selectOption("0");
  await page.getByRole("button", { name: "Rotate key" }).click();
  await expect(tokenField).toHaveValue(TOKEN);
  const rotated = await tokenField.inputValue();
  expect(rotated).not.toBe(token);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText(`${rotated.slice(0, 16)}…`);

  page.once("dialog", (dialog) => void dialog.accept());
  await rows.getByRole("button", { name: "Revoke CI deploys" }).click();
  await expect(rows).toHaveCount(0);
  await page.getByLabel("Show revoked keys").check();
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "revoked" })).toHaveCount(2);

  await page.goto(`/t/${slug}/audit`);
  for (const action of ["keys.create", "keys.rotate", "keys.revoke"]) {
    await expect(page.getByTestId("audit-row").filter({ hasText: action })).toHaveCount(1);
  }
});

test("members who are not admins are told who manages keys", async ({ page, browser }) => {
  const id = uniqueId();
  const developer = { name: "Dana Developer", email: `keys-dev-${id}@example.test` };
  await page.goto("/sign-up");
  await signUp(page, { name: "Key Owner", email: `keys-owner-${id}@example.test` });
  const slug = await createOrganization(page, `Keys ${id}`);
  await page.getByLabel("Email").fill(developer.email);
  await page.getByLabel("Role").selectOption("DEVELOPER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())!.trim();

  const second = await newPerson(browser);
  await second.page.goto(new URL(link).pathname);
  await second.page.getByRole("link", { name: "Create an account" }).click();
  await signUp(second.page, developer);
  await second.page.getByRole("button", { name: `Accept as ${developer.email}` }).click();
  await expect(second.page.getByRole("heading", { name: `Keys ${id}`, level: 1 })).toBeVisible();
  await expect(second.page.getByRole("link", { name: "API keys" })).toHaveCount(0);
  await second.page.goto(`/t/${slug}/api-keys`);
  await expect(second.page.getByText("Only admins and owners manage API keys")).toBeVisible();
  await second.context.close();
});
