/**
 * A recording stand-in for the Pulumi engine, for bench/run.ts: it serves the two services a
 * program started by `@pulumi/pulumi/cmd/run` talks to (ResourceMonitor and Engine), with the
 * stubs @pulumi/pulumi publishes under proto/, over gRPC on a local port, exactly as the
 * CLI's engine does. So the program runs the SDK's own code end to end: its protobuf
 * serialisation, its gRPC client, every diagnostic it sends (source positions, stack
 * traces, promise-leak tracking), nothing of the offline harness's shortcuts.
 *
 * It answers a registration as the engine answers a create: the engine's URN, the
 * resource's inputs back, and the outputs the provider computes from the mock cloud
 * (harness/mock-cloud.ts); in a preview those computed outputs are unknown. It keeps
 * counts and the program's log lines, not the resources: the bench measures the program,
 * and a large record would measure the bench.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as resourceRpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import { createMockCloud } from "../harness/mock-cloud";
import { urnOf } from "../lib/urn";

/**
 * The features the engine says it supports (pulumi 3.248.0, pkg/resource/deploy/source_eval.go,
 * supportsFeatureID), so the SDK takes the same paths it takes under the CLI.
 */
const SUPPORTED_FEATURES = new Set([
  "secrets",
  "resourceReferences",
  "outputValues",
  "aliasSpecs",
  "replacementTrigger",
  "deletedWith",
  "replaceWith",
  "transforms",
  "invokeTransforms",
  "parameterization",
  "resourceHooks",
  "errorHooks",
]);

/** The engine's `LogSeverity` names (engine.proto). */
const SEVERITY = ["debug", "info", "warning", "error"] as const;

/** One line the program logged through the engine. */
export interface LoggedLine {
  readonly severity: (typeof SEVERITY)[number];
  readonly message: string;
}

type Callback<T> = (error: grpc.ServiceError | null, value?: T) => void;

/** What the recording engine saw of one program run. */
export interface EngineRecord {
  /** Registrations, the stack and components included. */
  readonly resources: number;
  /** What the program logged (warnings, errors), in order. */
  readonly logs: LoggedLine[];
}

/** A ResourceMonitor and an Engine on one local port, answering as a preview or an update of a new stack. */
export class RecordingEngine {
  private resources = 0;
  private readonly logs: LoggedLine[] = [];
  private root = "";

  private constructor(
    private readonly server: grpc.Server,
    /** `127.0.0.1:<port>`, for both `--monitor` and `--engine`. */
    readonly address: string,
  ) {}

  /**
   * Serves both services on a free local port. `preview` answers as `pulumi preview` of a
   * new stack does (no IDs, computed outputs unknown), otherwise as `pulumi up`.
   */
  static async start(options: { stack: string; project: string; preview: boolean }): Promise<RecordingEngine> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const engine = new RecordingEngine(server, `127.0.0.1:${port}`);
    server.addService(
      resourceRpc.ResourceMonitorService,
      engine.monitor(options) as resourceRpc.IResourceMonitorServer,
    );
    server.addService(engineRpc.EngineService, engine.engine() as engineRpc.IEngineServer);
    return engine;
  }

  /** What was recorded since the last call, and a clean slate for the next run. */
  take(): EngineRecord {
    const record = { resources: this.resources, logs: [...this.logs] };
    this.resources = 0;
    this.logs.length = 0;
    this.root = "";
    return record;
  }

  /** Stops serving at once. */
  stop(): void {
    this.server.forceShutdown();
  }

  private monitor(options: {
    stack: string;
    project: string;
    preview: boolean;
  }): Partial<resourceRpc.IResourceMonitorServer> {
    const cloud = createMockCloud({ preview: options.preview });
    return {
      supportsFeature: (call, callback: Callback<resourceProto.SupportsFeatureResponse>) => {
        callback(
          null,
          new resourceProto.SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.has(call.request.getId())),
        );
      },
      registerResource: (call, callback: Callback<resourceProto.RegisterResourceResponse>) => {
        const req = call.request;
        this.resources++;
        const type = req.getType();
        const name = req.getName();
        const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const response = new resourceProto.RegisterResourceResponse();
        response.setUrn(urnOf(options.stack, options.project, req.getParent(), type, name));
        if (req.getCustom()) {
          void Promise.resolve(
            cloud.newResource({ type, name, inputs, provider: req.getProvider(), custom: true }),
          ).then(
            ({ id, state }) => {
              response.setId(id ?? "");
              response.setObject(
                structProto.Struct.fromJavaScript(state as Record<string, structProto.JavaScriptValue>),
              );
              callback(null, response);
            },
            (error: Error) =>
              callback({
                name: "Error",
                message: error.message,
                code: grpc.status.INTERNAL,
                details: error.message,
                metadata: new grpc.Metadata(),
              }),
          );
          return;
        }
        response.setObject(structProto.Struct.fromJavaScript(inputs as Record<string, structProto.JavaScriptValue>));
        callback(null, response);
      },
      registerResourceOutputs: (_call, callback: Callback<emptyProto.Empty>) => callback(null, new emptyProto.Empty()),
      invoke: (call, callback: Callback<providerProto.InvokeResponse>) => {
        const args = (call.request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
        void Promise.resolve(cloud.call({ token: call.request.getTok(), inputs: args })).then((result) => {
          const response = new providerProto.InvokeResponse();
          response.setReturn(structProto.Struct.fromJavaScript(result as Record<string, structProto.JavaScriptValue>));
          callback(null, response);
        });
      },
      signalAndWaitForShutdown: (_call, callback: Callback<emptyProto.Empty>) => callback(null, new emptyProto.Empty()),
    };
  }

  private engine(): Partial<engineRpc.IEngineServer> {
    return {
      log: (call, callback: Callback<emptyProto.Empty>) => {
        this.logs.push({
          severity: SEVERITY[call.request.getSeverity()] ?? "info",
          message: call.request.getMessage(),
        });
        callback(null, new emptyProto.Empty());
      },
      getRootResource: (_call, callback: Callback<engineProto.GetRootResourceResponse>) => {
        callback(null, new engineProto.GetRootResourceResponse().setUrn(this.root));
      },
      setRootResource: (call, callback: Callback<engineProto.SetRootResourceResponse>) => {
        this.root = call.request.getUrn();
        callback(null, new engineProto.SetRootResourceResponse());
      },
    };
  }
}
