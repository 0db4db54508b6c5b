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
);
