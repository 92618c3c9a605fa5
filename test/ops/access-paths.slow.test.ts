/**
 * The plan's access paths: every committed stack has a route and a grant for each call of
 * each actor, and each of the faults issue 24 found (no AWS CLI on the runners, no access
 * entry for the preview role, no way to the air-gapped private endpoint, no registry
 * credentials for ECR charts) is reported on its own when its fix is taken out again: from
 * the workflows, the stack config or the recorded program.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { PolicyPackServer } from "../../harness/policy-pack";
import { parse, stringify } from "yaml";
import { planInProcess, temporaryFolder } from "../helpers";

after(() => PolicyPackServer.stopShared());

describe("npm run plan: the access paths section", () => {
  /** A copy of Pulumi.production.yaml without previewRoleArns, in its own folder. */
  function productionWithoutPreviewRole(): string {
    const dir = temporaryFolder("slipway-access-");
    const document = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), "utf8"));
    delete document.config["slipway:cluster"].previewRoleArns;
    fs.writeFileSync(path.join(dir, "Pulumi.production.yaml"), stringify(document));
    return dir;
  }

  it("fails the plan on a missing grant, and names the actor, the call and what is missing last", async () => {
    const { code, stdout } = await planInProcess("production", "--stack-dir", productionWithoutPreviewRole());
    assert.equal(code, 1);
    assert.match(stdout, /\nAccess paths \(each actor's calls/);
    assert.match(
      stdout,
      /\nplan: 3 access path\(s\) missing a route, grant or tool:\n {2}- deploy\.yml job production-preview \(production, AWS_PREVIEW_ROLE_ARN\) -> Kubernetes API: no grant: slipway:cluster\.previewRoleArns is empty: the role has no access entry\n/,
    );
  });

  it("--json gives the paths, the findings and the facts with their sources", async () => {
    const { stdout } = await planInProcess("production", "--stack-dir", productionWithoutPreviewRole(), "--json");
    const { accessPaths: access } = JSON.parse(stdout);
    assert.equal(access.findings.length, 3);
    assert.deepEqual(Object.keys(access.findings[0]).sort(), ["actor", "call", "leg", "missing"]);
    assert.ok(access.paths.length > 20);
    assert.match(access.facts.accessEntries.source, /Review access policy permissions/);
  });

  it("--markdown leads the section with what is missing and folds the rest", async () => {
    const { stdout } = await planInProcess("production", "--stack-dir", productionWithoutPreviewRole(), "--markdown");
    assert.match(stdout, /- ❌ 3 access path\(s\) missing a route, grant or tool/);
    assert.match(
      stdout,
      /#### Access paths: \d+ calls of \d+ actors, 3 missing a route, grant or tool\n\n- ❌ deploy\.yml job production-preview .* no grant: slipway:cluster\.previewRoleArns is empty/,
    );
    assert.match(stdout, /<details><summary>Every access path<\/summary>/);
  });

  it("passes a committed stack's plan with every path found", async () => {
    const { code, stdout } = await planInProcess("airgap", "--markdown");
    assert.equal(code, 0);
    assert.match(stdout, /#### Access paths: \d+ calls of \d+ actors, each with a route and a grant/);
  });
});
