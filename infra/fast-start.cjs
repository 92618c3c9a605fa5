// Preloaded after tsx (Pulumi.yaml runtime.options.nodeargs): three start-up savings that
// change nothing the program declares. bench/run.ts measures them; docs/performance.md
// has the figures and the profile behind each.
const Module = require("node:module");

// 1. Pulumi records a full stack trace for every resource it registers; with source maps
// on, Node maps every frame of every trace, about a third of a cold preview. Error
// positions then point at tsx's output, which keeps the file names. To debug with exact
// TypeScript lines, drop this preload from nodeargs.
process.setSourceMapsEnabled(false);

// 2. Node's on-disk code cache (Node >= 22.1; nodejs.org/api/module.html, "Module compile
// cache"): later runs skip compiling the SDKs' JavaScript. It lives in the system's
// temporary folder (or NODE_COMPILE_CACHE) and is checked against each file's content.
Module.enableCompileCache?.();

// 3. @pulumi/pulumi loads two large packages when it starts that only its function
// serialiser uses (pulumi.runtime.serializeFunction, which Slipway never calls):
// `typescript` through typescript-shim.js (required by runtime/closure/parseFunction.js)
// and `@npmcli/arborist` (required by runtime/closure/codePaths.js), in @pulumi/pulumi
// 3.248.0. Each is now loaded when it is first used instead: about 0.5 s of every cold
// start. A caller that does use them gets the real module on its first property access.
const DEFERRED = new Set(["typescript", "@npmcli/arborist"]);
const load = Module._load;
Module._load = function loadDeferred(request, parent, isMain) {
  if (!DEFERRED.has(request)) return load.apply(this, arguments);
  let loaded;
  const real = () => (loaded ??= load.call(this, request, parent, isMain));
  return new Proxy(
    {},
    {
      // `__importStar` (TypeScript's interop, codePaths.js) reads `__esModule` first; saying
      // true keeps it from copying, and so loading, every export.
      get: (_, key) => (key === "__esModule" && loaded === undefined ? true : Reflect.get(real(), key)),
      has: (_, key) => Reflect.has(real(), key),
      ownKeys: () => Reflect.ownKeys(real()),
      getOwnPropertyDescriptor: (_, key) => {
        // tsx asks every module for a "module.exports" key (its ESM interop); neither has one.
        if (key === "module.exports" && loaded === undefined) return undefined;
        const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
};
