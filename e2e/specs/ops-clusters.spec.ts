import { startCluster } from "@wharf/kube-sim";
import { OPERATOR_EMAIL, alertWith, expect, signIn, test, uniqueId } from "../fixtures";

test("an operator sees the clusters' health and registers a new cluster by uploading its kubeconfig", async ({ page }) => {
  await signIn(page, OPERATOR_EMAIL);
  await page.goto("/ops/clusters");
  for (const name of ["sim-1", "sim-2"]) {
    const card = page.getByTestId(`cluster-${name}`);
    await expect(card).toContainText("healthy");
    await expect(card).toContainText("v1.");
  }

  // A kubeconfig that is not one is refused with a message, and nothing is registered.
  await page.getByLabel("Kubeconfig", { exact: true }).fill("apiVersion: v1\nclusters: [this is not\n");
  await page.getByLabel("Name").fill(`junk-${uniqueId()}`);
  await page.getByRole("button", { name: "Check and register" }).click();
  await expect(alertWith(page, /kubeconfig/i)).toBeVisible();

  // A real cluster, started by this test, registered through the upload form.
  const cluster = await startCluster({ name: "uploaded" });
  try {
    const name = `up-${uniqueId()}`;
    await page.getByLabel("Kubeconfig file").setInputFiles({ name: "kubeconfig.yaml", mimeType: "text/yaml", buffer: Buffer.from(cluster.kubeconfig) });
    await expect(page.getByLabel("Context")).toHaveValue("uploaded");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Region").fill("test-region");
    await page.getByRole("button", { name: "Check and register" }).click();
    const card = page.getByTestId(`cluster-${name}`);
    await expect(card).toContainText("healthy");
    await expect(card).toContainText("test-region");
    await expect(page.locator("body")).not.toContainText(cluster.token);

    await card.getByRole("button", { name: "Drain" }).click();
    await expect(card).toContainText("draining");
    page.once("dialog", (dialog) => void dialog.accept());
    await card.getByRole("button", { name: "Remove" }).click();
    await expect(card).toHaveCount(0);
  } finally {
    await cluster.stop();
  }
});
