/**
 * Drift: the report from the CLI's preview JSON (fixtures in the shape of pulumi/pulumi
 * sdk/go/common/display/json.go, PreviewDigest), and the workflow that files it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { PROJECT_DIR } from "../../ops/harness/run";
import {
  driftedResources,
  driftMarker,
  driftReport,
  parsePreviewDigest,
  PreviewDigestError,
} from "../../ops/state/drift";
import { runScript } from "../helpers";

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
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drift-")), "preview.json");
    fs.writeFileSync(broken, "");
    const bad = runScript("ops/cli.ts", "drift-report", "production", "--preview-json", broken);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^slipway drift-report: .*preview\.json: not the JSON of pulumi preview --json/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});

type Step = {
  uses?: string;
  run?: string;
  name?: string;
  id?: string;
  with?: Record<string, string>;
  "continue-on-error"?: boolean;
};
const drift = parse(fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", "drift.yml"), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: {
    drift: {
      "runs-on": string;
      if: string;
      concurrency: { group: string };
      strategy: { matrix: { stack: string[] } };
      steps: Step[];
    };
  };
};
const job = drift.jobs.drift;

describe("drift workflow", () => {
  it("runs nightly and on demand, for both stacks", () => {
    assert.deepEqual(drift.on, { schedule: [{ cron: "17 3 * * *" }], workflow_dispatch: {} });
    assert.deepEqual(job.strategy.matrix.stack, ["staging", "production"]);
  });

  it("may only read the code and write issues, with the read-only preview role, on the stack's runners", () => {
    assert.deepEqual(drift.permissions, { contents: "read", issues: "write", "id-token": "write" });
    const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    assert.equal(credentials?.with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    assert.equal(job.if, "${{ vars.AWS_PREVIEW_ROLE_ARN != '' }}");
    assert.equal(job["runs-on"], "slipway-${{ matrix.stack }}");
    assert.equal(job.concurrency.group, "drift-${{ matrix.stack }}", "never the deploy's group");
  });

  it("previews with refresh and no changes expected, then reports whatever the exit code", () => {
    const preview = job.steps.find((s) => s.id === "preview")!;
    assert.match(
      preview.run!,
      /^pulumi preview --stack \$\{\{ matrix\.stack \}\} --refresh --expect-no-changes --json .*> preview\.json$/,
    );
    assert.equal(preview["continue-on-error"], true);
    assert.match(
      job.steps.find((s) => s.name === "drift report")!.run!,
      /ops -- drift-report \$\{\{ matrix\.stack \}\} --preview-json preview\.json/,
    );
    assert.ok(
      !job.steps.some((s) => /pulumi (up|refresh)\b(?! --preview-only)/.test(s.run ?? "")),
      "nothing writes to the stack",
    );
  });

  /** Runs the workflow's github-script against a recording stand-in for the GitHub API. */
  async function fileIssue(report: object, openIssues: Array<{ number: number; body: string }>) {
    const script = job.steps.find((s) => s.uses?.startsWith("actions/github-script"))!.with!.script;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-script-"));
    fs.writeFileSync(path.join(dir, "drift.json"), JSON.stringify(report));
    const calls: string[] = [];
    const record = (name: string) => async (args: Record<string, unknown>) => {
      calls.push(`${name} ${JSON.stringify(args)}`);
      return { data: {} };
    };
    const github = {
      paginate: async (_: unknown, args: { labels: string; state: string }) => {
        assert.deepEqual({ labels: args.labels, state: args.state }, { labels: "drift", state: "open" });
        return openIssues;
      },
      rest: {
        issues: {
          listForRepo: {},
          update: record("update"),
          create: record("create"),
          createComment: record("comment"),
        },
      },
    };
    const fsInDir = {
      readFileSync: (file: string, encoding: "utf8") => fs.readFileSync(path.join(dir, file), encoding),
    };
    const run = new Function("require", "github", "context", `return (async () => {\n${script}\n})();`);
    await run(() => fsInDir, github, { repo: { owner: "acme", repo: "slipway" } });
    return calls;
  }

  const drifted = driftReport("production", parsePreviewDigest(fixture("preview-drifted.json"), "p"), RUN);
  const clean = driftReport("production", parsePreviewDigest('{"steps": []}', "p"), RUN);
  const other = { number: 3, body: `${driftMarker("staging")}\n...` };
  const mine = { number: 7, body: `${driftMarker("production")}\n...` };

  it("opens an issue labelled drift when a stack drifts and none is open for it", async () => {
    const calls = await fileIssue(drifted, [other]);
    assert.equal(calls.length, 1);
    assert.match(
      calls[0],
      /^create \{"owner":"acme","repo":"slipway","title":"Drift: stack production differs from the code",.*"labels":\["drift"\]\}$/,
    );
  });

  it("updates the stack's open issue instead of opening another", async () => {
    const calls = await fileIssue(drifted, [other, mine]);
    assert.equal(calls.length, 1);
    assert.match(calls[0], /^update \{"owner":"acme","repo":"slipway","issue_number":7,/);
  });

  it("comments and closes the stack's issue when the drift is gone, and does nothing when there was none", async () => {
    const calls = await fileIssue(clean, [mine]);
    assert.deepEqual(
      calls.map((c) => c.split(" ")[0]),
      ["comment", "update"],
    );
    assert.match(calls[1], /"issue_number":7,"state":"closed","state_reason":"completed"/);
    assert.deepEqual(await fileIssue(clean, [other]), []);
  });
});
