import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readStackFile, StackFileError } from "../../infra/stack-file";
import { temporaryFolder } from "../helpers";

/** The message readStackFile fails with for a stack file of this text. */
function refusal(text: string): string {
  const file = path.join(temporaryFolder("slipway-stack-file-"), "Pulumi.qa.yaml");
  fs.writeFileSync(file, text);
  try {
    readStackFile(file, "slipway");
  } catch (error) {
    assert.ok(error instanceof StackFileError);
    return error.message;
  }
  assert.fail("the stack file was read");
}

describe("stack file values YAML reads but config cannot carry", () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "1e309, past the largest double",
      "allocatedStorageGiB: 1e309",
      /slipway:database\.allocatedStorageGiB: \.inf is not a number this key takes \(YAML reads \.inf, and a number past 1\.8e308 like 1e309, as infinity\)/,
    ],
    ["-.inf", "backupRetentionDays: -.inf", /slipway:database\.backupRetentionDays: -\.inf is not a number/],
    [
      ".NaN, spelled as YAML also allows",
      "backupRetentionDays: .NaN",
      /slipway:database\.backupRetentionDays: \.nan is not a number/,
    ],
  ];
  for (const [what, line, message] of cases) {
    it(`${what} is "not a number" at its key path, not "empty"`, () => {
      const text = refusal(`config:\n  slipway:database:\n    ${line}\n`);
      assert.match(text, message);
      assert.match(text, /write a (finite )?number$/);
    });
  }

  it("a list item that is infinite is named by its index", () => {
    assert.match(
      refusal("config:\n  slipway:cluster:\n    sizes: [1, .inf]\n"),
      /slipway:cluster\.sizes\[1\]: \.inf is not a number/,
    );
  });

  it("a secure: value with another key beside it is refused by its key path, the ciphertext unprinted", () => {
    const text = refusal('config:\n  slipway:alertmanagerWebhookUrl:\n    secure: "djE6YWJjZA=="\n    plain: x\n');
    assert.match(
      text,
      /slipway:alertmanagerWebhookUrl: a secure: value must be the only key of its mapping, but "plain" sits beside it/,
    );
    assert.doesNotMatch(text, /djE6YWJjZA/);
  });

  it("a key written twice names the line it is on", () => {
    assert.equal(
      refusal("config:\n  slipway:owner: a\n  slipway:owner: b\n"),
      'Pulumi.qa.yaml: not valid YAML: Map keys must be unique at line 3, column 3 ("slipway:owner: b")',
    );
  });
});
