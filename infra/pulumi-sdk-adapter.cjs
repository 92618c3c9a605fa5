// The one place Slipway depends on how the Pulumi SDK is built inside, not on what it
// publishes. Two adjustments, each to one file of @pulumi/pulumi 3.248.0 that Slipway does
// not call itself; test/infra/pulumi-sdk-adapter.test.ts fails when the SDK stops
// requiring these modules from those files, so an SDK upgrade that changes them is seen,
// not silently slower, hung or broken. Through Node's public module hooks
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
// 2. The SDK's frames left as they are: cmd/run/index.js installs source-map-support
// (`source-map-support/register`), which maps every stack frame of the SDK's own files
// through their .js.map to sources the package does not ship, named
// node_modules/@pulumi/resource.ts. cmd/run reports an uncaught error with
// util.inspect(err, { colors: true }) (cmd/run/error.js), and Node 22.23's inspect loops
// forever on a stack line whose path has no "/" after "node_modules/@scope/"
// (lib/internal/util/inspect.js, markNodeModules): an error thrown in a component hung the
// preview instead of being reported. Installed with a source-map lookup that gives files
// under node_modules an empty map, the SDK's frames keep their real .js positions; the
// project's .ts files need no map (infra/fast-start.cjs keeps their lines).
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
const STAND_IN = pathToFileURL(path.join(__dirname, "sdk-deferred")).href;

/**
 * The stand-in's exports: the package, loaded from `filename` on the first use of any of
 * its properties.
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

/** An empty source map: source-map-support then keeps a frame's own position. */
const NO_MAP = { version: 3, sources: [], names: [], mappings: "" };
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/** source-map-support, whose register.js is `filename`, installed as register.js does, but with no maps for dependencies. */
function installSourceMapSupport(filename) {
  require(path.dirname(filename)).install({
    retrieveSourceMap: (source) => (source.includes(NODE_MODULES) ? { url: source, map: NO_MAP } : null),
  });
  return {};
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
    const make = url.endsWith("source-map-support-register.cjs") ? "installSourceMapSupport" : "deferredExports";
    const source = `module.exports = require(${JSON.stringify(__filename)}).${make}(${JSON.stringify(filename)});`;
    return { format: "commonjs", source, shortCircuit: true };
  },
});

module.exports = { STAND_INS, deferredExports, installSourceMapSupport };
