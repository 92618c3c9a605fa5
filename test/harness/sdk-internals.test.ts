/**
 * The SDK internals the harness and the program rely on (harness/sdk-internals.ts,
 * infra/sdk-config-secrets.ts), checked against the installed @pulumi/pulumi: an upgrade
 * that moves or reshapes one fails here, by name.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as harness from "../../harness/sdk-internals";
import * as infra from "../../infra/sdk-config-secrets";

/** The request methods harness/sdk-internals.ts's `RegisterRequest` declares. */
const REGISTER_REQUEST_METHODS = [
  "getType",
  "getName",
  "getParent",
  "getCustom",
  "getProvider",
  "getDependenciesList",
  "getObject",
  "getProtect",
  "getRetainondelete",
  "getDeletebeforereplace",
  "getIgnorechangesList",
  "getAdditionalsecretoutputsList",
  "getPropertydependenciesMap",
];

describe("the SDK internals, at the version they were verified on", () => {
  it("both adapters name the installed @pulumi/pulumi version", () => {
    assert.equal(harness.installedSdkVersion(), harness.VERIFIED_SDK_VERSION);
    assert.equal(infra.VERIFIED_SDK_VERSION, harness.VERIFIED_SDK_VERSION);
  });

  it("runtime/mocks.js MockMonitor has the members the recorder replaces", () => {
    const { monitor, internals } = harness.createMockMonitor({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    });
    assert.ok(monitor);
    assert.equal(typeof internals.newUrn, "function");
    assert.equal(internals.newUrn.length, 3);
    assert.equal(typeof internals.registerResource, "function");
    assert.equal(internals.registerResource.length, 2);
    assert.equal(typeof internals.registerResourceOutputs, "function");
    assert.equal(internals.registerResourceOutputs.length, 2);
  });

  it("runtime/debuggable.js exports debuggablePromise(promise, context)", () => {
    const { debuggablePromise } = harness.debuggableModule();
    assert.equal(typeof debuggablePromise, "function");
    assert.equal(debuggablePromise.length, 2);
  });

  it("resource.js Resource has a static callsites()", () => {
    const statics = pulumi.Resource as unknown as harness.ResourceStatics;
    assert.equal(typeof statics.callsites, "function");
    assert.ok(Array.isArray(statics.callsites()));
  });

  it("a registration reaches the monitor as a request with every method the recorder reads", async () => {
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    };
    await pulumi.runtime.setMocks(mocks, "project", "stack", false);
    const { monitor, internals } = harness.createMockMonitor(mocks);
    pulumi.runtime.setMockOptions(monitor, "project", "stack", false);
    const requests: harness.RegisterRequest[] = [];
    const register = internals.registerResource.bind(monitor);
    internals.registerResource = (req, callback) => {
      requests.push(req);
      return register(req, callback);
    };
    class Thing extends pulumi.CustomResource {
      constructor() {
        super("slipway:test:Thing", "thing", { value: "v" });
      }
    }
    const thing = new Thing();
    await new Promise<void>((resolve) => thing.urn.apply(() => resolve()));
    const request = requests.find((r) => r.getType() === "slipway:test:Thing");
    assert.ok(request, "the registration went through the replaced registerResource");
    const missing = REGISTER_REQUEST_METHODS.filter(
      (name) => typeof (request as unknown as Record<string, unknown>)[name] !== "function",
    );
    assert.deepEqual(missing, []);
    assert.deepEqual(request.getObject()?.toJavaScript(), { value: "v" });
  });

  it("runtime/config.js isConfigSecret says which keys the CLI marked secret", () => {
    assert.equal(typeof infra.runtimeConfigModule().isConfigSecret, "function");
    pulumi.runtime.setAllConfig({ "slipway:plain": "a", "slipway:hidden": "b" }, ["slipway:hidden"]);
    assert.equal(infra.isSecretConfigKey("slipway:hidden"), true);
    assert.equal(infra.isSecretConfigKey("slipway:plain"), false);
  });
});
