// Slipway's import rules, as an ESLint plugin (eslint.config.mjs turns them on for every
// folder; test/lint/ proves each one fails on a sample):
// - `layers`: imports go one way. Each area below lists the areas it may not import; the
//   target of a relative import is resolved the way Node resolves it, so `../policy`,
//   `../../policy/rules/aws`, `./x` and `require("../ops/...")` are all judged by the
//   file they reach, not by how the path is spelled.
// - `no-folder-import`: a relative import names a file, never a folder (Node's CommonJS
//   resolver would take the folder's index, which the reader cannot see from the import).
// - `no-dynamic-import`: no `import()`. A module loaded lazily is a `require()` with a
//   comment saying why; the rest load at the top of the file.
// - `disable-needs-reason`: every eslint-disable comment says why, after ` -- `.
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository's root: this file sits in lint/. */
export const ROOT = path.resolve(import.meta.dirname, "..");

/** The ops CLI's entry points (run by npm scripts and the bin), above everything in ops/. */
const OPS_ENTRY_POINTS = ["cli.ts", "plan.ts", "check-channel.ts", "docs.ts", "policy-config.ts", "smoke.ts"];
/** The ops/ folders between the commands and ops/'s shared top-level modules. */
const OPS_MIDDLE = ["ops/plan", "ops/state", "ops/cost", "ops/channel", "ops/docs"];

/**
 * The area of a repository path: a top-level folder, or inside ops/ one of its layers
 * (`ops/entry`, `ops/commands`, a middle folder, `ops/shared` for its top-level modules).
 */
export function areaOf(relative) {
  const parts = relative.split(path.sep);
  if (parts.length === 1) return "(root)";
  if (parts[0] !== "ops") return parts[0];
  if (parts.length === 2) return OPS_ENTRY_POINTS.includes(parts[1]) ? "ops/entry" : "ops/shared";
  if (parts[1] === "bin") return "ops/entry";
  return `ops/${parts[1]}`;
}

const OPS_ALL = ["ops/entry", "ops/commands", ...OPS_MIDDLE, "ops/shared"];

/**
 * What each area may not import. lib <- settings <- components <- infra <- harness <- sandbox <- ops
 * <- bench <- test, and lib <- policy; inside ops: entry points -> commands -> plan
 * (which uses cost, state, channel) -> cost, state, channel, docs -> shared modules.
 * An area missing here (the root's config files) is unrestricted.
 */
export const FORBIDDEN = {
  lib: ["settings", "components", "policy", "infra", "harness", "sandbox", "bench", "test", ...OPS_ALL],
  settings: ["components", "policy", "infra", "harness", "sandbox", "bench", "test", ...OPS_ALL],
  components: ["policy", "infra", "harness", "sandbox", "bench", "test", ...OPS_ALL],
  policy: ["settings", "components", "infra", "harness", "sandbox", "bench", "test", ...OPS_ALL],
  infra: ["policy", "harness", "sandbox", "bench", "test", ...OPS_ALL],
  harness: ["components", "policy", "sandbox", "bench", "test", ...OPS_ALL],
  sandbox: ["components", "bench", "test", ...OPS_ALL],
  "ops/entry": ["bench", "test"],
  "ops/commands": ["bench", "test", "ops/entry"],
  "ops/plan": ["bench", "test", "ops/entry", "ops/commands", "ops/docs"],
  "ops/cost": ["bench", "test", "ops/entry", "ops/commands", "ops/plan", "ops/state", "ops/channel", "ops/docs"],
  "ops/state": ["bench", "test", "ops/entry", "ops/commands", "ops/plan", "ops/cost", "ops/channel", "ops/docs"],
  "ops/channel": ["bench", "test", "ops/entry", "ops/commands", "ops/plan", "ops/cost", "ops/state", "ops/docs"],
  "ops/docs": ["bench", "test", "ops/entry", "ops/commands", "ops/plan", "ops/cost", "ops/state", "ops/channel"],
  "ops/shared": ["bench", "test", "ops/entry", "ops/commands", ...OPS_MIDDLE],
  bench: ["test"],
};

const EXTENSIONS = ["", ".ts", ".cjs", ".js", ".mjs", ".json"];

/** The file a relative specifier reaches, as Node resolves it (a file first), or undefined. */
export function resolveFile(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every string a module names in an import, export, `require()` or `import = require()`. */
function specifierVisitors(check) {
  const literal = (node) => (node && node.type === "Literal" && typeof node.value === "string" ? node : undefined);
  return {
    ImportDeclaration: (node) => check(node.source),
    ExportAllDeclaration: (node) => check(node.source),
    ExportNamedDeclaration: (node) => node.source && check(node.source),
    TSExternalModuleReference: (node) => literal(node.expression) && check(node.expression),
    TSImportType: (node) => {
      const argument = node.argument?.type === "TSLiteralType" ? node.argument.literal : node.argument;
      if (literal(argument)) check(argument);
    },
    CallExpression: (node) => {
      if (node.callee.type === "Identifier" && node.callee.name === "require" && literal(node.arguments[0])) {
        check(node.arguments[0]);
      }
    },
  };
}

const layers = {
  meta: {
    type: "problem",
    docs: { description: "imports go one way between the repository's areas (lint/import-rules.mjs FORBIDDEN)" },
    schema: [],
    messages: {
      wrongWay: "{{from}} may not import from {{to}} ({{specifier}}): imports go one way, see docs/design.md",
    },
  },
  create(context) {
    const file = context.filename;
    const from = areaOf(path.relative(ROOT, file));
    const forbidden = FORBIDDEN[from] ?? [];
    return specifierVisitors((node) => {
      const specifier = node.value;
      if (!specifier.startsWith(".")) return;
      // A folder stands for its index (no-folder-import refuses it on its own).
      const target = resolveFile(file, specifier) ?? path.join(path.resolve(path.dirname(file), specifier), "index");
      const to = areaOf(path.relative(ROOT, target));
      if (to !== from && forbidden.includes(to)) {
        context.report({ node, messageId: "wrongWay", data: { from, to, specifier } });
      }
    });
  },
};

const noFolderImport = {
  meta: {
    type: "problem",
    docs: { description: "a relative import names a file, not a folder" },
    schema: [],
    messages: { folder: '"{{specifier}}" is a folder: import the file itself ("{{specifier}}/<file>")' },
  },
  create(context) {
    const file = context.filename;
    return specifierVisitors((node) => {
      const specifier = node.value;
      if (!specifier.startsWith(".") || resolveFile(file, specifier)) return;
      const target = path.resolve(path.dirname(file), specifier);
      if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
        context.report({ node, messageId: "folder", data: { specifier } });
      }
    });
  },
};

const noDynamicImport = {
  meta: {
    type: "problem",
    docs: { description: "no dynamic import(): a static import, or a require() with a comment saying why" },
    schema: [],
    messages: {
      dynamic:
        "dynamic import(): import at the top of the file; where a lazy load is needed, require() with a comment saying why",
    },
  },
  create(context) {
    return { ImportExpression: (node) => context.report({ node, messageId: "dynamic" }) };
  },
};

const disableNeedsReason = {
  meta: {
    type: "problem",
    docs: { description: "an eslint-disable comment says why, after ` -- `" },
    schema: [],
    messages: { reason: "say why the rule is off: `eslint-disable... <rule> -- <reason>`" },
  },
  create(context) {
    return {
      Program() {
        for (const comment of context.sourceCode.getAllComments()) {
          const text = comment.value.trim();
          if (/^eslint-disable(-next-line|-line)?\b/.test(text) && !/\s--\s+\S/.test(text)) {
            context.report({ loc: comment.loc, messageId: "reason" });
          }
        }
      },
    };
  },
};

/** The plugin, as eslint.config.mjs registers it under `slipway`. */
export default {
  meta: { name: "slipway-import-rules" },
  rules: {
    layers,
    "no-folder-import": noFolderImport,
    "no-dynamic-import": noDynamicImport,
    "disable-needs-reason": disableNeedsReason,
  },
};
