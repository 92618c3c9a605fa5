/**
 * Drift: the report from the CLI's preview JSON (fixtures in the shape of pulumi/pulumi
 * v3.248.0 pkg/display/json.go, PreviewDigest, as pkg/backend/display/json.go prints it).
 * preview-failed.json is a refresh that could not reach the cluster: the engine's parts
 * ("error: " prefix, "Preview failed: " on the resource, "preview failed" without a URN)
 * are from Pulumi's source (sdk/go/common/diag, pkg/engine/update.go); the Kubernetes
 * provider's own wording is illustrative. The workflow is in workflows.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { runScript, temporaryFolder } from "../helpers";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "drift");
const RUN = "https://github.com/acme/slipway/actions/runs/42";

describe("the drift report", () => {
  it("slipway drift-report prints the report as JSON, and fails in one line on a failed preview", () => {
    const ok = runScript(
      "ops/cli.ts",
      "drift-report",
      "production",
      "--preview-json",
      path.join(FIXTURES, "preview-drifted.json"),
      "--preview-exit-code",
      "7",
      "--run-url",
      RUN,
    );
    assert.equal(ok.code, 0, ok.stderr);
    const parsed = JSON.parse(ok.stdout);
    assert.equal(parsed.stack, "production");
    assert.equal(parsed.drifted, true);
    assert.equal(parsed.marker, "<!-- slipway-drift:production -->");
    const broken = path.join(temporaryFolder("drift-"), "preview.json");
    fs.writeFileSync(broken, "");
    const bad = runScript("ops/cli.ts", "drift-report", "production", "--preview-json", broken);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^slipway drift-report: .*preview\.json: not the JSON of pulumi preview --json/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});
