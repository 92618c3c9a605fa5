/**
 * The import rules (lint/import-rules.mjs, on in eslint.config.mjs for every folder), run
 * through ESLint's own Node API on small samples placed in each folder: every rule must
 * refuse what it is for, so a rule that can no longer fail (a pattern that stopped
 * matching, a folder left out of the config) fails here.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";

/**
 * The repository's config as `npm run lint` reads it, without type information (the
 * samples are not files of the TypeScript project) and with only Slipway's own rules, in a
 * plain Node process: the tests' TypeScript preload defers the `typescript` package, which
 * typescript-eslint loads in a way the deferral does not serve.
 */
const LINT_SAMPLES = `
const { ESLint } = require("eslint");
const samples = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId.startsWith("slipway/"),
});
(async () => {
  const out = [];
  for (const { file, code } of samples) {
    const [result] = await eslint.lintText(code, { filePath: require("node:path").join(process.cwd(), file) });
    // Rules only: with the others filtered out, a disable of one of them is "unused".
    const messages = result.messages.filter((m) => m.fatal || m.ruleId);
    out.push(messages.map((m) => (m.fatal ? "(parse error) " + m.message : m.ruleId)));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

/** The Slipway rules each sample (a file relative to the root, and its code) breaks, in order. */
function lint(samples: ReadonlyArray<{ file: string; code: string }>): string[][] {
  const result = spawnSync(process.execPath, ["-e", LINT_SAMPLES], {
    cwd: PROJECT_ROOT,
    input: JSON.stringify(samples),
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as string[][];
}

const refused: Array<[string, string, string, string[]]> = [
  // [what, file, code, rules broken]
  ["lib/ importing a component", "lib/sample.ts", 'import { x } from "../components/network";', ["slipway/layers"]],
  [
    "policy/ importing infra/ by its folder",
    "policy/sample.ts",
    'import { x } from "../infra";',
    ["slipway/layers", "slipway/no-folder-import"],
  ],
  ["components/ re-exporting infra/", "components/sample.ts", 'export * from "../infra/config";', ["slipway/layers"]],
  ["infra/ requiring the harness", "infra/sample.ts", 'const run = require("../harness/run");', ["slipway/layers"]],
  [
    "the harness importing ops/ as a type",
    "harness/sample.ts",
    'import type { X } from "../ops/plan/diff";',
    ["slipway/layers"],
  ],
  ["sandbox/ importing ops/", "sandbox/sample.ts", 'import { x } from "../ops/plan/replacement";', ["slipway/layers"]],
  ["bench/ importing the tests", "bench/sample.ts", 'import { x } from "../test/helpers";', ["slipway/layers"]],
  ["ops/cost importing ops/plan", "ops/cost/sample.ts", 'import { x } from "../plan/diff";', ["slipway/layers"]],
  [
    "ops/state requiring a command",
    "ops/state/sample.ts",
    'const c = require("../commands/common");',
    ["slipway/layers"],
  ],
  ["ops/plan importing an entry point", "ops/plan/sample.ts", 'import { x } from "../plan";', ["slipway/layers"]],
  ["a shared ops module importing ops/plan", "ops/sample.ts", 'import { x } from "./plan/diff";', ["slipway/layers"]],
  [
    "a test importing a folder",
    "test/sample.test.ts",
    'import { RULES } from "../policy/rules";',
    ["slipway/no-folder-import"],
  ],
  [
    "a dynamic import() in bench/",
    "bench/sample.ts",
    'export const m = import("node:fs");',
    ["slipway/no-dynamic-import"],
  ],
  [
    "a dynamic import() in ops/",
    "ops/commands/sample.ts",
    'export const m = import("./common");',
    ["slipway/no-dynamic-import"],
  ],
  [
    "an eslint-disable without a reason",
    "ops/sample.ts",
    "// eslint-disable-next-line no-console\nconsole.log(1);",
    ["slipway/disable-needs-reason"],
  ],
];

const allowed: Array<[string, string, string]> = [
  ["a command importing ops/plan", "ops/commands/sample.ts", 'import { x } from "../plan/diff";'],
  [
    "ops/plan importing ops/cost and a shared module",
    "ops/plan/sample.ts",
    'import { a } from "../cost/estimate";\nimport { b } from "../style";',
  ],
  ["an entry point's file beside a folder of the same name", "ops/cli.ts", 'import { x } from "./plan";'],
  ["components/ importing lib/", "components/sample.ts", 'import { x } from "../lib/cidr";'],
  [
    "a test importing a folder's index by name",
    "test/sample.test.ts",
    'import { RULES } from "../policy/rules/index";',
  ],
  ["a package", "lib/sample.ts", 'import { z } from "zod";'],
  [
    "a require() whose disable says why",
    "harness/sample.ts",
    '// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use\nexport const m = require("./run");',
  ],
];

describe("the import rules", () => {
  const results = lint([...refused, ...allowed].map(([, file, code]) => ({ file, code })));
  refused.forEach(([what, , , rules], i) => {
    it(`refuse ${what}`, () => assert.deepEqual(results[i], rules));
  });
  allowed.forEach(([what], i) => {
    it(`allow ${what}`, () => assert.deepEqual(results[refused.length + i], []));
  });
});
