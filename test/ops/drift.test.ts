/**
 * Drift: the report from the CLI's preview JSON (fixtures in the shape of pulumi/pulumi
 * sdk/go/common/display/json.go, PreviewDigest). The workflow is in workflows.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_DIR } from "../../ops/harness/run";
import {
  driftedResources,
  driftMarker,
  driftReport,
  parsePreviewDigest,
  PreviewDigestError,
} from "../../ops/state/drift";
import { runScript, temporaryFolder } from "../helpers";

const FIXTURES = path.join(PROJECT_DIR, "test", "fixtures", "drift");
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

  it("slipway drift-report prints the report as JSON, and fails in one line on a failed preview", () => {
    const ok = runScript(
      "ops/cli.ts",
      "drift-report",
      "production",
      "--preview-json",
      path.join(FIXTURES, "preview-drifted.json"),
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
