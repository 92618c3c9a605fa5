/**
 * The one adapter over the Pulumi SDK's internals (infra/pulumi-sdk-adapter.cjs): it must
 * fail here, not in a preview, when an SDK upgrade changes what it relies on.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { STAND_INS } from "../../infra/pulumi-sdk-adapter.cjs";
import { PROJECT_ROOT } from "../../lib/project-root";

const SDK_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const PRELOAD = path.join(PROJECT_ROOT, "infra", "fast-start.cjs");

/** Runs a script in a fresh Node with the project's preload; its stdout, or the failure. */
function withPreload(script: string): string {
  const result = spawnSync(process.execPath, ["--require", PRELOAD, "-e", script], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(result.status, 0, `the script failed or hung: ${result.stderr}`);
  return result.stdout.trim();
}

describe("the Pulumi SDK adapter", () => {
  it("is written for the SDK version package.json pins", () => {
    const pinned = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/pulumi"];
    const installed = (JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8")) as { version: string })
      .version;
    assert.equal(installed, pinned);
    assert.equal(installed, "3.248.0", "a new SDK: check each file below still requires what the adapter replaces");
  });

  for (const [specifier, file] of Object.entries(STAND_INS)) {
    it(`finds ${file} requiring ${specifier} when it loads`, () => {
      const source = fs.readFileSync(path.join(SDK_DIR, file), "utf8");
      // As a statement of its own (typescript-shim.js's inside a top-level try), so it runs when the SDK loads.
      const escaped = specifier.replace(/[/.]/g, "\\$&");
      const statement = `^\\s*(?:const [\\w$]+ = |module\\.exports = )?(?:__importStar\\()?require\\("${escaped}"\\)\\)?;$`;
      assert.match(source, new RegExp(statement, "m"));
    });
  }

  it("loads the SDK without typescript or @npmcli/arborist, and hands over either on first use", () => {
    const out = withPreload(`
      require("@pulumi/pulumi");
      const loaded = (name) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + name + "/"));
      const before = [loaded("typescript"), loaded("@npmcli/arborist")];
      const ts = require("@pulumi/pulumi/typescript-shim");
      console.log(JSON.stringify({ before, version: ts.version, after: loaded("typescript") }));
    `);
    const typescriptVersion = (
      JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }
    ).version;
    assert.deepEqual(JSON.parse(out), { before: [false, false], version: typescriptVersion, after: true });
  });

  it("leaves stacks to V8 under cmd/run: SDK frames name its real files, and cmd/run's colored report of them ends", () => {
    const out = withPreload(`
      const nodes = Error.prepareStackTrace;
      // As cmd/run/index.js requires it, from that file.
      require("node:module").createRequire(${JSON.stringify(path.join(SDK_DIR, "cmd", "run", "index.js"))})("source-map-support/register");
      const { ComponentResource } = require("@pulumi/pulumi");
      let error;
      try { new ComponentResource("", "no-type"); } catch (thrown) { error = thrown; }
      require("node:util").inspect(error, { colors: true });
      console.log(JSON.stringify({ prepareStackTrace: Error.prepareStackTrace === nodes, frame: error.stack.split("\\n").find((l) => l.includes("node_modules")) }));
    `);
    const { prepareStackTrace, frame } = JSON.parse(out) as { prepareStackTrace: boolean; frame: string };
    assert.equal(prepareStackTrace, true, "Error.prepareStackTrace is still Node's own");
    // Mapped by source-map-support, the frame would read node_modules/@pulumi/resource.ts, the line inspect loops on.
    assert.match(frame, /node_modules\/@pulumi\/pulumi\/resource\.js:\d+:\d+\)$/);
  });
});
