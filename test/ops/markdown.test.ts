/** The plan as Markdown, as a pull request shows it. */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { CostDelta } from "../../ops/cost/render";
import { PolicyPackServer } from "../../harness/policy-pack";
import { commentMarker, renderMarkdown } from "../../ops/plan/markdown";
import type { PackFinding } from "../../ops/plan/policy";
import { githubRender } from "./github-render";

after(() => PolicyPackServer.stopShared());

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

  it("leads the cost with the change against the base and its share of the base total, then the total", () => {
    const line = { component: "database", resource: "database-instance", item: "instance", key: "k" };
    const delta: CostDelta = {
      before: 2589.5,
      after: 3245.04,
      changes: [
        {
          before: { ...line, spec: "db.r6g.xlarge Multi-AZ", monthly: 655.54 },
          after: { ...line, spec: "db.r6g.2xlarge Multi-AZ", monthly: 1311.08 },
          monthly: 655.54,
        },
      ],
    };
    const text = renderMarkdown({
      ...base,
      cost: {
        line: "Estimated cost: $3,245.04/month",
        change: { against: "origin/main", delta },
        details: "By component:\n  database  $1,335.08",
      },
    });
    // $655.54 of $2,589.50 is 25.3 %.
    assert.match(
      text,
      /\n#### Monthly cost: \+\$655\.54\/month \(\+25\.3%\) against origin\/main\n\nEstimated cost: \$3,245\.04\/month; origin\/main: \$2,589\.50\/month\n\n```\n\+\$655\.54\/month: staging database-instance instance, db\.r6g\.xlarge Multi-AZ -> db\.r6g\.2xlarge Multi-AZ\n```\n\n<details><summary>Monthly cost by component and resource<\/summary>\n\n```\nBy component:/,
    );
    const alone = renderMarkdown({ ...base, cost: { line: "Estimated cost: $2,589.50/month" } });
    assert.match(alone, /\n#### Estimated cost: \$2,589\.50\/month\n/, "without --base, the total heads it");
    assert.doesNotMatch(renderMarkdown(base), /Estimated cost/, "no cost section when the plan has none");
  });

  it("shows the change list in full, not folded", () => {
    const text = renderMarkdown({
      ...base,
      changes: "Declared by both, with different values (1):\n  ~ cluster-workload",
    });
    assert.match(
      text,
      /\n#### Changes, resource by resource\n\n```\nDeclared by both, with different values \(1\):\n {2}~ cluster-workload\n```\n/,
    );
    assert.doesNotMatch(text, /<summary>Changes/);
  });

  it("says every rule passed when none reported", () => {
    assert.match(renderMarkdown(base), /#### Policy: every rule ran and passed/);
  });
});

describe("the comment as GitHub renders it", () => {
  const cases: Array<[string, string, string, string[]]> = [
    [
      "a placeholder written as a tag",
      "set it with <Slack incoming-webhook URL>",
      "set it with ",
      ["<Slack incoming-webhook URL>"],
    ],
    ["a closing tag", "a </id> b", "a  b", ["</id>"]],
    ["an allowed element", "<details><summary>x</summary>", "<details><summary>x</summary>", []],
    [
      "an escaped placeholder",
      "--db-instance-identifier &lt;id> &amp; more",
      "--db-instance-identifier <id> & more",
      [],
    ],
    ["a placeholder in a code span", "run `aws rds x --id <id>`", "run `aws rds x --id <id>`", []],
    ["a placeholder in a code block", "```\n<stack>\n```", "```\n<stack>\n```", []],
    ["a comparison, not a tag", "a < b and 3<4", "a < b and 3<4", []],
  ];
  for (const [what, markdown, shown, dropped] of cases) {
    it(`drops what the sanitizer drops: ${what}`, () => {
      assert.deepEqual(githubRender(markdown), { text: shown, dropped, hidden: [] });
    });
  }
});
