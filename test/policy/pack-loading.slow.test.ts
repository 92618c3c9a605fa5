/**
 * The pack loads the way the Pulumi CLI loads it: the language host starts @pulumi/pulumi's
 * run-policy-pack in the pack's folder, which registers ts-node and requires the folder's
 * package.json `main`, policy/pack.cjs, which loads the pack through the project's own
 * loader. test/e2e/policy-pack.test.ts runs it under the real CLI.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { RULES } from "../../policy/rules/index";
import { POLICY_DIR, PolicyPackServer, readPackConfig } from "../../harness/policy-pack";
import { runProgram } from "../../harness/run";
import { PROJECT_ROOT } from "../../lib/project-root";

describe("the policy pack, started as the CLI starts it", () => {
  it("under run-policy-pack, lists every rule and judges as the fast path does", async () => {
    const cli = await PolicyPackServer.start(POLICY_DIR, "run-policy-pack");
    const fast = await PolicyPackServer.start(POLICY_DIR, "fast-start");
    try {
      const info = await cli.info();
      assert.equal(info.name, "slipway");
      assert.deepEqual(info.policies.sort(), RULES.map((r) => r.name).sort());
      const record = await runProgram({ stack: "staging", preview: true });
      const config = readPackConfig(path.join(PROJECT_ROOT, "policy", "config", "staging.json"));
      const [viaCli, viaTsx] = [await cli.analyze(record, config), await fast.analyze(record, config)];
      assert.deepEqual(viaCli, viaTsx);
      assert.ok(
        viaCli.some((d) => d.policy === "rds-deletion-protection"),
        "staging's advisory is reported",
      );
    } finally {
      cli.stop();
      fast.stop();
    }
  });
});
