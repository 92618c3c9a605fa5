/**
 * The real CLI's own limits, where the offline plan makes claims about them: the size of
 * the config it hands the program, and a stack named like the project.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { E2E_SKIP, RepositoryCopy, succeeded } from "./real-cli";

describe("the real Pulumi CLI's limits", { skip: E2E_SKIP, timeout: 300_000 }, () => {
  let repo: RepositoryCopy;
  before(() => {
    repo = new RepositoryCopy();
  });
  after(() => repo.remove());

  it("a stack config past Linux's 128 KiB for one environment variable: the CLI cannot start the program, and the plan refuses it first", () => {
    // The language host hands the whole config to node in PULUMI_CONFIG; Linux caps one
    // environment string at MAX_ARG_STRLEN, 32 pages (128 KiB), so exec fails with E2BIG.
    const bulky = "x".repeat(140 * 1024);
    repo.edit("Pulumi.staging.yaml", (text) => text.replace("slipway:owner: platform-team", `slipway:owner: ${bulky}`));
    repo.commit("a stack file past the limit");
    const preview = repo.sandbox("staging", "pulumi", "preview");
    assert.notEqual(preview.code, 0);
    assert.match(preview.stdout + preview.stderr, /E2BIG|argument list too long/);
    const plan = repo.slipway(["plan", "staging"]);
    assert.equal(plan.code, 1);
    assert.match(
      plan.stderr,
      /^plan: Pulumi\.staging\.yaml: the config the CLI would pass is 14\d\.\d KiB.*128\.0 KiB/,
    );
    repo.git("revert", "--no-edit", "HEAD");
  });

  it("a stack named like the project previews, and its URNs carry both names", () => {
    fs.copyFileSync(path.join(repo.dir, "Pulumi.staging.yaml"), path.join(repo.dir, "Pulumi.slipway.yaml"));
    repo.commit("a stack named slipway");
    const preview = succeeded(repo.sandbox("slipway", "pulumi", "preview", "--json"), "preview of stack slipway");
    const steps = JSON.parse(preview.stdout).steps as Array<{ urn: string }>;
    assert.ok(steps.length > 100);
    assert.ok(steps.every((s) => s.urn.startsWith("urn:pulumi:slipway::slipway::")));
  });
});
