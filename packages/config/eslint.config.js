// Shared flat config. Each package's eslint.config.js re-exports this.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/.next/**", "**/dist/**", "**/generated/**", "**/*.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // House rule 8: configuration is read and validated in env.ts only.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through this package's env.ts." },
      ],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@prisma/*", "**/generated/prisma*"], message: "Prisma is used only inside packages/db and core repositories." },
          ],
        },
      ],
    },
  },
  {
    files: ["**/env.ts", "**/*.test.ts", "**/*.config.ts", "**/*.config.mjs", "**/scripts/**", "**/bench/**", "**/e2e/**"],
    rules: { "no-restricted-properties": "off" },
  },
  // The product never depends on the simulator: it talks to kube-sim only as it talks to a real
  // API server, over HTTP. Tests, test support, scripts and benchmarks may start one. This is a
  // separate rule from the Prisma one above so packages/db, which turns that off, keeps this.
  {
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@wharf/kube-sim", "@wharf/kube-sim/*"], message: "Only tests, test support and scripts may use the simulator." }] },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "ImportExpression[source.value=/^@wharf\\/kube-sim/]", message: "Only tests, test support and scripts may use the simulator." },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "**/test/**", "**/scripts/**", "**/bench/**", "**/e2e/**", "**/*.config.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": "off", "no-restricted-syntax": "off" },
  },
);
