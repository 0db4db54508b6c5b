// The lint guard behind "the product never depends on the simulator" (shared ESLint config):
// product source may not import @wharf/kube-sim, statically or dynamically; tests may.
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const eslint = new ESLint({ cwd: packageRoot });
const code = ['import { startCluster } from "@wharf/kube-sim";', 'export const later = () => import("@wharf/kube-sim");', "export { startCluster };", ""].join("\n");

async function simulatorFindings(filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.message.includes("simulator")).map((m) => `${m.line}:${m.ruleId}`);
}

describe("no simulator in product source", () => {
  it("flags static and dynamic imports from src", async () => {
    expect(await simulatorFindings("src/uses-simulator.ts")).toEqual(["1:@typescript-eslint/no-restricted-imports", "2:no-restricted-syntax"]);
  });

  it("allows them in tests and test support", async () => {
    expect(await simulatorFindings("src/uses-simulator.test.ts")).toEqual([]);
    expect(await simulatorFindings("test/simulated-cluster.ts")).toEqual([]);
  });
});
