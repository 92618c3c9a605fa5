// The one preload of every TypeScript entry point (Pulumi.yaml runtime.options.nodeargs,
// the npm scripts, the tests, ops/bin/slipway.cjs, policy/pack.cjs): it loads TypeScript
// through Node's public module hooks, keeping every file's line numbers, and makes two
// start-up savings that change nothing the program declares. bench/run.ts measures them;
// docs/performance.md has the figures and the profile behind each.
const Module = require("node:module");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { fileURLToPath, pathToFileURL } = require("node:url");
const { nodeVersionProblem } = require("./node-version.cjs");

/** Stops the process with one line on stderr, written before it exits (a pipe may be asynchronous). */
function stop(message) {
  fs.writeSync(2, `${message}\n`);
  process.exit(1);
}

// Before anything else: an older Node than package.json's engines says stops here, in one line.
const tooOld = nodeVersionProblem(process.versions);
if (tooOld) stop(tooOld);

// 1. TypeScript, types stripped and not checked (that is `npm run typecheck`), as CommonJS,
// by sucrase, which keeps every line where it was (sucrase 3.35.1, dist/computeSourceMap.js:
// its source map says "each line maps directly to the original line"; and
// test/infra/error-positions.slow.test.ts holds it to that under the CLI):
// a stack trace names the `.ts` file and line without source maps, whose cost Pulumi's
// stack trace per resource and per promise would pay on every frame. Node's own type stripping keeps
// positions too, but it loads a file with `import` as an ES module, which needs `.ts` in
// every import (docs/performance.md weighs it). Hooks: Node's public module customisation
// (nodejs.org/api/module.html, "Synchronous customization hooks", Node >= 22.15), which
// apply to require() too. Each file's output is cached by its content, the sucrase version
// and the options, in the system's temporary folder, so a copy of the project reuses it.
// `import()` stays an import (sucrase's README, "preserveDynamicImport"): the ES-module-only
// packages (kubernetes-models, for manifest validation) load only through it, as they did
// when TypeScript compiled these files.
const TRANSFORM = { transforms: ["typescript", "imports"], preserveDynamicImport: true };
// By user id, not os.userInfo(), which throws for a uid with no passwd entry (containers
// run under an arbitrary uid).
const CACHE_DIR = path.join(os.tmpdir(), `slipway-typescript-${process.getuid?.() ?? "user"}`);
let sucrase;

function transformed(filename, source) {
  sucrase ??= loadSucrase();
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([sucrase.getVersion(), TRANSFORM]))
    .update(source)
    .digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const { code } = sucrase.transform(source, { ...TRANSFORM, filePath: filename });
    // Written aside and renamed, so a parallel process never reads half a file.
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
    return code;
  }
}

// Before `npm ci` there is no sucrase: say so in one line, not with Node's 20-line trace.
function loadSucrase() {
  try {
    return require("sucrase");
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND" || !/'sucrase'/.test(error.message)) throw error;
    stop("Slipway's dependencies are not installed (sucrase is missing): run npm ci first");
  }
}

/**
 * `./config` (or an absolute path) required from a `.ts` file is `./config.ts`, or
 * `./config/index.ts`, as tsconfig's CommonJS resolution reads it.
 */
function typeScriptFile(specifier, parentURL) {
  const isPath = specifier.startsWith("./") || specifier.startsWith("../") || path.isAbsolute(specifier);
  if (!isPath || !parentURL?.endsWith(".ts")) return undefined;
  const base = path.resolve(path.dirname(fileURLToPath(parentURL)), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
}

Module.registerHooks({
  resolve(specifier, context, nextResolve) {
    const file = typeScriptFile(specifier, context.parentURL);
    return file
      ? { url: pathToFileURL(file).href, format: "commonjs", shortCircuit: true }
      : nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
    const filename = fileURLToPath(url);
    const source = transformed(filename, fs.readFileSync(filename, "utf8"));
    return { format: "commonjs", source, shortCircuit: true };
  },
});

// 2. Node's on-disk code cache (nodejs.org/api/module.html, "Module compile cache"): later
// runs skip compiling the SDKs' JavaScript. It lives in the system's temporary folder (or
// NODE_COMPILE_CACHE) and is checked against each file's content.
Module.enableCompileCache();

// 3. The one adapter over the Pulumi SDK's internals, with its test: two start-up packages
// that Slipway never uses loaded on first use, and stacks formatted by V8, not by the
// source-map-support cmd/run installs.
require("./pulumi-sdk-adapter.cjs");
