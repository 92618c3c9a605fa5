/** The plan as Markdown, as a pull request shows it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commentMarker, renderMarkdown } from "../../ops/plan/markdown";
import type { PackFinding } from "../../ops/plan/policy";

const finding: PackFinding = {
  rule: "rds-deletion-protection",
  id: "RDS-04",
  level: "advisory",
  urn: "urn:pulumi:staging::slipway::slipway:aws:Database$aws:rds/instance:Instance::database-instance",
  message: "deletion protection is off",
  remediation: "Set slipway:database.deletionProtection: true.",
  form: "preview",
  cannotRun: false,
};

describe("the plan as Markdown", () => {
  const base = {
    stack: "staging",
    summary: "Against origin/main: + 0 to create, ~ 1 to update, +- 1 to replace, - 0 to delete",
    risks: [],
    findings: [],
    platformWaves: "wave 1:\n  storage-class",
    configSize: "Stack config as the CLI passes it: 3.9 KiB",
    failures: [],
  };

  it("starts with the comment marker the workflow updates by, then the summary", () => {
    const lines = renderMarkdown(base).split("\n");
    assert.equal(lines[0], commentMarker("staging"));
    assert.equal(lines[0], "<!-- slipway-plan:staging -->");
    assert.match(
      lines[3],
      /^\*\*Against origin\/main: \+ 0 to create, ~ 1 to update, \+- 1 to replace, - 0 to delete\*\* · ✅ the plan passes$/,
    );
  });

  it("tables the data loss and the policy findings, escaping pipes, and folds the long parts", () => {
    const text = renderMarkdown({
      ...base,
      risks: [
        {
          urn: "urn:pulumi:s::p::aws:rds/instance:Instance::db",
          type: "aws:rds/instance:Instance",
          reason: "replaced, because a|b changed",
          loses: "the database",
          avoid: "snapshot",
        },
      ],
      findings: [finding],
      failures: ["a change that loses data (pass --allow-replace if meant)"],
    });
    assert.match(text, /· ❌ the plan fails/);
    assert.match(text, /\n- ❌ a change that loses data/);
    assert.match(
      text,
      /\| `db` \(aws:rds\/instance:Instance\) \| replaced, because a\\\|b changed \| the database \| snapshot \|/,
    );
    assert.match(text, /#### Policy: 0 mandatory, 1 advisory/);
    assert.match(
      text,
      /\| advisory \| rds-deletion-protection \(RDS-04\) \| `database-instance` \| deletion protection is off \|/,
    );
    assert.match(text, /<details><summary>Platform add-ons in deployment waves<\/summary>\n\n```\nwave 1:/);
  });

  it("heads the cost with its total, shows the delta against the base and folds the breakdown", () => {
    const text = renderMarkdown({
      ...base,
      cost: {
        line: "Estimated cost: $3,245.04/month",
        delta: "Monthly cost against origin/main: $2,589.50 -> $3,245.04 (+$655.54/month)\n  +$655.54/month: x",
        details: "By component:\n  database  $1,335.08",
      },
    });
    assert.match(
      text,
      /\n#### Estimated cost: \$3,245\.04\/month\n\n```\nMonthly cost against origin\/main: .*\n {2}\+\$655\.54\/month: x\n```\n\n<details><summary>Monthly cost by component and resource<\/summary>\n\n```\nBy component:/,
    );
    assert.doesNotMatch(renderMarkdown(base), /Estimated cost/, "no cost section when the plan has none");
  });

  it("says every rule passed when none reported", () => {
    assert.match(renderMarkdown(base), /#### Policy: every rule ran and passed/);
  });
});
