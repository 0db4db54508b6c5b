import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type Page } from "@playwright/test";
import { OPERATOR_EMAIL, expect, newPerson, signIn, tenantWithSpace, test } from "../fixtures";

// The simulated clusters' kubeconfig, as embedded mode writes it (see ops-kubectl.spec.ts).
const kubeconfig = path.resolve(__dirname, "../../.data/e2e/kubeconfig");

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("kubectl", ["--kubeconfig", kubeconfig, "--context", "sim-1", ...args]);
  return stdout;
}

/** A tRPC query with the page's session, for looking up ids the story needs. */
async function trpcQuery<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  const response = await page.request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  const body = (await response.json()) as { result?: { data: { json: T } } };
  if (!body.result) throw new Error(`${procedure} failed: ${response.status()}`);
  return body.result.data.json;
}

test("a bad upgrade opens one incident: the upgrade is the top suspect, the map rings the service, rollback clears it and it resolves", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const { slug } = await tenantWithSpace(page, "incident");
  const org = (await trpcQuery<Array<{ id: string; slug: string }>>(page, "orgs.mine", undefined)).find((o) => o.slug === slug)!;
  const [space] = await trpcQuery<Array<{ namespace: string }>>(page, "spaces.list", { orgId: org.id });

  // The tenant runs cart 1.8.0, called by its storefront.
  for (const [item, version, name] of [
    ["cart", "1.8.0", "cart"],
    ["storefront", "1.3.0", "front"],
  ] as const) {
    await page.goto(`/t/${slug}/catalog`);
    await page.getByRole("link", { name: item === "cart" ? /Cart/ : /Storefront/ }).first().click();
    await page.getByTestId(`version-${version}`).getByRole("button", { name: "Details" }).click();
    await page.getByRole("link", { name: `Deploy ${version}` }).click();
    await page.getByLabel("App name").fill(name);
    await page.getByRole("button", { name: "Deploy" }).click();
    await expect(page.getByTestId("app-phase")).toHaveText("available", { timeout: 60_000 });
  }

  // The operator's fault console on the simulated cluster: cart 1.9.2 is a bad build that crashes on start.
  const body = path.join(await mkdtemp(path.join(tmpdir(), "wharf-fault-")), "fault.json");
  await writeFile(body, JSON.stringify({ type: "crash-loop", image: "ghcr.io/wharf-demo/cart:1.9.2", namespace: space!.namespace }));
  await kubectl("create", "--raw", "/kube-sim/v1/faults", "-f", body);

  // The tenant upgrades cart to it.
  await page.goto(`/t/${slug}/apps`);
  await page.getByRole("link", { name: "cart", exact: true }).click();
  await page.getByRole("button", { name: "Review the upgrade" }).click();
  await page.getByLabel("Upgrade to").selectOption({ label: "1.9.2 (newest)" });
  await page.getByRole("button", { name: "Upgrade to 1.9.2" }).click();
  await expect(page.getByTestId("app-phase")).toHaveText("degraded", { timeout: 60_000 });

  // One incident opens, on cart.
  await page.getByRole("navigation", { name: "Organisation" }).getByRole("link", { name: "Incidents" }).click();
  // (Incidents on shared services the tenant calls would be listed too: only one is about cart.)
  const rows = page.getByTestId("incident-row").filter({ hasText: "cart" });
  await expect(rows).toHaveCount(1, { timeout: 60_000 });
  await expect(rows).toContainText("cart is crash-looping");
  await rows.getByRole("link", { name: /INC-\d+/ }).click();
  // cart's own alert: front, which calls cart, can burn its error budget meanwhile and join the incident as a second alert.
  const cartAlert = page.getByTestId("incident-alert").filter({ hasText: "cart is crash-looping" });
  await expect(cartAlert).toContainText("crash loop");

  // What changed: the upgrade of cart, on the failing service itself, comes first.
  const suspects = page.getByTestId("suspect-change");
  await expect(suspects.first()).toContainText("apps.upgrade");
  await expect(suspects.first()).toContainText("cart");
  await expect(suspects.first()).toContainText("a failing service");
  await suspects.first().getByRole("button", { name: "Diff" }).click();
  await expect(page.getByTestId("diff-version")).toContainText("1.9.2");

  // The map rings the failing service, here and on the tenant's own map.
  await expect(page.getByTestId("ringed-services").first()).toContainText("cart", { timeout: 60_000 });
  // Beside it, the blast radius from the call graph and from the CMDB.
  await expect(page.getByRole("list", { name: "Blast radius" })).toContainText("cart");
  await expect(page.getByRole("heading", { name: "In the CMDB" })).toBeVisible();

  // The operator sees the same incident across tenants.
  const operator = await newPerson(browser);
  await signIn(operator.page, OPERATOR_EMAIL);
  await operator.page.goto("/ops/incidents");
  await expect(operator.page.getByTestId("incident-row").filter({ hasText: "cart is crash-looping" }).first()).toBeVisible();

  // The tenant renames the incident: a title blank once trimmed is refused beside the field and changes nothing.
  const originalTitle = (await page.getByRole("heading", { level: 2 }).filter({ hasText: /INC-\d+/ }).textContent())!;
  await page.getByRole("button", { name: "Edit title and summary" }).click();
  const edit = page.getByRole("form", { name: "Edit the incident" });
  await edit.getByLabel("Title").fill("  x  ");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("Give the incident a title of at least 3 characters")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2 }).filter({ hasText: /INC-\d+/ })).toHaveText(originalTitle);
  const title = `Cart crash-loops after the 1.9.2 upgrade (${slug})`;
  await edit.getByLabel("Title").fill(title);
  await edit.getByLabel("Summary (markdown)").fill("The 1.9.2 build crashes on start; rolling back to 1.8.0.");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole("heading", { level: 2 }).filter({ hasText: /INC-\d+/ })).toContainText(title);
  await expect(page.getByText("The 1.9.2 build crashes on start; rolling back to 1.8.0.")).toBeVisible();

  // The tenant rolls back from the incident page; the alert clears and the incident resolves on its own.
  await page.getByTestId("suspect-change").first().getByRole("button", { name: /Roll back to revision 1 \(1\.8\.0\)/ }).click();
  await expect(cartAlert).toContainText("cleared", { timeout: 90_000 });
  await expect(page.getByText("resolved", { exact: true }).first()).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('[data-kind="status"]').filter({ hasText: "Resolved automatically" })).toHaveCount(1);
  await expect(page.locator('[data-kind="change"]').filter({ hasText: "apps.rollback" })).toHaveCount(1);

  // The postmortem draft downloads, built from the timeline.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download postmortem draft" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^INC-\d+-postmortem\.md$/);
  const markdown = readFileSync((await download.path())!, "utf8");
  expect(markdown).toContain("## What changed before it started");
  expect(markdown).toContain("apps.upgrade");
  expect(markdown).toContain("cart is crash-looping");
  expect(markdown).toContain(title);

  // The rename is in the organisation's audit log, with the title before and after.
  await page.goto(`/t/${slug}/audit`);
  await page.getByLabel("Action").fill("incidents.update");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: title })).toHaveCount(1);

  // The fault stays: it matches this tenant's namespace only (clearing all would drop start-up's own).
  await operator.context.close();
});
