/**
 * `pulumi preview --policy-pack policy` with the real CLI, on a new stack: the engine's own
 * analyzer runs the pack's rules, an advisory is reported, and a mandatory violation fails
 * the preview, as the pull-request and deploy workflows rely on.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { E2E_SKIP, RepositoryCopy } from "./real-cli";

describe("the policy pack under the real Pulumi CLI", { skip: E2E_SKIP, timeout: 300_000 }, () => {
  let repo: RepositoryCopy;
  before(() => {
    repo = new RepositoryCopy();
  });
  after(() => repo.remove());

  const preview = (tier: string) =>
    repo.sandbox(
      "staging",
      "pulumi",
      "preview",
      "--policy-pack",
      "policy",
      "--policy-pack-config",
      `policy/config/${tier}.json`,
    );

  it("with staging's levels, reports the advisories and lets the preview pass", () => {
    const result = preview("staging");
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Policies:\n\s+⚠️ slipway@v0\.1\.0 \(local: policy\)/);
    assert.match(
      result.stdout,
      /\[advisory\] \[severity: high\]\s+rds-deletion-protection\s+\(aws:rds\/instance:Instance: database-instance\)/,
    );
    assert.doesNotMatch(result.stdout, /\[mandatory\]/);
  });

  it("with production's levels, a mandatory violation fails the preview", () => {
    const result = preview("production");
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /\[mandatory\] \[severity: critical\]\s+stateful-resources-protected\s+\(aws:rds\/instance:Instance: database-instance\)/,
    );
    assert.match(result.stdout, /error: preview failed/);
  });
});
