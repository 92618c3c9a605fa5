/**
 * The provider protocol (pulumi/pulumi proto/pulumi/provider.proto, through the stubs
 * @pulumi/pulumi publishes) served for a simulated plugin. Not `pulumi.provider.main`: its
 * server cannot say `supportsPreview`, and without it the engine never asks for a preview
 * create, so in a preview every output of a new resource would be unknown, where the real
 * aws and kubernetes providers keep the known inputs known (a Deployment's namespace, say)
 * and policy rules see them.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { SimulatedProvider } from "./simulated-provider";

type State = Record<string, unknown>;
type Callback = (error: grpc.ServiceError | null, value?: unknown) => void;

const fromStruct = (struct: structproto.Struct | undefined): State => (struct?.toJavaScript() ?? {}) as State;
const toStruct = (value: State): structproto.Struct =>
  structproto.Struct.fromJavaScript(value as Record<string, structproto.JavaScriptValue>);

/** Answers a call from a promise: its value, or an error the engine shows with the message. */
function answer<T>(callback: Callback, work: () => Promise<T> | T): void {
  Promise.resolve()
    .then(work)
    .then(
      (value) => callback(null, value),
      (error: Error) => callback({ code: grpc.status.UNKNOWN, details: error.message } as grpc.ServiceError),
    );
}

/** The ResourceProvider calls, each handed to the simulated provider. */
function calls(provider: SimulatedProvider): grpc.UntypedServiceImplementation {
  return {
    getPluginInfo: (_call: unknown, callback: Callback) =>
      answer(callback, () => new plugproto.PluginInfo().setVersion(provider.version)),
    getSchema: (_call: unknown, callback: Callback) =>
      answer(callback, () => new provproto.GetSchemaResponse().setSchema("{}")),
    checkConfig: (call: grpc.ServerUnaryCall<provproto.CheckRequest, unknown>, callback: Callback) =>
      answer(callback, () => new provproto.CheckResponse().setInputs(call.request.getNews())),
    diffConfig: (_call: unknown, callback: Callback) =>
      answer(callback, () => new provproto.DiffResponse().setChanges(provproto.DiffResponse.DiffChanges.DIFF_NONE)),
    configure: (_call: unknown, callback: Callback) =>
      answer(callback, () =>
        new provproto.ConfigureResponse().setAcceptsecrets(true).setAcceptresources(true).setSupportspreview(true),
      ),
    check: (call: grpc.ServerUnaryCall<provproto.CheckRequest, unknown>, callback: Callback) =>
      answer(callback, () => new provproto.CheckResponse().setInputs(call.request.getNews())),
    diff: (call: grpc.ServerUnaryCall<provproto.DiffRequest, unknown>, callback: Callback) =>
      answer(callback, () => {
        const req = call.request;
        const { changed, replaces } = provider.diff(
          req.getId(),
          req.getUrn(),
          fromStruct(req.getOldInputs()),
          fromStruct(req.getNews()),
        );
        const D = provproto.DiffResponse.DiffChanges;
        return new provproto.DiffResponse()
          .setChanges(changed.length > 0 ? D.DIFF_SOME : D.DIFF_NONE)
          .setDiffsList(changed.map((p) => p.split(".")[0] ?? p))
          .setReplacesList(replaces);
      }),
    create: (call: grpc.ServerUnaryCall<provproto.CreateRequest, unknown>, callback: Callback) =>
      answer(callback, async () => {
        const req = call.request;
        const { id, outs } = await provider.create(req.getUrn(), fromStruct(req.getProperties()), req.getPreview());
        return new provproto.CreateResponse().setId(id).setProperties(toStruct(outs));
      }),
    read: (call: grpc.ServerUnaryCall<provproto.ReadRequest, unknown>, callback: Callback) =>
      answer(callback, () => {
        const found = provider.read(call.request.getId());
        const response = new provproto.ReadResponse().setId(found?.id ?? "");
        return found ? response.setProperties(toStruct(found.outputs)).setInputs(toStruct(found.inputs)) : response;
      }),
    update: (call: grpc.ServerUnaryCall<provproto.UpdateRequest, unknown>, callback: Callback) =>
      answer(callback, async () => {
        const req = call.request;
        const outs = await provider.update(req.getId(), req.getUrn(), fromStruct(req.getNews()), req.getPreview());
        return new provproto.UpdateResponse().setProperties(toStruct(outs));
      }),
    delete: (call: grpc.ServerUnaryCall<provproto.DeleteRequest, unknown>, callback: Callback) =>
      answer(callback, async () => {
        await provider.delete(call.request.getId());
        return new emptyproto.Empty();
      }),
    invoke: (call: grpc.ServerUnaryCall<provproto.InvokeRequest, unknown>, callback: Callback) =>
      answer(callback, () =>
        new provproto.InvokeResponse().setReturn(
          toStruct(provider.invoke(call.request.getTok(), fromStruct(call.request.getArgs()))),
        ),
      ),
    cancel: (_call: unknown, callback: Callback) => answer(callback, () => new emptyproto.Empty()),
  };
}

/** Serves the provider on a free port and prints it, which is how the engine finds a plugin. */
export function serveProvider(provider: SimulatedProvider): void {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, calls(provider));
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      console.error(`simulated plugin: ${error.message}`);
      process.exit(1);
    }
    console.log(port);
  });
}
