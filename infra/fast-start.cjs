// The one preload of every TypeScript entry point (Pulumi.yaml runtime.options.nodeargs,
// the npm scripts, the tests): it loads TypeScript, and makes four start-up savings that
// change nothing the program declares. bench/run.ts measures them; docs/performance.md
// has the figures and the profile behind each.
const Module = require("node:module");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { nodeVersionProblem } = require("./node-version.cjs");

/** Stops the process with one line on stderr, written before it exits (a pipe may be asynchronous). */
function stop(message) {
  fs.writeSync(2, `${message}\n`);
  process.exit(1);
}

// Before anything else: an older Node than package.json's engines says stops here, in one line.
const tooOld = nodeVersionProblem(process.versions);
if (tooOld) stop(tooOld);

// 0. TypeScript, types stripped and not checked (that is `npm run typecheck`), by esbuild,
// the transformer tsx uses too. Only `.ts` files go through here: tsx's CommonJS hook also
// reads and scans every JavaScript file of the SDKs for ESM syntax, about 0.35 s of each
// cold start. Registering `.ts` in Module._extensions is also what lets Node's CommonJS
// resolver find `./config` as `config.ts`. Each file's output is cached by its path, its
// content, the esbuild version and the options, in the system's temporary folder.
const TRANSFORM = { loader: "ts", format: "cjs", target: `node${process.versions.node.split(".")[0]}` };
// By user id, not os.userInfo(), which throws for a uid with no passwd entry (containers
// run under an arbitrary uid).
const CACHE_DIR = path.join(os.tmpdir(), `slipway-typescript-${process.getuid?.() ?? "user"}`);
let esbuild;
Module._extensions[".ts"] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  module._compile(transformed(filename, source), filename);
};
function transformed(filename, source) {
  esbuild ??= loadEsbuild();
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify([esbuild.version, TRANSFORM, filename]))
    .update(source)
    .digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const { code } = esbuild.transformSync(source, { ...TRANSFORM, sourcefile: filename });
    // Written aside and renamed, so a parallel process never reads half a file.
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
    return code;
  }
}

// Before `npm ci` there is no esbuild: say so in one line, not with Node's 20-line trace.
function loadEsbuild() {
  try {
    return require("esbuild");
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND" || !/'esbuild'/.test(error.message)) throw error;
    stop("Slipway's dependencies are not installed (esbuild is missing): run npm ci first");
  }
}

// 1. Pulumi records a full stack trace for every resource it registers; with source maps
// on, Node maps every frame of every trace, about a third of a cold preview. Error
// positions then point at esbuild's output, which keeps the file names but not the lines.
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
        // A CommonJS loader may ask for a "module.exports" key (tsx's ESM interop); neither has one.
        if (key === "module.exports" && loaded === undefined) return undefined;
        const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
};
