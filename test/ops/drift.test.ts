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
import {
  DriftCheckFailedError,
  driftedResources,
  driftMarker,
  driftReport,
  parsePreviewDigest,
  previewFailures,
  PreviewDigestError,
} from "../../ops/state/drift";
import { runSlipway } from "../../ops/cli";
import { inProcess } from "../helpers";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "drift");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
const RUN = "https://github.com/acme/slipway/actions/runs/42";

describe("the drift report", () => {
  it("lists each differing resource once, with what the next up does and the property paths", () => {
    const digest = parsePreviewDigest(fixture("preview-drifted.json"), "preview.json");
    assert.deepEqual(driftedResources(digest), [
      {
        name: "database-instance",
        type: "aws:rds/instance:Instance",
        ops: ["update"],
        paths: ["backupRetentionPeriod"],
      },
      {
        name: "database-from-nodes",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        ops: ["delete", "create"],
        paths: [],
      },
      {
        name: "cluster-workload",
        type: "aws:eks/nodeGroup:NodeGroup",
        ops: ["update"],
        paths: ["scalingConfig.desiredSize", "tags.cost-center"],
      },
    ]);
  });

  it("writes the issue: marker first, the counts, one row per resource, no values", () => {
    const report = driftReport("production", parsePreviewDigest(fixture("preview-drifted.json"), "p.json"), RUN);
    assert.equal(report.drifted, true);
    assert.equal(report.title, "Drift: stack production differs from the code");
    const lines = report.body.split("\n");
    assert.equal(lines[0], "<!-- slipway-drift:production -->");
    assert.match(
      lines[1],
      /\*\*production\*\* no longer matches the code on the default branch: 1 to create, 2 to update\.$/,
    );
    assert.ok(lines.includes("| `database-instance` | aws:rds/instance:Instance | update | `backupRetentionPeriod` |"));
    assert.ok(
      lines.includes(
        "| `database-from-nodes` | aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule | delete, create | (whole resource) |",
      ),
    );
    assert.match(report.body, /\[check\]\(https:\/\/github\.com\/acme\/slipway\/actions\/runs\/42\)/);
    assert.doesNotMatch(report.body, /us-east-1|production"/, "config values stay out");
  });

  it("says there is no drift when only the stack itself is reported", () => {
    const report = driftReport("staging", parsePreviewDigest(fixture("preview-clean.json"), "p.json"), RUN);
    assert.equal(report.drifted, false);
    assert.equal(report.body, `${driftMarker("staging")}\nNo drift in staging ([check](${RUN})).`);
  });

  it("reads a failed preview as a failed check with its errors, one line each, never as no drift", () => {
    const digest = parsePreviewDigest(fixture("preview-failed.json"), "preview.json");
    // What the report used to read: no changed step, so "No drift".
    assert.deepEqual(driftedResources(digest), []);
    const errors = [
      'platform-grafana-stack-release (kubernetes:helm.sh/v3:Release): Preview failed: failed to read resource state due to unreachable cluster. If the cluster was deleted, you can remove this resource from Pulumi state by rerunning the operation with the PULUMI_K8S_DELETE_UNREACHABLE environment variable set to "true"',
      "preview failed",
    ];
    assert.deepEqual(previewFailures(digest), errors, "the warning is not an error");
    assert.throws(
      () => driftReport("production", digest, RUN, 1),
      (e: Error) =>
        e instanceof DriftCheckFailedError &&
        e.message ===
          `drift check failed for production: 2 errors, so what differs is unknown:\n${errors.map((l) => `  - ${l}`).join("\n")}`,
    );
  });

  const withWarning = JSON.stringify({
    ...JSON.parse(fixture("preview-clean.json")),
    diagnostics: [{ message: "warning: deprecated\n", severity: "warning" }],
  });
  for (const { name, preview, exitCode, outcome } of [
    { name: "no changes, exit 0", preview: fixture("preview-clean.json"), exitCode: 0, outcome: "no drift" },
    { name: "no changes, exit code not given", preview: fixture("preview-clean.json"), outcome: "no drift" },
    { name: "a warning only", preview: withWarning, exitCode: 0, outcome: "no drift" },
    { name: "changes, exit 7", preview: fixture("preview-drifted.json"), exitCode: 7, outcome: "drift" },
    { name: "changes, exit code not given", preview: fixture("preview-drifted.json"), outcome: "drift" },
    {
      name: "exit 7 with no change listed",
      preview: fixture("preview-clean.json"),
      exitCode: 7,
      outcome: /^pulumi preview exited 7 \(changes proposed\), but its JSON lists no changed resource/,
    },
    {
      name: "another exit code, no error in the JSON",
      preview: fixture("preview-clean.json"),
      exitCode: 255,
      outcome: /^pulumi preview exited 255, a failure, with no error in its JSON/,
    },
    {
      name: "errors in the JSON, exit 0",
      preview: fixture("preview-failed.json"),
      exitCode: 0,
      outcome: /^platform-grafana-stack-release .*: Preview failed: /,
    },
  ]) {
    it(`a preview with ${name}: ${typeof outcome === "string" ? outcome : "the check failed"}`, () => {
      const digest = parsePreviewDigest(preview, "p.json");
      const failures = previewFailures(digest, exitCode);
      if (typeof outcome === "string") {
        assert.deepEqual(failures, []);
        assert.equal(driftReport("staging", digest, RUN, exitCode).drifted, outcome === "drift");
      } else {
        assert.match(failures[0] ?? "", outcome);
        assert.throws(() => driftReport("staging", digest, RUN, exitCode), DriftCheckFailedError);
      }
    });
  }

  it("refuses output that is not a preview digest, naming the file", () => {
    assert.throws(
      () => parsePreviewDigest("error: no stack named 'production' found", "preview.json"),
      (e: Error) =>
        e instanceof PreviewDigestError && /^preview\.json: not the JSON of pulumi preview --json/.test(e.message),
    );
    assert.throws(
      () => parsePreviewDigest('{"steps": [{"op": 3}]}', "p.json"),
      /^PreviewDigestError: p\.json: steps\.0\.op: /,
    );
  });

  it("slipway drift-report of a failed preview prints no report, says the check failed with each error, and exits 1", async () => {
    const failed = await inProcess(runSlipway, [
      "drift-report",
      "production",
      "--preview-json",
      path.join(FIXTURES, "preview-failed.json"),
      "--preview-exit-code",
      "1",
    ]);
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, "", "no report for the workflow to act on");
    const lines = failed.stderr.trimEnd().split("\n");
    assert.equal(
      lines[0],
      "slipway drift-report: drift check failed for production: 2 errors, so what differs is unknown:",
    );
    assert.match(
      lines[1],
      /^ {2}- platform-grafana-stack-release \(kubernetes:helm\.sh\/v3:Release\): Preview failed: /,
    );
    assert.equal(lines[2], "  - preview failed");
    assert.equal(lines.length, 3);
  });

  it("slipway drift-report refuses an exit code that is not one, in one line", async () => {
    const preview = path.join(FIXTURES, "preview-clean.json");
    const bad = await inProcess(runSlipway, [
      "drift-report",
      "staging",
      "--preview-json",
      preview,
      "--preview-exit-code",
      "x",
    ]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "slipway drift-report: --preview-exit-code x: give the preview's exit code, 0 to 255\n");
  });

  it("slipway drift-report refuses a flag given twice, naming both values, instead of keeping the last", async () => {
    const preview = path.join(FIXTURES, "preview-clean.json");
    const twice = await inProcess(runSlipway, [
      "drift-report",
      "staging",
      "--preview-json",
      preview,
      "--preview-exit-code",
      "0",
      "--preview-exit-code",
      "2",
    ]);
    assert.equal(twice.code, 1);
    assert.equal(twice.stdout, "");
    assert.equal(twice.stderr, "slipway drift-report: --preview-exit-code given 2 times (0, 2); give it once\n");
  });
});
