/**
 * Evaluates Slipway's policy pack the way the Pulumi CLI does, without the CLI: the pack
 * runs in its own process and serves the Analyzer gRPC protocol through @pulumi/policy
 * (`new PolicyPack(...)` prints the port it listens on, as `pulumi preview --policy-pack`
 * expects), and this client configures it from `policy/config/<stack>.json`, sends every
 * resource to `Analyze` (its inputs, as before a step) and the whole stack to
 * `AnalyzeStack` (with dependencies and property dependencies), in the wire format the
 * engine uses: secrets wrapped, values not known yet sent as unknowns.
 *
 * So the offline plan, the tests and a real preview run the same policy code over the same
 * kind of data, and a rule that reads an unknown is reported as "can't run" here as it
 * is in a real preview (@pulumi/policy 1.21.0 server.js, makeAnalyzeRpcFun).
 *
 * What differs from the CLI: the CLI starts the pack with `run-policy-pack`, which loads
 * TypeScript through ts-node with type checking (slow); here infra/fast-start.cjs loads it. The test
 * `policy-pack.test.ts` also starts it through `run-policy-pack` to prove that path.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import { SECRET_MASK, SECRET_SIG, SIG_KEY, UNKNOWN_MARK, WIRE_UNKNOWN, type ProgramRecord } from "./record";
import type { RecordedResource } from "./record";

/** The policy pack's folder. */
export const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");

/** Enforcement a diagnostic was reported with. */
export type DiagnosticLevel = "advisory" | "mandatory" | "disabled" | "remediate";

/** One diagnostic the pack returned, as the CLI would print it. */
export interface PackDiagnostic {
  /** Policy name. */
  readonly policy: string;
  /** Enforcement level of this diagnostic ("can't run" notes are advisory). */
  readonly level: DiagnosticLevel;
  /** URN of the resource it is about; "" for the stack. */
  readonly urn: string;
  /** The message. */
  readonly message: string;
  /** True for @pulumi/policy's "can't run policy ... during preview" notes. */
  readonly cannotRun: boolean;
}

/** Policy-pack config as `--policy-pack-config` reads it: policy name to its settings. */
export type PackConfig = Record<string, { enforcementLevel: string } & Record<string, unknown>>;

const LEVELS: Record<number, DiagnosticLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_CODES: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

/** Reads `policy/config/<file>.json`. */
export function readPackConfig(file: string): PackConfig {
  return JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
}

let sharedServer: Promise<PolicyPackServer> | undefined;

/** A running policy pack and a client connected to it. */
export class PolicyPackServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: analyzerRpc.AnalyzerClient,
  ) {}

  /**
   * Starts the pack in a child process and connects to the port it prints. Fails with the
   * pack's own error output when it does not start.
   *
   * `loader` picks how the TypeScript is loaded: `fast-start` (infra/fast-start.cjs, for the plan and most
   * tests) or `run-policy-pack`, the CLI's own path (ts-node with type checking, seconds
   * slower), which proves the pack loads the way `pulumi preview --policy-pack` loads it.
   */
  static async start(
    policyDir = POLICY_DIR,
    loader: "fast-start" | "run-policy-pack" = "fast-start",
  ): Promise<PolicyPackServer> {
    const args =
      loader === "fast-start"
        ? [
            "--require",
            path.resolve(__dirname, "..", "..", "infra", "fast-start.cjs"),
            path.join(policyDir, "index.ts"),
          ]
        : // What the pulumi-analyzer-policy plugin runs: <engine address> <pack path>; the
          // pack never calls the engine, so the address is a placeholder.
          [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."];
    const child = spawn(process.execPath, args, { cwd: policyDir, stdio: ["ignore", "pipe", "pipe"] });
    // Ends with this process from the moment it exists: a plan that stops early (a missing
    // stack file) exits before the pack has printed its port, and the pack would outlive it.
    const endWithParent = () => child.kill();
    process.once("exit", endWithParent);
    child.once("exit", () => process.off("exit", endWithParent));
    const port = await readPort(child);
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    return new PolicyPackServer(child, client);
  }

  /**
   * One pack server per process, started on first use and ended with the process (see start):
   * a plan uses it once, and a test process that plans many times does not pay for a new
   * pack process each time. Configure is sent before every analysis, so runs never share
   * levels or a stack.
   */
  static shared(): Promise<PolicyPackServer> {
    if (!sharedServer) {
      sharedServer = PolicyPackServer.start();
      sharedServer.catch(() => (sharedServer = undefined));
    }
    return sharedServer;
  }

  /** Stops the shared server, if one was started (a test process that planned in-process). */
  static async stopShared(): Promise<void> {
    const server = sharedServer;
    sharedServer = undefined;
    if (server) (await server.catch(() => undefined))?.stop();
  }

  /** `GetAnalyzerInfo`: the pack's name, version and policy names, as the CLI lists them. */
  async info(): Promise<{ name: string; version: string; policies: string[] }> {
    const info = (await this.call("getAnalyzerInfo", new emptyProto.Empty())) as analyzerProto.AnalyzerInfo;
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => p.getName()),
    };
  }

  /**
   * Analyzes a record as the engine does at the end of a preview (or an update, when the
   * record has known values): `Configure`, `ConfigureStack`, `Analyze` per resource,
   * `AnalyzeStack` once. `sent` leaves out of `Analyze` resources the caller knows the pack
   * says nothing about (ops/plan/policy.ts: types no resource rule reads).
   * @default sent - every resource the engine would send
   */
  async analyze(
    record: ProgramRecord,
    config: PackConfig,
    sent: (resource: RecordedResource) => boolean = () => true,
  ): Promise<PackDiagnostic[]> {
    await this.configure(record, config);
    const providers = providersOf(record);
    const analyzed = record.resources.filter((r) => isAnalyzed(r) && sent(r));
    const perResource = await inFlight(analyzed, ANALYZE_IN_FLIGHT, (r) => this.analyzeResource(record, r, providers));
    return [...perResource.flat(), ...(await this.analyzeStack(record, providers))];
  }

  /** `Configure` and `ConfigureStack`: the policies' levels and settings, and the stack. */
  async configure(record: ProgramRecord, config: PackConfig): Promise<void> {
    await this.call("configure", configureRequest(config));
    await this.call("configureStack", stackRequest(record));
  }

  /** `Analyze` of one resource of the record (its inputs, before its step). */
  async analyzeResource(
    record: ProgramRecord,
    resource: RecordedResource,
    providers = providersOf(record),
  ): Promise<PackDiagnostic[]> {
    const response = await this.call("analyze", analyzeRequest(resource, providers));
    // A resource policy's violation is about the resource analyzed.
    return diagnosticsOf(response).map((d) => ({ ...d, urn: d.urn || resource.urn }));
  }

  /** `AnalyzeStack` of the whole record. */
  async analyzeStack(record: ProgramRecord, providers = providersOf(record)): Promise<PackDiagnostic[]> {
    const method = analyzerRpc.AnalyzerService.analyzeStack;
    const bytes = analyzeStackBytes(record, providers);
    // The request goes as the bytes it is (grpc-js's public makeUnaryRequest, with no serialiser).
    const response = await new Promise<analyzerProto.AnalyzeResponse>((resolve, reject) => {
      this.client.makeUnaryRequest(
        method.path,
        (request: Buffer) => request,
        method.responseDeserialize,
        bytes,
        (err, res) => (err || !res ? reject(err ?? new Error("AnalyzeStack: no response")) : resolve(res)),
      );
    });
    return diagnosticsOf(response);
  }

  /** Stops the pack's process and closes the connection. */
  stop(): void {
    this.client.close();
    this.child.kill();
  }

  private call(method: string, request: unknown): Promise<unknown> {
    const client = this.client as unknown as Record<
      string,
      (req: unknown, callback: (err: grpc.ServiceError | null, res: unknown) => void) => void
    >;
    const rpc = client[method];
    if (!rpc) return Promise.reject(new Error(`the analyzer client has no ${method}`));
    return new Promise((resolve, reject) => {
      rpc.call(this.client, request, (err, response) => (err ? reject(err) : resolve(response)));
    });
  }
}

/**
 * How many `Analyze` calls are in flight at once. Each request is built when it is sent, so
 * a stack of thousands of resources never holds every request (and every pending response)
 * in memory at once, while enough are queued that the pack never waits for the next.
 */
const ANALYZE_IN_FLIGHT = 16;

/** `each` over `items`, at most `limit` at a time; the results in the items' order. */
async function inFlight<T, R>(items: readonly T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await each(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Waits for the port line a PolicyPack prints on start. */
function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const [line = ""] = stdout.split("\n");
      if (stdout.includes("\n") && /^\d+$/.test(line.trim())) resolve(Number(line.trim()));
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving: ${stderr.trim()}`)));
    child.on("error", reject);
  });
}

/** Resources the engine sends to `Analyze`: custom resources, not providers or components. */
export function isAnalyzed(r: RecordedResource): boolean {
  return r.custom && !isProvider(r);
}

function isProvider(r: RecordedResource): boolean {
  return r.type.startsWith("pulumi:providers:");
}

/** A record's providers as the messages every request about one of their resources carries. */
type Providers = Map<string, analyzerProto.AnalyzerProviderResource>;

/**
 * Each provider of the record as its message, built once per analysis: a stack's few
 * providers go with every one of its resources, and a message is only read when sent.
 */
function providersOf(record: ProgramRecord): Providers {
  return new Map(
    record.resources
      .filter(isProvider)
      .map((r) => [r.urn, describe(new analyzerProto.AnalyzerProviderResource(), r)] as const),
  );
}

/**
 * A recorded value in the engine's wire format: `[unknown]` becomes the unknown sentinel,
 * `[secret]` a secret whose value is unknown (the record never keeps secret plaintext; a
 * generated secret of a new stack is unknown in a preview anyway).
 */
function toWire(value: unknown): unknown {
  if (value === UNKNOWN_MARK) return WIRE_UNKNOWN;
  if (value === SECRET_MASK) return { [SIG_KEY]: SECRET_SIG, value: WIRE_UNKNOWN };
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

function struct(value: Record<string, unknown>): structProto.Struct {
  return structProto.Struct.fromJavaScript(toWire(value) as Record<string, structProto.JavaScriptValue>);
}

function configureRequest(config: PackConfig): analyzerProto.ConfigureAnalyzerRequest {
  const request = new analyzerProto.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  for (const [name, { enforcementLevel, ...properties }] of Object.entries(config)) {
    const policy = new analyzerProto.PolicyConfig();
    policy.setEnforcementlevel(LEVEL_CODES[enforcementLevel] as analyzerProto.EnforcementLevel);
    policy.setProperties(structProto.Struct.fromJavaScript(properties as Record<string, structProto.JavaScriptValue>));
    map.set(name, policy);
  }
  return request;
}

function stackRequest(record: ProgramRecord): analyzerProto.AnalyzerStackConfigureRequest {
  const request = new analyzerProto.AnalyzerStackConfigureRequest();
  request.setStack(record.stack);
  request.setProject(record.project);
  request.setDryRun(record.preview);
  return request;
}

function optionsOf(r: RecordedResource): analyzerProto.AnalyzerResourceOptions {
  const options = new analyzerProto.AnalyzerResourceOptions();
  options.setProtect(r.options.protect);
  options.setIgnorechangesList(r.options.ignoreChanges);
  options.setDeletebeforereplace(r.options.deleteBeforeReplace);
  options.setDeletebeforereplacedefined(r.options.deleteBeforeReplace);
  if (r.parent) options.setParent(r.parent);
  return options;
}

/** The fields every Analyzer message about a resource carries (the two request kinds share them). */
interface ResourceMessage {
  setType(value: string): unknown;
  setUrn(value: string): unknown;
  setName(value: string): unknown;
  setProperties(value: structProto.Struct): unknown;
}

/** Fills the common fields from a recorded resource (its inputs as properties). */
function describe<T extends ResourceMessage>(message: T, r: RecordedResource): T {
  message.setType(r.type);
  message.setUrn(r.urn);
  message.setName(r.name);
  message.setProperties(struct(r.inputs));
  return message;
}

function analyzeRequest(r: RecordedResource, providers: Providers): analyzerProto.AnalyzeRequest {
  const request = describe(new analyzerProto.AnalyzeRequest(), r);
  request.setOptions(optionsOf(r));
  const provider = providers.get(r.provider);
  if (provider) request.setProvider(provider);
  return request;
}

/**
 * `AnalyzeStack` gets every resource the deployment registered (pulumi/pulumi
 * step_generator.go, AnalyzeResources: the stack, components and providers included),
 * with its outputs; in a preview of a create those are its inputs with computed values
 * unknown, which is what a preview record holds.
 *
 * Serialised one resource at a time, so the request is never held as one message of every
 * resource (hundreds of megabytes of protobuf objects at a thousand apps), only as its
 * bytes: `resources` is the request's one field, and in protobuf's encoding a repeated
 * field is its elements' records one after another, so concatenated messages are merged
 * with their repeated fields appended (protobuf.dev/programming-guides/encoding, "Repeated
 * Elements" and "Last One Wins").
 *
 * Internal. Exported for testing.
 */
export function analyzeStackBytes(record: ProgramRecord, providers: Providers = providersOf(record)): Buffer {
  return Buffer.concat(
    record.resources.map((r) => {
      const one = new analyzerProto.AnalyzeStackRequest();
      one.setResourcesList([analyzerResource(r, providers)]);
      return one.serializeBinary();
    }),
  );
}

function analyzerResource(r: RecordedResource, providers: Providers): analyzerProto.AnalyzerResource {
  const resource = describe(new analyzerProto.AnalyzerResource(), r);
  resource.setOptions(optionsOf(r));
  resource.setParent(r.parent);
  resource.setDependenciesList(r.dependencies);
  const provider = providers.get(r.provider);
  if (provider) resource.setProvider(provider);
  const propertyDependencies = resource.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(r.propertyDependencies)) {
    const deps = new analyzerProto.AnalyzerPropertyDependencies();
    deps.setUrnsList(urns);
    propertyDependencies.set(key, deps);
  }
  return resource;
}

function diagnosticsOf(response: unknown): PackDiagnostic[] {
  return (response as analyzerProto.AnalyzeResponse).getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    urn: d.getUrn(),
    message: d.getMessage(),
    cannotRun: d.getMessage().startsWith("can't run policy"),
  }));
}
