import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PolicyPackServer } from "../../harness/policy-pack";
import { PROJECT_ROOT } from "../../lib/project-root";
import { planInProcess } from "../helpers";

const FIXTURE_STACKS = path.join(PROJECT_ROOT, "test", "fixtures", "stacks");

/** `npm run plan -- <args>`, in this process (the subprocess path is tested once below). */
const plan = planInProcess;
after(() => PolicyPackServer.stopShared());

describe("npm run plan", () => {
  it("prints the staging tree under its components and the counts by type", async () => {
    const { code, stdout, stderr } = await plan("staging");
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Offline plan of stack staging \(Pulumi\.staging\.yaml\)/);
    assert.match(stdout, /└─ slipway-staging pulumi:pulumi:Stack\n/);
    assert.match(stdout, /\n {3}├─ network slipway:aws:Network\n {3}│ {2}├─ /);
    assert.match(stdout, /\n {3}│ {2}├─ cluster-eks aws:eks\/cluster:Cluster\n/);
    assert.match(stdout, /\n +6 {2}aws:ec2\/subnet:Subnet\n/);
    const treeLines = stdout.split("\n").filter((line) => /[├└]─ /.test(line)).length;
    assert.match(stdout, new RegExp(`\\n${treeLines} {2}total\\n`), "the total counts every line of the tree");
  });

  it("marks protected resources in production, and prices it under the summary", async () => {
    const { code, stdout } = await plan("production", "--cost-date", "2026-11-22");
    assert.equal(code, 0);
    // The figures are worked out line by line in test/cost/estimate.test.ts.
    assert.match(
      stdout,
      /\nResources: \+ \d+ to create \(a new stack\)\nEstimated cost: \$2,589\.50\/month \(as scaling moves: \$2,589\.50 to \$3,735\.54\)\n/,
    );
    assert.match(
      stdout,
      /\nMonthly cost \(an estimate of what the stack declares\)\nus-east-1, on-demand USD, 730 hours a month/,
    );
    assert.match(stdout, /\n {2}database +database-instance +instance +db\.r6g\.xlarge Multi-AZ +\$655\.54\n/);
    assert.match(stdout, /cluster-eks aws:eks\/cluster:Cluster \[protect\]/);
    assert.match(stdout, /cluster-secrets aws:kms\/key:Key \[protect\]/);
  });

  it("gives JSON with --json, secrets masked", async () => {
    const { code, stdout } = await plan("production", "--json");
    assert.equal(code, 0);
    const parsed = JSON.parse(stdout);
    assert.equal(parsed.stack, "production");
    assert.equal(parsed.cost.region, "us-east-1");
    assert.equal(parsed.cost.lines.find((l: { item: string }) => l.item === "instance").spec, "db.r6g.xlarge Multi-AZ");
    assert.equal(parsed.outputs.kubeconfig, "[secret]");
    assert.ok(parsed.resources.some((r: { type: string }) => r.type === "aws:eks/nodeGroup:NodeGroup"));
  });

  const failures: Array<[string, string[], RegExp]> = [
    [
      "an unknown stack",
      ["qa"],
      /^plan: Pulumi\.qa\.yaml: no such stack file in .*; stacks there: airgap, production, staging\n$/,
    ],
    [
      "a stack file with bad values",
      ["broken", "--stack-dir", FIXTURE_STACKS],
      /^plan: Pulumi\.broken\.yaml has 4 problems:\n(.*\n)*.*slipway:network: unknown key "natGateway"/,
    ],
    [
      "a stack file that is not YAML",
      ["notyaml", "--stack-dir", FIXTURE_STACKS],
      /^plan: Pulumi\.notyaml\.yaml: not valid YAML/,
    ],
    ["no stack at all", [], /^plan: name exactly one stack, like production; see npm run plan -- --help\n$/],
    ["an unknown flag", ["staging", "--colour"], /^plan: Unknown option '--colour'; see npm run plan -- --help\n$/],
    [
      "a cost date that is not a day",
      ["staging", "--cost-date", "tomorrow"],
      /^plan: --cost-date tomorrow: give a day as YYYY-MM-DD, like 2026-11-22\n$/,
    ],
    [
      "a cost date shaped like a day that the calendar does not have",
      ["staging", "--cost-date", "2026-13-45"],
      /^plan: --cost-date 2026-13-45: there is no such day; give a day of the calendar as YYYY-MM-DD, like 2026-11-22\n$/,
    ],
    ["February 30", ["staging", "--cost-date", "2026-02-30"], /^plan: --cost-date 2026-02-30: there is no such day; /],
    [
      "two output formats at once",
      ["staging", "--json", "--markdown"],
      /^plan: --markdown with --json: give one output, --json or --markdown \(or neither, for text\)\n$/,
    ],
    [
      "a flag that takes a value given twice (the last one would silently win)",
      ["staging", "--cost-date", "2026-01-01", "--cost-date", "2026-06-01"],
      /^plan: --cost-date given 2 times \(2026-01-01, 2026-06-01\); give it once; see npm run plan -- --help\n$/,
    ],
    [
      "a folder flag given twice",
      ["staging", "--stack-dir", ".", "--base", "HEAD", "--stack-dir", "test"],
      /^plan: --stack-dir given 2 times \(\., test\); give it once; /,
    ],
    [
      "--allow-replace with nothing to allow",
      ["production", "--allow-replace"],
      /^plan: --allow-replace without --base: it lets through a data-losing change that --base <git-ref> finds; add --base\n$/,
    ],
  ];
  for (const [what, args, message] of failures) {
    it(`exits non-zero with a clear message, no stack trace, for ${what}`, async () => {
      const { code, stdout, stderr } = await plan(...args);
      assert.notEqual(code, 0);
      // (--json puts the error on stdout too; that is tested below.)
      if (!args.includes("--json")) assert.equal(stdout, "");
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /\n\s+at /);
    });
  }

  for (const [what, args, code] of [
    ["an unknown stack", ["qa", "--json"], 1],
    ["an unknown flag", ["staging", "--json", "--colour"], 2],
  ] as const) {
    it(`prints a JSON error on stdout with --json, for ${what}`, async () => {
      const result = await plan(...args);
      assert.equal(result.code, code);
      const error = JSON.parse(result.stdout) as { error: string; exitCode: number };
      assert.equal(error.exitCode, code);
      assert.equal(`plan: ${error.error}\n`, result.stderr);
    });
  }

  for (const { what, args, code, stack, problems } of [
    {
      what: "a stack file with mistakes",
      args: ["broken", "--stack-dir", FIXTURE_STACKS],
      code: 1,
      stack: "broken",
      problems: [
        /^slipway:network: unknown key "natGateway"/,
        /^slipway:cluster\.addons\.coredns: /,
        /desiredSize/,
        /us-west-2b/,
      ],
    },
    {
      what: "an unknown stack",
      args: ["qa"],
      code: 1,
      stack: "qa",
      problems: [/^Pulumi\.qa\.yaml: no such stack file/],
    },
    {
      what: "an unknown flag",
      args: ["staging", "--colour"],
      code: 2,
      stack: "staging",
      problems: [/^Unknown option '--colour'; see npm run plan -- --help$/],
    },
  ]) {
    it(`with --markdown, comments that the plan failed and lists each problem, for ${what}`, async () => {
      const result = await plan(...args, "--markdown");
      assert.equal(result.code, code);
      const lines = result.stdout.split("\n");
      assert.equal(lines[0], `<!-- slipway-plan:${stack} -->`, "the marker the workflow updates its comment by");
      assert.ok(
        lines.some((l) => l.startsWith("**❌ The plan failed**")),
        result.stdout,
      );
      const listed = lines.filter((l) => l.startsWith("- ")).map((l) => l.slice(2));
      assert.equal(listed.length, problems.length, result.stdout);
      listed.forEach((line, i) => assert.match(line, problems[i]));
      // The same problems as people read on stderr.
      for (const line of listed) assert.ok(result.stderr.includes(line), `${line} not in:\n${result.stderr}`);
    });
  }

  it("names every problem of the broken fixture with its key path", async () => {
    const { stderr } = await plan("broken", "--stack-dir", FIXTURE_STACKS);
    for (const key of [
      "slipway:network.availabilityZones[1]",
      "slipway:cluster.addons.coredns",
      "slipway:cluster.nodeGroups.workload.desiredSize",
    ]) {
      assert.ok(stderr.includes(`  - ${key}: `), `${key} missing from:\n${stderr}`);
    }
  });
});

describe("npm run plan shows the platform in waves", () => {
  it("lists production's add-ons wave by wave with chart versions and needs", async () => {
    const { code, stdout } = await plan("production");
    assert.equal(code, 0);
    const section = stdout.slice(
      stdout.indexOf("Platform add-ons in deployment waves"),
      stdout.indexOf("Resources by type"),
    );
    assert.match(section, /wave 1:\n( {2}.*\n)* {2}prometheus-operator-crds \(prometheus-operator-crds 20\.0\.0\)\n/);
    assert.match(
      section,
      /wave 2:\n( {2}.*\n)* {2}cert-manager \(cert-manager v1\.17\.2\) <- prometheus-operator-crds\n/,
    );
    assert.match(
      section,
      /wave 3:\n( {2}.*\n)* {2}grafana-stack \(grafana 9\.2\.2\) <- cluster-monitoring, storage-class\n/,
    );
    assert.match(
      section,
      /wave 4:\n {2}example-services \(podinfo 6\.9\.0\) <- cluster-issuers, ingress-controllers\n/,
    );
  });
});

describe("npm run plan -- <stack> --manifests <dir>", () => {
  it("writes every Kubernetes object and reports them valid against the schema", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slipway-plan-"));
    const { code, stdout } = await plan("staging", "--manifests", dir);
    assert.equal(code, 0);
    const match = /\n(\d+) Kubernetes objects written to .*staging; (\d+) valid against the OpenAPI schema\n/.exec(
      stdout,
    );
    assert.ok(match, stdout.slice(-300));
    assert.equal(match[1], match[2]);
    assert.ok(readdirSync(path.join(dir, "staging")).includes("deployment"));
    rmSync(dir, { recursive: true, force: true });
  });
});
