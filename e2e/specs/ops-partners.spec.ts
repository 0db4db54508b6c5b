import type { Page } from "@playwright/test";
import { OPERATOR_EMAIL, expect, newPerson, signIn, test, uniqueId } from "../fixtures";

const PASSWORD = "a long enough password";

/** A visitor registers a partner (signed out, new email) and follows the verification link shown. Returns the org address. */
async function registerAndVerify(page: Page, company: string, email: string): Promise<string> {
  await page.goto("/partners/register");
  await page.getByLabel("Company", { exact: true }).fill(company);
  await page.getByLabel("Website", { exact: true }).fill("https://partner.example.com");
  await page.getByLabel("Contact name", { exact: true }).fill("Pat Partner");
  await page.getByLabel("Contact email", { exact: true }).fill(email);
  await page.getByLabel("Intended use", { exact: true }).fill("A dashboard for our customers that shows the apps they run on Wharf and their SLA.");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Register as a partner" }).click();
  await expect(page.getByText("Accept the partner terms to register")).toBeVisible();

  await page.getByLabel("I accept the partner terms").check();
  await page.getByRole("button", { name: "Register as a partner" }).click();
  await expect(page.getByRole("heading", { name: `${company} is registered` })).toBeVisible();
  const slug = (await page.getByTestId("partner-slug").textContent())!;

  await page.getByTestId("verification-link").click();
  await expect(page.getByText("Email confirmed: awaiting review")).toBeVisible();
  // Until an operator decides, the organisation's pages explain instead of opening.
  await page.goto(`/t/${slug}/partner`);
  await expect(page.getByText("Awaiting review")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Partner console" })).toHaveCount(0);
  return slug;
}

async function openApplication(operator: Page, company: string, slug: string) {
  await operator.goto("/ops/partners");
  await operator.getByLabel("Search partners").fill(company);
  const card = operator.getByTestId(`partner-${slug}`);
  await expect(card).toContainText("awaiting review");
  return card;
}

test("a visitor registers a partner, an operator approves it, and the partner gets the partner console", async ({ page, browser }) => {
  const id = uniqueId();
  const company = `Orbit ${id}`;
  const email = `orbit-${id}@example.test`;
  const visitor = await newPerson(browser);
  const slug = await registerAndVerify(visitor.page, company, email);

  await signIn(page, OPERATOR_EMAIL);
  const card = await openApplication(page, company, slug);
  await expect(card).toContainText("A dashboard for our customers");
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card).toHaveCount(0);
  await page.getByLabel("Status").selectOption({ label: "Approved partners" });
  await expect(page.getByTestId(`partner-${slug}`)).toContainText("approved");
  await expect(page.getByTestId(`partner-${slug}`).getByTestId("effective-rate-limit")).toHaveText("600");

  const partner = await newPerson(browser);
  await signIn(partner.page, email, PASSWORD);
  await partner.page.goto(`/t/${slug}/partner`);
  await expect(partner.page.getByRole("heading", { name: "Partner console" })).toBeVisible();
  await expect(partner.page.getByRole("main").getByText(company).first()).toBeVisible();
  await expect(partner.page.getByTestId("partner-rate-limit")).toContainText("requests per minute per key");
  await expect(partner.page.getByRole("link", { name: /API docs/ }).first()).toBeVisible();

  await page.goto("/ops/audit");
  await expect(page.getByTestId("audit-row").filter({ hasText: "partners.approve" }).first()).toBeVisible();
  await visitor.context.close();
  await partner.context.close();
});

test("an operator rejects a partner with a reason, and the applicant sees it", async ({ page, browser }) => {
  const id = uniqueId();
  const company = `Shadow ${id}`;
  const reason = `We could not verify ${company}`;
  const visitor = await newPerson(browser);
  const slug = await registerAndVerify(visitor.page, company, `shadow-${id}@example.test`);

  await signIn(page, OPERATOR_EMAIL);
  const card = await openApplication(page, company, slug);
  await card.getByRole("button", { name: "Reject" }).click();
  await expect(card.getByText("Tell the applicant why")).toBeVisible();
  await card.getByLabel(`Reason for rejecting ${company}`).fill(reason);
  await card.getByRole("button", { name: "Reject" }).click();
  await expect(card).toHaveCount(0);

  await visitor.page.goto("/partners");
  await expect(visitor.page.getByTestId(`application-${slug}`)).toContainText(`Rejected: ${reason}`);
  await visitor.page.goto(`/t/${slug}`);
  await expect(visitor.page.getByText(`Rejected: ${reason}`)).toBeVisible();
  await visitor.context.close();
});
