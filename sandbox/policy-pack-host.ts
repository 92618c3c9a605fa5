/**
 * How the stand-in language host starts a policy pack (`RunPlugin` with kind `analyzer`),
 * as pulumi-language-nodejs 3.248.0 does (pulumi/pulumi, sdk/nodejs/cmd/pulumi-language-nodejs/
 * main.go, RunPlugin; sdk/policy_proxy.go, PolicyProxy):
 *
 * 1. serve an Analyzer proxy and print its port, which the engine connects to;
 * 2. wait for the engine's `ConfigureStack` (or any other call, which means there is none);
 * 3. start `node @pulumi/pulumi/cmd/run-policy-pack <args> <pack folder>` in the pack's folder
 *    with the request's environment plus PULUMI_NODEJS_ORGANIZATION, _PROJECT, _STACK,
 *    _DRY_RUN and PULUMI_CONFIG from that configuration;
 * 4. read the pack's port from its first line of output, pass it the configuration, and
 *    forward every Analyzer call to it until it exits.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn } from "node:child_process";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import type * as langproto from "@pulumi/pulumi/proto/language_pb";
import { splitWords } from "./node-options";

/** A value that arrives later, once. */
class Later<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: Error) => void;
  settled = false;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = (value) => ((this.settled = true), resolve(value));
      this.reject = (error) => ((this.settled = true), reject(error));
    });
  }
}

type Callback = (error: grpc.ServiceError | null, value?: unknown) => void;

/** The environment the pack starts with: the request's, and the stack's configuration. */
export function packEnvironment(
  requestEnv: readonly string[],
  config: analyzerProto.AnalyzerStackConfigureRequest | undefined,
  typescript: boolean,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    requestEnv.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  if (typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (!config) return env;
  const set = (name: string, value: string) => {
    if (value !== "") env[name] = value;
  };
  set("PULUMI_NODEJS_ORGANIZATION", config.getOrganization());
  set("PULUMI_NODEJS_PROJECT", config.getProject());
  set("PULUMI_NODEJS_STACK", config.getStack());
  set("PULUMI_NODEJS_DRY_RUN", String(config.getDryRun()));
  set(
    "PULUMI_CONFIG",
    JSON.stringify(Object.fromEntries(config.getConfigMap().entries() as Iterable<[string, string]>)),
  );
  return env;
}

/** Serves `RunPlugin` for a policy pack, writing the plugin's output into the call's stream. */
export async function runPolicyPack(
  call: grpc.ServerWritableStream<langproto.RunPluginRequest, langproto.RunPluginResponse>,
  response: () => langproto.RunPluginResponse,
  options: { typescript: boolean; nodeargs: string },
): Promise<void> {
  const req = call.request;
  const packDir = req.getInfo()?.getProgramDirectory() ?? req.getPwd();
  const write = (field: "stdout" | "stderr", data: Buffer | string) => {
    const message = response();
    if (field === "stdout") message.setStdout(Buffer.from(data));
    else message.setStderr(Buffer.from(data));
    call.write(message);
  };
  const configuration = new Later<analyzerProto.AnalyzerStackConfigureRequest | undefined>();
  const client = new Later<analyzerRpc.AnalyzerClient>();
  const proxy = new grpc.Server();
  proxy.addService(analyzerRpc.AnalyzerService, proxyCalls(configuration, client));
  const port = await new Promise<number>((resolve, reject) =>
    proxy.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  write("stdout", `${port}\n`);

  const config = await configuration.promise;
  const runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
  // The real host puts nodeargs after the script, where they reach run-policy-pack, not node.
  const args = [runPath, ...splitWords(options.nodeargs), ...req.getArgsList(), packDir];
  const child = spawn(process.execPath, args, {
    cwd: packDir,
    env: packEnvironment(req.getEnvList(), config, options.typescript),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.on("data", (data: Buffer) => write("stderr", data));
  let first = "";
  const onData = (data: Buffer) => {
    if (client.settled) return write("stdout", data);
    first += data.toString();
    const newline = first.indexOf("\n");
    if (newline < 0) return;
    const packPort = Number(first.slice(0, newline).trim());
    const packClient = new analyzerRpc.AnalyzerClient(`127.0.0.1:${packPort}`, grpc.credentials.createInsecure());
    const rest = first.slice(newline + 1);
    if (rest) write("stdout", rest);
    if (!config) return client.resolve(packClient);
    packClient.configureStack(config, (error) => {
      if (error && error.code !== grpc.status.UNIMPLEMENTED)
        client.reject(new Error(`policy pack configuration failed: ${error.message}`));
      else client.resolve(packClient);
    });
  };
  child.stdout.on("data", onData);
  const code = await new Promise<number>((resolve) => child.on("exit", (exitCode) => resolve(exitCode ?? 1)));
  if (!client.settled) client.reject(new Error(`policy pack exited with code ${code} before it started`));
  proxy.forceShutdown();
  const last = response();
  last.setExitcode(code);
  call.write(last);
  call.end();
}

/** The proxy's Analyzer calls: handshake and configuration answered here, the rest forwarded. */
function proxyCalls(
  configuration: Later<analyzerProto.AnalyzerStackConfigureRequest | undefined>,
  client: Later<analyzerRpc.AnalyzerClient>,
): grpc.UntypedServiceImplementation {
  const forward =
    (method: string) =>
    (call: grpc.ServerUnaryCall<unknown, unknown>, callback: Callback): void => {
      // A call before any configuration means the engine sends none (PolicyProxy.awaitClient).
      if (!configuration.settled) configuration.resolve(undefined);
      client.promise.then(
        (packClient) =>
          (packClient as unknown as Record<string, (req: unknown, cb: Callback) => void>)[method]!(
            call.request,
            callback,
          ),
        (error: Error) =>
          callback({
            code: grpc.status.UNAVAILABLE,
            details: `policy pack not started: ${error.message}`,
          } as grpc.ServiceError),
      );
    };
  return {
    handshake: (_call: unknown, callback: Callback) => callback(null, new analyzerProto.AnalyzerHandshakeResponse()),
    configureStack: (
      call: grpc.ServerUnaryCall<analyzerProto.AnalyzerStackConfigureRequest, unknown>,
      callback: Callback,
    ) => {
      if (!configuration.settled) configuration.resolve(call.request);
      callback(null, new analyzerProto.AnalyzerStackConfigureResponse());
    },
    analyze: forward("analyze"),
    analyzeStack: forward("analyzeStack"),
    remediate: forward("remediate"),
    getAnalyzerInfo: forward("getAnalyzerInfo"),
    getPluginInfo: forward("getPluginInfo"),
    configure: forward("configure"),
    cancel: forward("cancel"),
  };
}
