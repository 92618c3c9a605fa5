/** The size of the stack config as the CLI passes it (one environment variable). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EncryptedValue } from "../../infra/stack-file";
import {
  CONFIG_BUDGET_BYTES,
  configEnvironmentBytes,
  configSizeReport,
  ENVIRONMENT_STRING_LIMIT_BYTES,
} from "../../ops/plan/config-size";
import { stackFileConfig } from "../helpers";

describe("the stack config's size as the CLI passes it", () => {
  it("counts PULUMI_CONFIG=, the JSON of every value as text, and the closing NUL", () => {
    const json = JSON.stringify({ "aws:region": "us-east-1", "slipway:network": JSON.stringify({ a: 1 }) });
    assert.equal(
      configEnvironmentBytes({ "aws:region": "us-east-1", "slipway:network": { a: 1 } }),
      "PULUMI_CONFIG=".length + json.length + 1,
    );
  });

  it("counts what Go escapes as six bytes, and a secret by its ciphertext", () => {
    const plain = configEnvironmentBytes({ "slipway:owner": "ab" });
    assert.equal(configEnvironmentBytes({ "slipway:owner": "a<" }), plain + 5);
    assert.equal(configEnvironmentBytes({ "slipway:owner": new EncryptedValue("AAAA") }), plain + 2);
  });

  it("budgets three quarters of Linux's 128 KiB limit", () => {
    assert.equal(ENVIRONMENT_STRING_LIMIT_BYTES, 131072);
    assert.equal(CONFIG_BUDGET_BYTES, 98304);
  });

  it("passes the committed production file, far below the budget", () => {
    const report = configSizeReport(stackFileConfig("production"), "Pulumi.production.yaml");
    assert.equal(report.problem, undefined);
    assert.match(report.line, /^Stack config as the CLI passes it: \d+\.\d KiB of the 128\.0 KiB/);
  });

  it("refuses a stack file whose values push it past the budget, saying why and what to do", () => {
    const config = stackFileConfig("production");
    // 2,000 admin roles of ~55 bytes: ~107 KiB, as a few hundred apps in the stack file once were.
    (config["slipway:cluster"] as Record<string, unknown>).adminRoleArns = Array.from(
      { length: 2000 },
      (_, i) => `arn:aws:iam::123456789012:role/platform-admin-${i}`,
    );
    const report = configSizeReport(config, "Pulumi.production.yaml");
    assert.match(
      report.problem ?? "",
      /^Pulumi\.production\.yaml: the config the CLI would pass is \d+\.\d KiB, past Slipway's budget of 96\.0 KiB .* "argument list too long"/,
    );
  });
});
