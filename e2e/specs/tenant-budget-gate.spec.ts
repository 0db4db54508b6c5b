import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, tenantWithSpace, test, trpcMutation } from "../fixtures";

async function trpcQuery<T>(page: Page, path: string, input: unknown): Promise<T> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await page.request.get(`/api/trpc/${path}${query}`);
  const body = (await response.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

/** Failed server spans of the app's service, through the real OTLP ingest, as the app's collector would send them. */
async function sendFailingSpans(page: Page, token: string, service: { namespace: string; name: string }, count: number) {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: randomBytes(16).toString("hex"),
    spanId: randomBytes(8).toString("hex"),
    name: "POST /checkout",
    kind: 2,
    startTimeUnixNano: String(nowNs - BigInt(i + 2) * 1_000_000n),
    endTimeUnixNano: String(nowNs - BigInt(i + 1) * 1_000_000n),
    status: { code: 2, message: "payment provider unreachable" },
  }));
  const response = await page.request.post("/api/otlp/v1/traces", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: "service.name", value: { stringValue: service.name } },
              { key: "k8s.namespace.name", value: { stringValue: service.namespace } },
            ],
          },
          scopeSpans: [{ spans }],
        },
      ],
    },
  });
  expect(response.status(), await response.text()).toBe(200);
}

test("a spent error budget closes the deploy gate: the upgrade is refused with the budget and alert named, then an owner overrides it for a security fix", async ({ page }) => {
  test.setTimeout(180_000);
  const { slug } = await tenantWithSpace(page, "gatekeeper");

  // The policy starts as the SRE workbook's; a floor above 50 % is refused and nothing is saved.
  await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText("Nobody has changed the policy yet: these are the defaults.")).toBeVisible();
  await expect(page.getByLabel("When an SLO's error budget is spent")).toBeChecked();
  await expect(page.getByLabel("When a page-level burn-rate alert is open")).toBeChecked();
  await page.getByLabel("Close when the budget left is at or below (%)").fill("80");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText(/at most 50 %/)).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Close when the budget left is at or below (%)")).toHaveValue("0");

  await page.goto(`/t/${slug}/catalog`);
  await page.getByRole("link", { name: /Storefront/ }).first().click();
  await page.getByTestId("version-1.3.0").getByRole("button", { name: "Details" }).click();
  await page.getByRole("link", { name: "Deploy 1.3.0" }).click();
  await page.getByLabel("App name").fill("till");
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(page.getByTestId("app-phase")).toBeVisible();
  await expect(page.getByTestId("deploy-gate-state")).toHaveText("open");

  // The budget is spent: 400 failed requests where a 99.5 % SLO allows 2.
  const appId = new URL(page.url()).pathname.split("/").pop()!;
  const orgs = await trpcQuery<Array<{ id: string; slug: string }>>(page, "orgs.mine", undefined);
  const orgId = orgs.find((o) => o.slug === slug)!.id;
  const app = await trpcQuery<{ space: { namespace: string } }>(page, "apps.get", { orgId, appId });
  const { token } = await trpcMutation<{ token: string }>(page, "keys.create", { orgId, name: "collector", scopes: ["telemetry:write"] });
  await sendFailingSpans(page, token, { namespace: app.space.namespace, name: "till" }, 400);

  // The worker's next SLO evaluation closes the gate; the panel says why.
  await expect(page.getByTestId("deploy-gate-state")).toHaveText("closed", { timeout: 60_000 });
  const reason = page.getByTestId("deploy-gate-reason");
  await expect(reason).toContainText('the error budget of SLO "Availability"');
  await expect(reason).toContainText("(99.5 % over 28d) is spent");
  await expect(reason).toContainText(/page alert "1h\/5m at 14\.4x" on SLO "Availability"/);

  // The upgrade is refused with the same words.
  await page.getByRole("button", { name: "Configure" }).click();
  await page.getByLabel("Upgrade to").selectOption({ label: "1.4.2 (newest)" });
  await page.getByRole("button", { name: "Upgrade to 1.4.2" }).click();
  const refusal = page.getByTestId("gate-refusal");
  await expect(refusal).toContainText("The deploy gate of till is closed");
  await expect(refusal).toContainText('the error budget of SLO "Availability"');
  await expect(refusal).toContainText("page alert");
  await expect(page.getByText("Storefront 1.3.0")).toBeVisible();

  // An override needs a reason from the list and a note that says what it fixes.
  await page.getByLabel("Override reason").selectOption({ label: "Security fix" });
  await page.getByLabel("What it fixes").fill("cve");
  await page.getByRole("button", { name: "Override and upgrade" }).click();
  await expect(page.getByText("Say in at least 10 characters what the change fixes")).toBeVisible();
  await expect(refusal).toContainText("The deploy gate of till is closed");
  await page.getByLabel("What it fixes").fill("Patch CVE-2026-1234 in the checkout form");
  await page.getByRole("button", { name: "Override and upgrade" }).click();
  await expect(page.getByText("Storefront 1.4.2")).toBeVisible();

  // The gate stays closed for the next change, and the app shows who overrode it and why.
  await expect(page.getByTestId("deploy-gate-state")).toHaveText("closed");
  const overrides = page.getByTestId("deploy-gate-overrides");
  await expect(overrides).toContainText("Security fix");
  await expect(overrides).toContainText("Patch CVE-2026-1234 in the checkout form");
  await expect(overrides).toContainText("upgrade");
});
