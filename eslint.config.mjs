// ESLint: typescript-eslint's recommended type-aware rules, plus Pulumi's rules against
// Outputs in template literals (use pulumi.interpolate). Formatting is Prettier's job.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

/** Files under `dir` may not import from any of `forbidden` (top-level folders of this repository). */
function layer(dir, forbidden) {
  return {
    files: [`${dir}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: forbidden.map((name) => ({
            regex: `^(\\.\\./)+${name}/`,
            message: `${dir}/ may not import from ${name}/: move what both need into lib/ (see docs/design.md)`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "plan-out/", "*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { pulumi },
    rules: {
      "pulumi/no-output-in-template-literal": "error",
      "pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-explicit-any": "error",
      // A promise nobody awaits loses its error (and, in the program, its resources).
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "no-console": "error",
    },
  },
  {
    // Product code is read more than written: small files, small named steps.
    files: [
      "components/**/*.ts",
      "infra/**/*.ts",
      "lib/**/*.ts",
      "ops/**/*.ts",
      "policy/**/*.ts",
      "sandbox/**/*.ts",
      "settings/**/*.ts",
    ],
    rules: {
      "max-lines": ["error", { max: 400 }],
      "max-lines-per-function": ["error", { max: 80 }],
    },
  },
  // Imports go one way: lib <- settings <- components <- infra, lib <- policy; ops and the
  // tests may use anything. Shared plain modules (CIDR maths, Postgres units, the add-on
  // graph and keys, pinned-chart and stateful types, supported versions) live in lib/;
  // each domain's settings (schema, defaults, their docs) in settings/, which checks a
  // stack file without loading any component.
  layer("lib", ["settings", "components", "infra", "policy", "ops"]),
  layer("settings", ["components", "infra", "policy", "ops"]),
  layer("components", ["infra", "policy", "ops"]),
  layer("policy", ["settings", "components", "infra", "ops"]),
  layer("infra", ["policy", "ops"]),
  {
    // People read the ops CLI's output; the program itself logs through pulumi.log.
    files: ["ops/**/*.ts", "bench/**/*.ts", "sandbox/**/*.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { process: "readonly", require: "readonly", module: "writable" },
    },
    // Plain CommonJS shims (the bin, the preload): require is how they load things.
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      // node:test's describe() and it() return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": "off",
    },
  },
);
