import { alertWith, createOrganization, expect, newPerson, signUp, test, uniqueId } from "../fixtures";

test("sign up, create a tenant, invite, accept in a second browser, change role, and see it all in the audit log", async ({ page, browser }) => {
  const id = uniqueId();
  const owner = { name: "Olga Owner", email: `olga-${id}@example.test` };
  const invitee = { name: "Ivan Invitee", email: `ivan-${id}@example.test` };

  await page.goto("/sign-up");
  await signUp(page, owner);
  await expect(page.getByRole("heading", { name: "Your organisations" })).toBeVisible();
  await expect(page.getByText("You are not in any organisation yet")).toBeVisible();

  const slug = await createOrganization(page, `Team ${id}`);

  await page.getByLabel("Email").fill(invitee.email);
  await page.getByLabel("Role").selectOption("DEVELOPER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())!.trim();
  expect(link).toMatch(/\/invite\/[0-9A-Za-z]{20,}$/);
  await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(invitee.email);

  // The invitee, in their own browser, creates an account from the link and accepts.
  const second = await newPerson(browser);
  await second.page.goto(new URL(link).pathname);
  await expect(second.page.getByText(`Team ${id}`)).toBeVisible();
  await second.page.getByRole("link", { name: "Create an account" }).click();
  await signUp(second.page, invitee);
  await second.page.getByRole("button", { name: `Accept as ${invitee.email}` }).click();
  await expect(second.page.getByRole("heading", { name: `Team ${id}`, level: 1 })).toBeVisible();
  await expect(second.page.getByText("developer", { exact: true }).first()).toBeVisible();

  // A used link is refused.
  await second.page.goto(new URL(link).pathname);
  await expect(second.page.getByText("already been used")).toBeVisible();

  // The owner makes the invitee a viewer.
  await page.reload();
  const row = page.getByTestId(`member-${invitee.email}`);
  await expect(row).toBeVisible();
  await row.getByLabel(`Role of ${invitee.email}`).selectOption("VIEWER");
  await expect(row.getByLabel(`Role of ${invitee.email}`)).toHaveValue("VIEWER");

  await page.goto(`/t/${slug}/audit`);
  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ hasText: "members.change_role" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "members.accept_invitation" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "members.invite" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "org.create" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "members.change_role" })).toContainText('{"role":"DEVELOPER"} → {"role":"VIEWER"}');

  // The viewer sees members but cannot invite, and has no audit tab.
  await second.page.goto(`/t/${slug}`);
  await expect(second.page.getByRole("heading", { name: "Members" })).toBeVisible();
  await expect(second.page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await expect(second.page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await second.context.close();
});

test("shows inline messages for bad input and a taken address", async ({ page }) => {
  const id = uniqueId();
  await page.goto("/sign-up");
  await signUp(page, { name: "Short Pass", email: `short-${id}@example.test`, password: "short" }, { expectFailure: true });
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();

  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Your organisations" })).toBeVisible();

  await page.goto("/orgs/new");
  await page.getByLabel("Name").fill("Acme again");
  await page.getByLabel("Address").fill("acme");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(alertWith(page, '"acme" is taken')).toBeVisible();

  await page.getByLabel("Address").fill("Not Valid!");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByText("Use lowercase letters, digits and dashes")).toBeVisible();
});
