/**
 * Runs the real Slipway program (`infra/index.ts`) under Pulumi's own mock runtime, with
 * a monitor that records every registration. The tests and `npm run plan` both go
 * through here, so what the tests prove is what the plan shows. Nothing here pretends to
 * be the Pulumi engine: it records what the program declares, never what the cloud would
 * change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { EncryptedValue, readStackFile, stackFilePath, type RawStackConfig } from "../infra/stack-file";
import { setStackFileDirectory } from "../infra/runtime-secrets";
import { urnOf } from "../lib/urn";
import { createMockCloud } from "./mock-cloud";
import { fromWire, SECRET_SIG, SIG_KEY, type ProgramRecord, type RecordedResource } from "./record";
import {
  createMockMonitor,
  skipEngineDiagnostics,
  type Callback,
  type RegisterRequest,
  type RegisterResponse,
} from "./sdk-internals";
import { PROJECT_ROOT } from "../lib/project-root";

/**
 * The `name:` of a checkout's `Pulumi.yaml`. The engine builds every URN from it, so the
 * harness reads it rather than assuming it: a rename shows up as the new identity of
 * every resource, as it would in a real preview.
 */
export function readProjectName(dir: string): string {
  const file = path.join(dir, "Pulumi.yaml");
  let name: unknown;
  try {
    name = (parseYaml(fs.readFileSync(file, "utf8")) as { name?: unknown } | null)?.name;
  } catch (error) {
    throw new ProgramError(`${file}: cannot be read: ${(error as Error).message.split("\n")[0]}`);
  }
  if (typeof name !== "string" || !/^[A-Za-z0-9_.-]{1,100}$/.test(name)) {
    throw new ProgramError(
      `${file}: name must be a project name (letters, digits, "-", "_", "."), not ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** Placeholder the offline run gives a `secure:` config value it cannot decrypt. */
export function offlineSecretPlaceholder(key: string): string {
  return `offline-secret(${key})`;
}

/** What to run. */
export interface RunOptions {
  /** Stack name; its config comes from `Pulumi.<stack>.yaml` unless `config` is given. */
  readonly stack: string;
  /** Config to use instead of the stack file (keys namespaced, as in the file). @default - the stack file */
  readonly config?: RawStackConfig;
  /** Project directory holding the stack files. @default - this checkout */
  readonly projectDir?: string;
  /** Varies the mock's generated secrets (a stand-in for a rotation). @default "1" */
  readonly mockSeed?: string;
  /** Checkout whose `infra/index.ts` runs (another revision's worktree). @default - this checkout */
  readonly programDir?: string;
  /**
   * Run as the engine runs `pulumi preview` of a new stack: every ID and every output a
   * provider computes is unknown (see mock-cloud.ts), `apply` callbacks on them do not
   * run, and the record carries `[unknown]` where a real preview would. Policy evaluation
   * uses this form; the human-readable plan may use the known form for its examples.
   * @default false
   */
  readonly preview?: boolean;
}

/** The program refused to run: bad config, unreadable stack file. `message` says why. */
export class ProgramError extends Error {
  override name = "ProgramError";
  constructor(
    message: string,
    /** Types registered before the program stopped (only the stack itself, when config fails). */
    readonly registeredTypes: string[] = [],
  ) {
    super(message);
  }
}

/** The project name this checkout's `Pulumi.yaml` declares. */
export const PROJECT = readProjectName(PROJECT_ROOT);

/** Pulumi's own mock monitor, wrapped to keep a record of each registration's full request. */
interface RecordingMonitor {
  /** Handed to the runtime as its monitor. */
  readonly monitor: ReturnType<typeof createMockMonitor>["monitor"];
  /** Every registration, in order. */
  readonly recorded: RecordedResource[];
  /** `registerOutputs` of each component and of the stack, by URN. */
  readonly outputsByUrn: Map<string, Record<string, unknown>>;
}

function createRecordingMonitor(mocks: pulumi.runtime.Mocks): RecordingMonitor {
  const { monitor, internals } = createMockMonitor(mocks);
  const recorded: RecordedResource[] = [];
  const outputsByUrn = new Map<string, Record<string, unknown>>();
  const register = internals.registerResource.bind(monitor);
  const registerOutputs = internals.registerResourceOutputs.bind(monitor);

  // URNs in the engine's form (the mock's own form prefixes the stack's type).
  internals.newUrn = (parent, type, name) => urnOf(pulumi.getStack(), pulumi.getProject(), parent, type, name);
  internals.registerResource = (req, callback) => {
    const type = req.getType();
    const parent = req.getParent();
    const provider = req.getProvider();
    recorded.push({
      urn: urnOf(pulumi.getStack(), pulumi.getProject(), parent, type, req.getName()),
      type,
      name: req.getName(),
      custom: req.getCustom(),
      parent,
      // A provider reference is `<urn>::<id>`; keep the URN.
      provider: provider ? provider.slice(0, provider.lastIndexOf("::")) : "",
      dependencies: [...new Set(req.getDependenciesList())],
      propertyDependencies: propertyDependenciesOf(req),
      inputs: fromWire(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      options: {
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        deleteBeforeReplace: req.getDeletebeforereplace() === true,
        ignoreChanges: req.getIgnorechangesList(),
      },
    });
    return register(req, markSecretOutputs(req.getAdditionalsecretoutputsList(), callback));
  };
  internals.registerResourceOutputs = (req, callback) => {
    outputsByUrn.set(req.getUrn(), fromWire(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
    registerOutputs(req, callback);
  };
  return { monitor, recorded, outputsByUrn };
}

/** Which resources each input came from, as the SDK sends it to the engine. */
function propertyDependenciesOf(req: RegisterRequest): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    const urns = [...new Set(deps.getUrnsList())];
    if (urns.length > 0) result[key] = urns;
  });
  return result;
}

/**
 * The engine wraps outputs named in `additionalSecretOutputs` (e.g. a RandomPassword's
 * `result`) as secrets; Pulumi's mock monitor does not, which would let a test pass a
 * password around in plain text that the real engine keeps secret. This does the same.
 */
function markSecretOutputs(names: string[], callback: Callback): Callback {
  if (names.length === 0) return callback;
  return (err, response) => {
    const object = (response as RegisterResponse | undefined)?.getObject();
    if (!err && object) {
      const outputs = object.toJavaScript();
      for (const name of names) {
        if (name in outputs) outputs[name] = { [SIG_KEY]: SECRET_SIG, value: outputs[name] };
      }
      (response as RegisterResponse).setObject(object.constructor.fromJavaScript(outputs));
    }
    callback(err, response);
  };
}

/** A stack's config as the CLI hands it to a program: each key's text, and the keys that are secret. */
export interface RuntimeConfig {
  /** Each top-level key's value: a string as is, anything else as JSON text. */
  readonly config: Record<string, string>;
  /** Keys that hold a `secure:` value at any depth. */
  readonly secretKeys: string[];
}

/**
 * The stack file's values the way the CLI hands them over: JSON text, with every key that
 * holds a `secure:` value (at any depth) listed as secret and its ciphertexts replaced by
 * placeholders, since offline there is no key to decrypt them.
 */
export function runtimeConfig(raw: RawStackConfig): RuntimeConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    let secret = false;
    const reveal = (node: unknown, at: string): unknown => {
      if (node instanceof EncryptedValue) {
        secret = true;
        return offlineSecretPlaceholder(at);
      }
      if (Array.isArray(node)) return node.map((item, i) => reveal(item, `${at}[${i}]`));
      if (node !== null && typeof node === "object") {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, reveal(v, `${at}.${k}`)]));
      }
      return node;
    };
    const plain = reveal(value, key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/** Hands the stack file's values to the runtime the way the CLI does ({@link runtimeConfig}). */
function setRuntimeConfig(raw: RawStackConfig): void {
  const { config, secretKeys } = runtimeConfig(raw);
  pulumi.runtime.setAllConfig(config, secretKeys);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the program for one stack and returns what it declared. Runs are serialised:
 * Pulumi's runtime state is per process.
 *
 * @throws ProgramError when the stack file is missing or invalid (message only, no trace).
 */
export function runProgram(options: RunOptions): Promise<ProgramRecord> {
  const run = queue.then(() => runOnce(options));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(options: RunOptions): Promise<ProgramRecord> {
  skipEngineDiagnostics();
  const projectDir = options.projectDir ?? PROJECT_ROOT;
  const project = options.programDir ? readProjectName(options.programDir) : PROJECT;
  let raw: RawStackConfig;
  try {
    raw = options.config ?? readStackFile(stackFilePath(projectDir, options.stack), project);
  } catch (error) {
    throw new ProgramError((error as Error).message);
  }
  // The program looks in its project for the stack file, to say where a misplaced
  // secret sits; the project this run is for (another program finds its own).
  if (!options.programDir) setStackFileDirectory(projectDir);
  const preview = options.preview ?? false;
  const mocks = createMockCloud({ seed: options.mockSeed, preview });
  await pulumi.runtime.setMocks(mocks, project, options.stack, preview);
  const monitor = createRecordingMonitor(mocks);
  pulumi.runtime.setMockOptions(monitor.monitor, project, options.stack, preview);
  setRuntimeConfig(raw);

  // Without an engine the SDK prints pulumi.log.warn with console.warn ("warning: [runtime]
  // ..."); the record keeps them instead, so a command runs the program twice (preview and
  // update forms) and still shows each warning once, where it belongs.
  const warnings: string[] = [];
  const printWarning = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(" ");
    if (text.startsWith("warning: [runtime] ")) warnings.push(text.slice("warning: [runtime] ".length));
    else printWarning(...args);
  };
  try {
    return await runCapturing(options, raw, monitor, project, preview, warnings);
  } finally {
    console.warn = printWarning;
  }
}

async function runCapturing(
  options: RunOptions,
  raw: RawStackConfig,
  monitor: RecordingMonitor,
  project: string,
  preview: boolean,
  warnings: string[],
): Promise<ProgramRecord> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program to run is chosen at run time (programDir)
  const program = require(path.join(options.programDir ?? PROJECT_ROOT, "infra", "index")) as () => Promise<
    Record<string, unknown>
  >;
  // The program's own error is caught inside the stack's init, so the runtime's derived
  // promises resolve instead of rejecting unobserved; it is reported once, below.
  let programError: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      return await program();
    } catch (error) {
      programError = error;
      return {};
    }
  });
  if (programError !== undefined) {
    await settleRegistrations(monitor);
    if (pulumi.RunError.isInstance(programError)) {
      throw new ProgramError(
        programError.message,
        monitor.recorded.map((r) => r.type),
      );
    }
    throw programError;
  }
  // Registrations still in flight finish before the record is read.
  await settleRegistrations(monitor);
  const stackUrn = monitor.recorded.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  return {
    project,
    stack: options.stack,
    // Valid here: the program refuses a stack file without a known tier.
    tier: String(raw["slipway:tier"]),
    preview,
    resources: monitor.recorded,
    outputs: monitor.outputsByUrn.get(stackUrn) ?? {},
    componentOutputs: Object.fromEntries([...monitor.outputsByUrn].filter(([urn]) => urn !== stackUrn)),
    warnings: [...new Set(warnings)],
  };
}

async function settleRegistrations(monitor: RecordingMonitor): Promise<void> {
  let count = -1;
  while (count !== monitor.recorded.length) {
    count = monitor.recorded.length;
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
