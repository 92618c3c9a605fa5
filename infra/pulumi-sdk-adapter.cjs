// The one place Slipway depends on how the Pulumi SDK is built inside, not on what it
// publishes: three requires of @pulumi/pulumi 3.248.0 get a stand-in.
// test/infra/pulumi-sdk-adapter.test.ts fails when the SDK stops requiring these modules
// from those files, so an SDK upgrade that changes them is seen, not silently slower, hung
// or broken. Through Node's public module hooks
// (nodejs.org/api/module.html, "Synchronous customization hooks", Node >= 22.15), not
// Node's private loader functions.
//
// 1. Deferred: @pulumi/pulumi loads two large packages when it starts that only its
// function serialiser uses (pulumi.runtime.serializeFunction, which Slipway never calls):
// `typescript`, required by typescript-shim.js (itself required at load by
// runtime/closure/parseFunction.js), and `@npmcli/arborist`, required at load by
// runtime/closure/codePaths.js. Those two files, and only they, get a stand-in that loads
// the real package on its first use: half a second of every start (docs/performance.md).
//
// 2. Stacks formatted by V8, as without the SDK: cmd/run/index.js installs source-map-support
// (`source-map-support/register`), whose Error.prepareStackTrace then formats every stack
// in the process in JavaScript, frame by frame: the SDK takes one per resource and one per
// internal promise, and that was a quarter of the CPU time of a production preview
// (docs/performance.md). It maps only files that carry a source map: Slipway's have none
// and need none (infra/fast-start.cjs keeps their lines); the SDK's are mapped to sources
// the package does not ship (node_modules/@pulumi/resource.ts), and cmd/run reports an
// uncaught error with util.inspect(err, { colors: true }) (cmd/run/error.js), which on Node
// 22.23 loops forever on a path with no "/" after "node_modules/@scope/"
// (lib/internal/util/inspect.js, markNodeModules): every error thrown in a component hung
// the preview instead of being reported. So that one require gets an empty stand-in;
// `node --enable-source-maps` still maps any file that has a map, for whoever wants it.

const Module = require("node:module");
const path = require("node:path");
const { fileURLToPath, pathToFileURL } = require("node:url");

/** Each module replaced by a stand-in, by the SDK file (relative to @pulumi/pulumi) that requires it. */
const STAND_INS = {
  typescript: "typescript-shim.js",
  "@npmcli/arborist": path.join("runtime", "closure", "codePaths.js"),
  "source-map-support/register": path.join("cmd", "run", "index.js"),
};

/** Where a stand-in lives: a URL of its own per package, which no file on disk has. */
const STAND_IN = pathToFileURL(path.join(path.dirname(module.filename), "sdk-stand-in")).href;

/**
 * A deferred package's stand-in: the package, loaded from `filename` on the first use of
 * any of its properties.
 */
function deferredExports(filename) {
  let loaded;
  const real = () => (loaded ??= require(filename));
  return new Proxy(
    {},
    {
      // `__importStar` (TypeScript's interop, codePaths.js) reads `__esModule` first; saying
      // true keeps it from copying, and so loading, every export.
      get: (_, key) => (key === "__esModule" && loaded === undefined ? true : Reflect.get(real(), key)),
      has: (_, key) => Reflect.has(real(), key),
      ownKeys: () => Reflect.ownKeys(real()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

/** The SDK file that requires `specifier` at start, or undefined for any other require. */
function standInFor(specifier, parentURL) {
  const file = Object.hasOwn(STAND_INS, specifier) ? STAND_INS[specifier] : undefined;
  if (!file || !parentURL?.startsWith("file:")) return undefined;
  return fileURLToPath(parentURL).endsWith(path.join("node_modules", "@pulumi", "pulumi", file)) ? file : undefined;
}

/** The real file of each stand-in handed out, by the stand-in's URL. */
const realFiles = new Map();

Module.registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!standInFor(specifier, context.parentURL)) return nextResolve(specifier, context);
    const standIn = `${STAND_IN}/${specifier.replace(/[^\w.-]/g, "-")}.cjs`;
    realFiles.set(standIn, fileURLToPath(nextResolve(specifier, context).url));
    return { url: standIn, format: "commonjs", shortCircuit: true };
  },
  load(url, context, nextLoad) {
    const filename = realFiles.get(url);
    if (filename === undefined) return nextLoad(url, context);
    const source = url.endsWith("source-map-support-register.cjs")
      ? "module.exports = {};"
      : `module.exports = require(${JSON.stringify(module.filename)}).deferredExports(${JSON.stringify(filename)});`;
    return { format: "commonjs", source, shortCircuit: true };
  },
});

module.exports = { STAND_INS, deferredExports };
