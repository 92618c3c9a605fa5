// ESLint: typescript-eslint's recommended type-aware rules, plus Pulumi's rules against
// Outputs in template literals (use pulumi.interpolate). Formatting is Prettier's job.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";
import slipway from "./lint/import-rules.mjs";

/** Files under `dir` may not import the packages `modules` names (each with why). */
function forbiddenModules(dir, modules) {
  return { files: [`${dir}/**/*.ts`], rules: { "no-restricted-imports": ["error", { paths: modules }] } };
}

/** lib/ is pure: the layer that owns a file reads it and hands lib the text. */
const NO_FILE_READS = ["fs", "node:fs", "fs/promises", "node:fs/promises"].map((name) => ({
  name,
  message: "lib/ reads no files: read it in the layer that owns it (infra/, policy/) and pass the text or data in",
}));

/** settings/ checks a stack file without loading any component or the Pulumi SDK. */
const NO_PULUMI = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random"].map((name) => ({
  name,
  message: "settings/ is Pulumi-free: checking a stack file must not load the Pulumi SDK",
}));

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "plan-out/", "**/*.mjs"] },
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
      "harness/**/*.ts",
      "policy/**/*.ts",
      "sandbox/**/*.ts",
      "settings/**/*.ts",
    ],
    rules: {
      "max-lines": ["error", { max: 400 }],
      "max-lines-per-function": ["error", { max: 80 }],
    },
  },
  {
    // Imports go one way between the folders, and inside ops/ between its layers
    // (lint/import-rules.mjs says which; docs/design.md why), in every folder; a relative
    // import names a file, never a folder; no dynamic import(); a disabled rule says why.
    files: ["**/*.ts", "**/*.cjs"],
    plugins: { slipway },
    rules: {
      "slipway/layers": "error",
      "slipway/no-folder-import": "error",
      "slipway/no-dynamic-import": "error",
      "slipway/disable-needs-reason": "error",
    },
  },
  forbiddenModules("lib", NO_FILE_READS),
  forbiddenModules("settings", NO_PULUMI),
  {
    // People read the ops CLI's output; the program itself logs through pulumi.log. The
    // harness keeps the SDK's console warnings in the record (harness/run.ts).
    files: ["ops/**/*.ts", "bench/**/*.ts", "sandbox/**/*.ts", "harness/**/*.ts"],
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
