/**
 * Importing the harness changes nothing: a test or a command may take a constant or a
 * type from any harness module without patching the SDK. Only `runProgram` patches
 * (harness/sdk-internals.ts, `skipEngineDiagnostics`), and only when it runs.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_ROOT } from "../../lib/project-root";

// Nothing in this file has run the harness yet (each test file is its own process).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK module the harness would patch, by its path
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
const statics = pulumi.Resource as unknown as { callsites: unknown };

/** What the harness could patch: the SDK functions it replaces, console, the runtime's config. */
function snapshot() {
  return {
    debuggablePromise: debuggable.debuggablePromise,
    callsites: statics.callsites,
    // eslint-disable-next-line no-console -- compared, not called: the harness must not replace it on import
    consoleWarn: console.warn,
    config: JSON.stringify(pulumi.runtime.allConfig()),
    environment: JSON.stringify(process.env),
  };
}

const HARNESS_DIR = path.join(PROJECT_ROOT, "harness");
const modules = fs
  .readdirSync(HARNESS_DIR)
  .filter((file) => file.endsWith(".ts"))
  .sort();

describe("importing the harness", () => {
  it("finds its modules", () => {
    assert.deepEqual(
      ["mock-cloud.ts", "policy-pack.ts", "record.ts", "run.ts", "sdk-internals.ts"].filter(
        (m) => !modules.includes(m),
      ),
      [],
    );
  });

  const before = snapshot();
  for (const file of modules) {
    it(`${file} changes nothing on import`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the test, after the snapshot: the point of the test
      require(path.join(HARNESS_DIR, file));
      assert.deepEqual(snapshot(), before);
    });
  }

  it("the patch happens when asked for, so the checks above can fail", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the snapshot, like the modules above
    const { skipEngineDiagnostics } = require(path.join(HARNESS_DIR, "sdk-internals.ts")) as {
      skipEngineDiagnostics(): void;
    };
    skipEngineDiagnostics();
    const after = snapshot();
    assert.notEqual(after.debuggablePromise, before.debuggablePromise);
    assert.notEqual(after.callsites, before.callsites);
  });
});
