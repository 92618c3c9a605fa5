/**
 * Every part of the Pulumi SDK the offline harness uses that the SDK does not publish
 * (@pulumi/pulumi {@link VERIFIED_SDK_VERSION}; the files named are in its package). The
 * rest of the harness goes through `@pulumi/pulumi`'s public exports only
 * (`pulumi.runtime.setMocks`, `setMockOptions`, `setAllConfig`, `runInPulumiStack`).
 * test/harness/sdk-internals.test.ts checks each one's shape against the installed SDK,
 * so an upgrade that moves one fails there, by name, before any plan runs on it.
 *
 * | internal                                       | file                   | used for                                   |
 * | ---------------------------------------------- | ---------------------- | ------------------------------------------ |
 * | `MockMonitor` (exported, not re-exported)      | `runtime/mocks.js`     | the monitor the recorder wraps             |
 * | `MockMonitor#newUrn` (private)                 | `runtime/mocks.js`     | URNs in the engine's form                  |
 * | `MockMonitor#registerResource(req, callback)`  | `runtime/mocks.js`     | each registration's full request           |
 * | `MockMonitor#registerResourceOutputs`          | `runtime/mocks.js`     | components' `registerOutputs`              |
 * | register request/response wire objects        | `proto/resource_pb.js` | read the request, mark secret outputs      |
 * | `debuggablePromise` (module export)            | `runtime/debuggable.js`| skipped, see {@link skipEngineDiagnostics} |
 * | `Resource.callsites` (private static)          | `resource.js`          | skipped, see {@link skipEngineDiagnostics} |
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** The @pulumi/pulumi version whose internals this module was written against and tested on. */
export const VERIFIED_SDK_VERSION = "3.248.0";

/** The installed @pulumi/pulumi version (its package.json). */
export function installedSdkVersion(): string {
  const file = require.resolve("@pulumi/pulumi/package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** How the mock monitor answers a request: gRPC's callback form. */
export type Callback = (err: Error | null, response?: unknown) => void;

/** A register request as the SDK builds it (proto/resource_pb.js, `RegisterResourceRequest`). */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): unknown } | undefined;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getPropertydependenciesMap(): { forEach(each: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}

/** The register response: its `object` holds the resource's outputs in wire format. */
export interface RegisterResponse {
  getObject(): WireStruct | undefined;
  setObject(value: WireStruct): void;
}

/** A `google.protobuf.Struct` as the generated code gives it. */
export interface WireStruct {
  toJavaScript(): Record<string, unknown>;
  constructor: { fromJavaScript(value: Record<string, unknown>): WireStruct };
}

/** A register-outputs request (proto/resource_pb.js, `RegisterResourceOutputsRequest`). */
export interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): unknown } | undefined;
}

/** The members of `MockMonitor` the recorder replaces (untyped or private in its .d.ts). */
export interface MonitorInternals {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, callback: Callback): void;
}

/** A new Pulumi mock monitor, and the view of its members the recorder wraps. */
export function createMockMonitor(mocks: pulumi.runtime.Mocks): {
  readonly monitor: MockMonitor;
  readonly internals: MonitorInternals;
} {
  const monitor = new MockMonitor(mocks);
  return { monitor, internals: monitor as unknown as MonitorInternals };
}

/** The SDK module whose export {@link skipEngineDiagnostics} replaces. */
export interface DebuggableModule {
  debuggablePromise: <T>(promise: Promise<T>, context: unknown) => Promise<T>;
}

/** `runtime/debuggable.js`, loaded when asked for (loading it changes nothing). */
export function debuggableModule(): DebuggableModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deep path the package does not re-export; only this adapter names it
  return require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
}

/** `Resource`'s private static `callsites`, as {@link skipEngineDiagnostics} replaces it. */
export interface ResourceStatics {
  callsites: () => unknown[];
}

let diagnosticsSkipped = false;

/**
 * Two things the SDK does per resource for the engine's diagnostics, which the harness
 * has no engine for and the record does not keep:
 * - `debuggablePromise` (runtime/debuggable.js) formats a stack trace onto every internal
 *   promise for the "promise leaked" report; the harness waits for every registration
 *   itself. The promise is returned unchanged: callers only chain on it.
 * - `Resource.callsites` (resource.js) takes a stack trace of unlimited depth for every
 *   resource, for the source position the engine shows beside it.
 * Measured, a third of the time and half the memory of a 1,000-app evaluation, and a
 * further 15% at 300 apps (docs/performance.md). Called by `runProgram` only, never on
 * import; the real CLI still runs the SDK's own. Idempotent.
 */
export function skipEngineDiagnostics(): void {
  if (diagnosticsSkipped) return;
  diagnosticsSkipped = true;
  debuggableModule().debuggablePromise = (promise) => promise;
  (pulumi.Resource as unknown as ResourceStatics).callsites = () => [];
}
