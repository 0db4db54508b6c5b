import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "../fixtures";

// Embedded mode writes the simulated clusters' kubeconfig under WHARF_DATA_DIR
// (the e2e server's is .data/e2e), so people can look with kubectl at what Wharf did.
const kubeconfig = path.resolve(__dirname, "../../.data/e2e/kubeconfig");

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("kubectl", ["--kubeconfig", kubeconfig, ...args]);
  return stdout;
}

test("kubectl with the kubeconfig embedded mode wrote sees the demo apps Wharf deployed", async () => {
  expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
  expect(await kubectl("config", "get-contexts", "-o", "name")).toBe("sim-1\nsim-2\n");
  const storefrontPods = async () => {
    const selector = "app.kubernetes.io/managed-by=wharf,app.kubernetes.io/instance=storefront";
    return (await Promise.all(["sim-1", "sim-2"].map((context) => kubectl("--context", context, "get", "pods", "-A", "-l", selector)))).join("");
  };
  await expect.poll(storefrontPods, { timeout: 30_000 }).toMatch(/storefront-\S+\s+1\/1\s+Running/);
});
