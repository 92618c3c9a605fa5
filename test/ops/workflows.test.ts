import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { PROJECT_DIR } from "../../ops/harness/run";
import { healthUrls } from "../../ops/smoke";
import { parseStackConfig } from "../../infra/config";
import { stackFileConfig } from "../helpers";

/** The runner scale set a stack file names (the `runs-on` label of its jobs). */
const scaleSetOf = (stack: "staging" | "production") =>
  parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: `Pulumi.${stack}.yaml` }).platform
    .runners.scaleSetName;

type Step = { uses?: string; run?: string; name?: string; with?: Record<string, unknown> };
type Job = {
  "runs-on"?: string;
  concurrency?: Record<string, unknown>;
  needs?: string | string[];
  if?: string;
  environment?: string;
  steps: Step[];
  strategy?: { matrix: { stack: string[] } };
};
const workflow = (name: string) =>
  parse(fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", name), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
    permissions: Record<string, string>;
    concurrency: Record<string, unknown>;
  };
const runs = (job: Job) =>
  job.steps
    .map((s) => s.run)
    .filter(Boolean)
    .join("\n");
const indexOf = (job: Job, match: (s: Step) => boolean) => job.steps.findIndex(match);

describe("pull request workflow", () => {
  const pr = workflow("pull-request.yml");

  it("runs on pull requests to main", () => assert.deepEqual(pr.on, { pull_request: { branches: ["main"] } }));

  it("installs from the lock file, lints, type-checks and tests", () => {
    const script = runs(pr.jobs.checks);
    for (const command of ["npm ci", "npm run lint", "npm run typecheck", "npm test"])
      assert.ok(script.includes(command), command);
  });

  it("plans both stacks offline against the base branch, with the manifests, and checks the channel", () => {
    const job = pr.jobs["offline-plan"];
    assert.deepEqual(job.strategy!.matrix.stack, ["staging", "production"]);
    assert.match(
      runs(job),
      /npm run plan -- \$\{\{ matrix\.stack \}\} --base origin\/\$\{\{ github\.base_ref \}\} --manifests plan-out/,
    );
    assert.match(runs(job), /npm run check:channel -- \$\{\{ matrix\.stack \}\}/);
    assert.deepEqual(job.steps.find((s) => s.uses?.startsWith("actions/checkout"))!.with, { "fetch-depth": 0 });
  });

  it("posts the offline plan as Markdown to the job summary and as one comment per stack, updated not repeated", () => {
    const job = pr.jobs["offline-plan"];
    const review = job.steps.find((s) => s.name === "plan review as Markdown")!;
    assert.match(
      review.run!,
      /npm run -s plan -- \$\{\{ matrix\.stack \}\} --base origin\/\$\{\{ github\.base_ref \}\} --markdown > plan-review\.md/,
    );
    assert.match(job.steps.find((s) => s.name === "job summary")!.run!, /plan-review\.md >> "\$GITHUB_STEP_SUMMARY"/);
    const comment = job.steps.find((s) => s.name === "comment on the pull request")!;
    assert.match(comment.uses!, /^actions\/github-script@v\d+$/);
    const script = String(comment.with!.script);
    assert.match(script, /slipway-plan:\$\{\{ matrix\.stack \}\}/);
    assert.match(script, /updateComment/);
    assert.match(script, /createComment/);
    assert.equal(pr.permissions["pull-requests"], "write");
  });

  it("previews both stacks with the official Pulumi action, commented on the PR, only when there are credentials", () => {
    const job = pr.jobs.preview;
    assert.match(job.if!, /vars\.AWS_PREVIEW_ROLE_ARN != ''/);
    const preview = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    assert.equal(preview.with!.command, "preview");
    assert.equal(preview.with!["comment-on-pr"], true);
    assert.equal(preview.with!["stack-name"], "${{ matrix.stack }}");
    assert.equal(preview.with!.policyPacks, "policy");
    assert.deepEqual(job.strategy!.matrix.stack, ["staging", "production"]);
  });
});

describe("deploy workflow", () => {
  const deploy = workflow("deploy.yml");

  it("runs on main, one deploy at a time, never cancelled", () => {
    assert.deepEqual(Object.keys(deploy.on).sort(), ["push", "workflow_dispatch"]);
    assert.deepEqual(deploy.on.push, { branches: ["main"] });
    assert.equal(
      deploy.concurrency,
      undefined,
      "a workflow-wide group would make staging wait on production's approval",
    );
    for (const stack of ["staging", "production"]) {
      assert.deepEqual(deploy.jobs[stack].concurrency, { group: `deploy-${stack}`, "cancel-in-progress": false });
    }
  });

  for (const stack of ["staging", "production"]) {
    it(`${stack}: backs up, then pulumi up, then smoke-checks the health endpoints`, () => {
      const job = deploy.jobs[stack];
      const backup = indexOf(job, (s) => s.run?.includes(`npm run ops -- backup ${stack}`) ?? false);
      const up = indexOf(job, (s) => s.uses?.startsWith("pulumi/actions@") === true && s.with?.command === "up");
      const smoke = indexOf(job, (s) => s.run === `npm run smoke -- ${stack}`);
      assert.ok(backup >= 0 && up > backup && smoke > up, `${backup} < ${up} < ${smoke}`);
      assert.equal(job.steps[up].with!["stack-name"], stack);
      assert.equal(job.steps[up].with!.policyPackConfigs, `policy/config/${stack}.json`);
      assert.equal(job.environment, stack);
    });
  }

  it("deploys production only after staging and a preview of the same commit, behind the approval", () => {
    const preview = deploy.jobs["production-preview"];
    assert.equal(preview.needs, "staging");
    assert.equal(preview.environment, undefined, "the approver sees the preview before the gate");
    const step = preview.steps.find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "preview")!;
    assert.equal(step.with!["stack-name"], "production");
    assert.equal(step.with!.policyPackConfigs, "policy/config/production.json");
    assert.equal(deploy.jobs.production.needs, "production-preview");
    assert.equal(deploy.jobs.production.environment, "production");
    assert.equal(deploy.jobs.staging.needs, undefined);
  });

  for (const stack of ["staging", "production"]) {
    it(`${stack}: bookmarks the version to roll back to, and a failure names the rollback command`, () => {
      const job = deploy.jobs[stack];
      const bookmark = job.steps.find((s) => s.run?.includes(`ops -- history ${stack} --last-succeeded`));
      assert.ok(bookmark, "no bookmark step");
      const rollback = job.steps.find((s) => s.name === "how to roll back") as Step & { if?: string };
      assert.match(rollback.if ?? "", /failure\(\)/);
      assert.match(
        rollback.run ?? "",
        new RegExp(`npm run ops -- rollback ${stack} --to \\$\\{\\{ steps\\.bookmark\\.outputs\\.version \\}\\}`),
      );
    });
  }

  it("asks for OIDC tokens instead of storing AWS keys", () => {
    assert.equal(deploy.permissions["id-token"], "write");
    assert.doesNotMatch(JSON.stringify(deploy), /AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });
});

describe("the path from CI to the cluster's API", () => {
  const deploy = workflow("deploy.yml");
  const pr = workflow("pull-request.yml");

  for (const stack of ["staging", "production"] as const) {
    it(`${stack}: deploys on the stack's own runner scale set, which its stack file names`, () => {
      assert.equal(deploy.jobs[stack]["runs-on"], scaleSetOf(stack));
      assert.equal(scaleSetOf(stack), `slipway-${stack}`);
    });
    it(`${stack}: allow-lists no CIDR for CI on the public endpoint (GitHub-hosted runners have no fixed address)`, () => {
      const file = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
      assert.doesNotMatch(file, /CI runners' NAT/);
      const cidrs = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" }).cluster
        .endpointPublicAccessCidrs;
      assert.deepEqual(cidrs, ["203.0.113.0/28"]);
    });
  }

  it("previews each stack on that stack's runners; the jobs that need no cloud stay on GitHub's", () => {
    assert.equal(pr.jobs.preview["runs-on"], "slipway-${{ matrix.stack }}");
    assert.equal(pr.jobs.checks["runs-on"], "ubuntu-latest");
    assert.equal(pr.jobs["offline-plan"]["runs-on"], "ubuntu-latest");
  });

  it("documents the first deploy, before any runner exists", () => {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "deploy.md"), "utf8");
    assert.match(doc, /## First deploy/);
    assert.match(doc, /endpointPublicAccessCidrs/);
    assert.match(doc, /githubAppPrivateKey/);
  });
});

describe("smoke checks", () => {
  it("check each public app URL's health path and skip in-cluster ones", () => {
    assert.deepEqual(
      healthUrls({ api: "https://api.example.com/", web: "http://web.web.svc.cluster.local" }, "/health"),
      [["api", "https://api.example.com/health"]],
    );
  });
});
