/**
 * Slipway's stand-in for Pulumi's Node.js language host (`pulumi-language-nodejs`), for the
 * sandbox only. The real host is a Go module of its own
 * (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) that the Go module
 * proxy these machines reach does not serve, so `.ci/pulumi-cli` cannot build it; the real
 * CLI finds this one on PATH instead (sandbox/bin). Where a real host is installed beside the
 * CLI, the sandbox uses that one (sandbox/environment.ts).
 *
 * It starts the program the way the real host does at v3.248.0, read from its source
 * (pulumi/pulumi, sdk/nodejs/cmd/pulumi-language-nodejs/main.go): `node <nodeargs>
 * @pulumi/pulumi/cmd/run --monitor … --engine … --project … --stack … --pwd … [--dry-run]
 * --parallel N <entry point>`, the stack config in PULUMI_CONFIG with keys as
 * `<namespace>:config:<name>`, the secret keys in PULUMI_CONFIG_SECRET_KEYS, and
 * PULUMI_NODEJS_TYPESCRIPT only when `runtime.options.typescript` is true (its default).
 * The program is Pulumi's own `cmd/run`, so what runs is the user's path from there on.
 *
 * Differences, kept small on purpose: the program talks to the engine's monitor directly
 * (the real host proxies it, to serve synchronous invokes over files, which Slipway does not
 * use), and policy packs are not run (the real host's RunPlugin); `pulumi preview
 * --policy-pack` in the sandbox therefore needs the real host.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";

/** The version this host reports: the SDK's, as the real host reports the CLI release it ships with. */
const HOST_VERSION: string = (
  JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }
).version;

/** The exit code by which `cmd/run` says it already showed the user an actionable message (main.go). */
const EXITED_AFTER_USER_MESSAGE = 32;

/** The `runtime.options` of Pulumi.yaml the host reads (main.go, parseOptions). */
export interface NodeOptions {
  /** Whether `cmd/run` compiles TypeScript with ts-node. @default true */
  readonly typescript: boolean;
  /** Extra arguments for node, split like a shell would. @default "" */
  readonly nodeargs: string;
}

/** Reads `runtime.options`, with the real host's defaults and its refusals of wrong types. */
export function nodeOptions(options: Record<string, unknown>): NodeOptions {
  const { typescript = true, nodeargs = "" } = options;
  if (typeof typescript !== "boolean") throw new Error("typescript option must be a boolean");
  if (typeof nodeargs !== "string") throw new Error("nodeargs option must be a string");
  return { typescript, nodeargs };
}

/** Splits `nodeargs` into words, honouring quotes (the real host uses shlex). */
export function splitWords(text: string): string[] {
  const words = text.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return words.map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}

/** The config the program reads: each `ns:name` key as `ns:config:name` (main.go, constructConfig). */
export function programConfig(config: ReadonlyMap<string, string> | Iterable<[string, string]>): string {
  const entries = [...config].map(([key, value]) => {
    const at = key.indexOf(":");
    return [at < 0 ? key : `${key.slice(0, at)}:config:${key.slice(at + 1)}`, value];
  });
  return JSON.stringify(Object.fromEntries(entries));
}

/** The arguments after node's own: `cmd/run`'s flags, then the entry point (main.go, constructArguments). */
export function runArguments(req: langproto.RunRequest, runPath: string, engineAddress: string): string[] {
  const args = [runPath];
  const flag = (name: string, value: string) => {
    if (value !== "") args.push(`--${name}`, value);
  };
  const info = req.getInfo();
  flag("monitor", req.getMonitorAddress());
  flag("engine", engineAddress);
  flag("organization", req.getOrganization());
  flag("project", req.getProject());
  flag("root-directory", info?.getRootDirectory() ?? "");
  flag("stack", req.getStack());
  flag("pwd", info?.getProgramDirectory() ?? req.getPwd());
  if (req.getDryrun()) args.push("--dry-run");
  flag("parallel", String(req.getParallel()));
  args.push(info?.getEntryPoint() || req.getProgram() || ".", ...req.getArgsList());
  return args;
}

/** A package that brings a resource plugin: its package.json has `pulumi.resource: true`. */
interface PluginPackage {
  readonly name: string;
  readonly version: string;
}

/** The resource plugins the program's packages need (main.go, getPackagesFromDir and getPackageInfo). */
export function requiredPlugins(programDir: string): PluginPackage[] {
  const found = new Map<string, PluginPackage>();
  const visit = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const dirs = entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((e) => path.join(modules, entry, e))
        : [path.join(modules, entry)];
      for (const dir of dirs) {
        const plugin = pluginOf(path.join(dir, "package.json"));
        if (plugin) found.set(`${plugin.name}@${plugin.version}`, plugin);
        visit(path.join(dir, "node_modules"));
      }
    }
  };
  visit(path.join(programDir, "node_modules"));
  return [...found.values()];
}

function pluginOf(packageJson: string): PluginPackage | undefined {
  if (!fs.existsSync(packageJson)) return undefined;
  const info = JSON.parse(fs.readFileSync(packageJson, "utf8")) as {
    name?: string;
    version?: string;
    pulumi?: { resource?: boolean; name?: string; version?: string };
  };
  if (!info.pulumi?.resource) return undefined;
  const name = info.pulumi.name ?? info.name?.replace(/^@pulumi\//, "");
  const version = info.pulumi.version ?? info.version;
  if (!name || !version) return undefined;
  return { name, version: version.startsWith("v") ? version : `v${version}` };
}

/** Runs the program to its end and answers as the real host does. */
async function runProgram(req: langproto.RunRequest, engineAddress: string): Promise<langproto.RunResponse> {
  const response = new langproto.RunResponse();
  const info = req.getInfo();
  const programDir = info?.getProgramDirectory() ?? req.getPwd();
  let options: NodeOptions;
  try {
    options = nodeOptions((info?.getOptions()?.toJavaScript() ?? {}) as Record<string, unknown>);
  } catch (error) {
    return (response.setError((error as Error).message), response);
  }
  const runPath = require.resolve("@pulumi/pulumi/cmd/run", { paths: [programDir] });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_CONFIG: programConfig(req.getConfigMap().entries() as Iterable<[string, string]>),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
  };
  if (options.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  const args = [...splitWords(options.nodeargs), ...runArguments(req, runPath, engineAddress)];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (exitCode) => resolve(exitCode));
  });
  if (code === EXITED_AFTER_USER_MESSAGE) response.setBail(true);
  else if (code !== 0) response.setError(`Program exited with non-zero exit code: ${code}`);
  return response;
}

/** Serves the LanguageRuntime service and prints its port, which is how the CLI finds a plugin. */
function serve(engineAddressArg: string | undefined): void {
  let engineAddress = engineAddressArg ?? "";
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const implementation: Partial<langrpc.ILanguageRuntimeServer> = {
    handshake(call, callback) {
      engineAddress = call.request.getEngineAddress();
      callback(null, new langproto.LanguageHandshakeResponse());
    },
    getPluginInfo(_call, callback) {
      const info = new plugproto.PluginInfo();
      info.setVersion(HOST_VERSION);
      callback(null, info);
    },
    getRequiredPackages(call, callback) {
      const response = new langproto.GetRequiredPackagesResponse();
      const programDir = call.request.getInfo()?.getProgramDirectory() ?? process.cwd();
      response.setPackagesList(
        requiredPlugins(programDir).map((plugin) => {
          const dependency = new plugproto.PackageDependency();
          dependency.setKind("resource");
          dependency.setName(plugin.name);
          dependency.setVersion(plugin.version);
          return dependency;
        }),
      );
      callback(null, response);
    },
    run(call, callback) {
      runProgram(call.request, engineAddress).then(
        (response) => callback(null, response),
        (error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
      );
    },
    installDependencies(call) {
      call.end();
    },
    cancel(_call, callback) {
      callback(null, new emptyproto.Empty());
    },
  };
  server.addService(langrpc.LanguageRuntimeService, implementation as langrpc.ILanguageRuntimeServer);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      console.error(`slipway stand-in language host: ${error.message}`);
      process.exit(1);
    }
    console.log(port);
  });
}

if (require.main === module) {
  // The CLI passes flags first (--tracing, --runtime), then the engine's address.
  serve(process.argv.slice(2).find((arg) => !arg.startsWith("-")));
}
