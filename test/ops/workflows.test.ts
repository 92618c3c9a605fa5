import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { healthUrls } from "../../ops/smoke";
import { parseStackConfig } from "../../infra/config";
import { listStacks } from "../../infra/stack-file";
import { stackFileConfig, temporaryFolder } from "../helpers";
import { driftMarker, driftReport, parsePreviewDigest } from "../../ops/state/drift";
import { PROJECT_ROOT } from "../../lib/project-root";

const DRIFT_FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "drift");
const RUN = "https://github.com/acme/slipway/actions/runs/42";

/** The runner scale set a stack file names (the `runs-on` label of its jobs). */
const scaleSetOf = (stack: "staging" | "production") =>
  parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: `Pulumi.${stack}.yaml` }).platform
    .runners.scaleSetName;

type Step = { uses?: string; run?: string; name?: string; id?: string; with?: Record<string, unknown> };
type Job = {
  "runs-on"?: string;
  concurrency?: Record<string, unknown>;
  needs?: string | string[];
  if?: string;
  environment?: string;
  env?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix: { stack: string[] } };
};
const workflow = (name: string) =>
  parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", name), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
    permissions: Record<string, string>;
    concurrency: Record<string, unknown>;
  };
/** The value at a dotted path of the expression contexts (`steps.preview.outputs.exit-code`); GitHub's null is ''. */
const lookup = (dotted: string, contexts: Record<string, unknown>): unknown =>
  dotted.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], contexts) ?? "";

/** A step's text with each `${{ path }}` replaced by its value in `contexts`. */
const expand = (text: string, contexts: Record<string, unknown>) =>
  text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, dotted: string) => String(lookup(dotted, contexts)));

/**
 * Whether a step with this `if:` runs after steps that ended in `status`, as GitHub
 * evaluates it (docs.github.com, "Evaluate expressions in workflows and actions"): with no
 * status function the condition is `success() && (...)`, strings compare ignoring case. Reads
 * what these workflows write: status functions, context paths, strings, ==, !=, !, && and
 * ||, parentheses; anything else throws.
 */
function stepRuns(
  condition: string | undefined,
  status: "success" | "failure",
  contexts: Record<string, unknown> = {},
): boolean {
  const source = (condition ?? "true").trim().replace(/^\$\{\{([^]*)\}\}$/, "$1");
  const pattern = /\s*(&&|\|\||==|!=|!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][\w.-]*(?:\(\))?)/y;
  const tokens: string[] = [];
  while (pattern.lastIndex < source.trimEnd().length) {
    const match = pattern.exec(source);
    if (!match) throw new Error(`stepRuns cannot read ${JSON.stringify(source)}`);
    tokens.push(match[1]);
  }
  const statusOf: Record<string, boolean> = {
    "success()": status === "success",
    "failure()": status === "failure",
    "always()": true,
    "cancelled()": false,
  };
  let at = 0;
  const truthy = (v: unknown) => v !== "" && v !== false && v !== 0;
  const loose = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
  const primary = (): unknown => {
    const token = tokens[at++] ?? "";
    if (token === "(") {
      const inner = or();
      at++;
      return inner;
    }
    if (token === "!") return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (token === "true" || token === "false") return token === "true";
    if (token.endsWith("()")) {
      if (!(token in statusOf)) throw new Error(`stepRuns does not know ${token}`);
      return statusOf[token];
    }
    return lookup(token, contexts);
  };
  const comparison = (): unknown => {
    const left = primary();
    const op = tokens[at];
    if (op !== "==" && op !== "!=") return left;
    at++;
    return (loose(left) === loose(primary())) === (op === "==");
  };
  const and = (): unknown => {
    let v = comparison();
    while (tokens[at] === "&&") {
      at++;
      const right = comparison();
      v = truthy(v) && truthy(right);
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (tokens[at] === "||") {
      at++;
      const right = and();
      v = truthy(v) || truthy(right);
    }
    return v;
  };
  const result = truthy(or());
  if (at !== tokens.length) throw new Error(`stepRuns cannot read ${JSON.stringify(source)}`);
  return Object.keys(statusOf).some((f) => source.includes(f)) ? result : status === "success" && result;
}

/**
 * Runs a step's `run:` as GitHub does on Linux (`bash -e`), its expressions expanded, in
 * `cwd` with `env`: its exit code, output, and the outputs it wrote to $GITHUB_OUTPUT.
 */
function runStep(
  step: { run?: string },
  contexts: Record<string, unknown>,
  cwd: string,
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string; outputs: Record<string, string> } {
  const outputFile = path.join(temporaryFolder("step-"), "github-output");
  fs.writeFileSync(outputFile, "");
  const result = spawnSync("bash", ["-e", "-c", expand(step.run!, contexts)], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile },
  });
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, outputs };
}

const runs = (job: Job) =>
  job.steps
    .map((s) => s.run)
    .filter(Boolean)
    .join("\n");
const indexOf = (job: Job, match: (s: Step) => boolean) => job.steps.findIndex(match);

describe("pull request workflow", () => {
  const pr = workflow("pull-request.yml");

  it("runs on pull requests to main, and again when a review is submitted", () =>
    assert.deepEqual(pr.on, { pull_request: { branches: ["main"] }, pull_request_review: { types: ["submitted"] } }));

  it("installs from the lock file, lints, type-checks and tests", () => {
    const script = runs(pr.jobs.checks);
    for (const command of ["npm ci", "npm run lint", "npm run typecheck", "npm test", "npm run test:slow"])
      assert.ok(script.includes(command), command);
  });

  it("plans every committed stack offline against the base branch, with the manifests, and checks the channel", () => {
    const job = pr.jobs["offline-plan"];
    assert.deepEqual([...job.strategy!.matrix.stack].sort(), listStacks(PROJECT_ROOT));
    assert.ok(job.strategy!.matrix.stack.includes("airgap"), "the air-gapped stack, which no workflow deploys");
    assert.match(
      runs(job),
      /npm run plan -- \$\{\{ matrix\.stack \}\} --base origin\/\$\{\{ github\.event\.pull_request\.base\.ref \}\} --manifests plan-out.* \$ALLOW_REPLACE$/m,
    );
    assert.match(runs(job), /npm run check:channel -- \$\{\{ matrix\.stack \}\}/);
    assert.deepEqual(job.steps.find((s) => s.uses?.startsWith("actions/checkout"))!.with, { "fetch-depth": 0 });
  });

  it("runs the end-to-end tests with the real Pulumi CLI at the SDK's version, and fails if one skips", () => {
    const job = pr.jobs["pulumi-cli-e2e"];
    const install = job.steps.find((s) => s.uses === "pulumi/actions@v6")!;
    const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"), "utf8"));
    assert.deepEqual(install.with, { "pulumi-version": lock.packages["node_modules/@pulumi/pulumi"].version });
    assert.equal(indexOf(job, (s) => s === install) < indexOf(job, (s) => /test\/e2e/.test(s.run ?? "")), true);
    assert.match(
      runs(job),
      /--test-reporter=tap "test\/e2e\/\*\*\/\*\.test\.ts" \| tee e2e\.tap\ngrep -qx "# skipped 0" e2e\.tap/,
    );
    assert.equal(
      (job.steps.find((s) => /test\/e2e/.test(s.run ?? "")) as { shell?: string }).shell,
      "bash",
      "bash -eo pipefail",
    );
  });

  it("posts the offline plan as Markdown to the job summary and as one comment per stack, updated not repeated", () => {
    const job = pr.jobs["offline-plan"];
    const review = job.steps.find((s) => s.name === "plan review as Markdown")!;
    assert.match(
      review.run!,
      /npm run -s plan -- \$\{\{ matrix\.stack \}\} --base origin\/\$\{\{ github\.event\.pull_request\.base\.ref \}\} --markdown \$ALLOW_REPLACE > plan-review\.md/,
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

  for (const { from, head } of [
    { from: "this repository", head: "acme/slipway" },
    { from: "a fork", head: "someone/slipway" },
  ]) {
    it(`on a pull request from ${from}, ${head === "acme/slipway" ? "comments the review" : "skips the comment with a notice"}, after a passing or failing plan`, () => {
      const job = pr.jobs["offline-plan"];
      const comment = job.steps.find((s) => s.name === "comment on the pull request")! as Step & { if?: string };
      const notice = job.steps.find((s) => s.name === "no comment on a pull request from a fork")! as Step & {
        if?: string;
      };
      const contexts = {
        github: { repository: "acme/slipway", event: { pull_request: { head: { repo: { full_name: head } } } } },
        matrix: { stack: "staging" },
      };
      const fork = head !== "acme/slipway";
      for (const status of ["success", "failure"] as const) {
        assert.equal(stepRuns(comment.if, status, contexts), !fork, `comment after ${status}`);
        assert.equal(stepRuns(notice.if, status, contexts), fork, `notice after ${status}`);
      }
      if (fork) {
        const result = runStep(notice, contexts, temporaryFolder("pr-"));
        assert.equal(result.code, 0);
        assert.match(
          result.stdout,
          /^::notice::This pull request comes from a fork, .*plan review of staging is in this job's summary\.\n$/,
        );
      }
    });
  }

  /** Runs the approval step's script against a stand-in for the GitHub API; returns its `flag` output. */
  async function approvalFlag(reviews: Array<Record<string, unknown>>): Promise<string> {
    const job = pr.jobs["offline-plan"];
    const script = String(job.steps.find((s) => s.name === "reviewed replacements")!.with!.script);
    const outputs: Record<string, string> = {};
    const core = { setOutput: (k: string, v: string) => (outputs[k] = v), notice: () => undefined };
    const github = { paginate: async () => reviews, rest: { pulls: { listReviews: {} } } };
    const context = {
      repo: { owner: "acme", repo: "slipway" },
      payload: { pull_request: { number: 7, head: { sha: "head" }, user: { login: "author" } } },
    };
    await new Function("github", "context", "core", `return (async () => {\n${script}\n})();`)(github, context, core);
    return outputs.flag!;
  }

  it("lets the plan replace only with a reviewer's approval of this very commit that says /allow-replace", async () => {
    const review = {
      state: "APPROVED",
      commit_id: "head",
      user: { login: "reviewer" },
      body: "read the DATA LOSS items\n/allow-replace",
    };
    assert.equal(await approvalFlag([review]), "--allow-replace");
    for (const [why, other] of [
      ["an earlier commit", { commit_id: "old" }],
      ["the author's own review", { user: { login: "author" } }],
      ["no /allow-replace", { body: "LGTM" }],
      ["a comment, not an approval", { state: "COMMENTED" }],
      ["a word that only contains it", { body: "no/allow-replaced" }],
    ] as const) {
      assert.equal(await approvalFlag([{ ...review, ...other }]), "", why);
    }
    assert.deepEqual(pr.on.pull_request_review, { types: ["submitted"] }, "a review re-runs the plan");
    const job = pr.jobs["offline-plan"];
    for (const step of job.steps.filter((s) => /npm run (-s )?plan/.test(s.run ?? ""))) {
      assert.deepEqual((step as Step & { env?: Record<string, string> }).env, {
        ALLOW_REPLACE: "${{ steps.approval.outputs.flag }}",
      });
    }
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

  it("writes the plan into the job summary as Markdown, which is what the summary renders", () => {
    const summaries = Object.values(deploy.jobs)
      .flatMap((job) => job.steps)
      .filter((s) => /\bplan --/.test(s.run ?? "") && /GITHUB_STEP_SUMMARY/.test(s.run ?? ""));
    assert.ok(summaries.length > 0, "no plan in a job summary");
    for (const step of summaries) assert.match(step.run!, / --markdown\b/, step.name);
  });

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
    it(`${stack}: backs up, then pulumi up, then smoke-checks the health endpoints (test/e2e/workflow-scripts runs the scripts)`, () => {
      const job = deploy.jobs[stack];
      const backup = indexOf(job, (s) => s.run === `.github/scripts/backup.sh ${stack}`);
      const up = indexOf(job, (s) => s.run === `.github/scripts/up.sh ${stack} "$MESSAGE"`);
      const smoke = indexOf(job, (s) => s.run === `npm run smoke -- ${stack}`);
      assert.ok(backup >= 0 && up > backup && smoke > up, `${backup} < ${up} < ${smoke}`);
      // The commit message reaches the script through the environment, never spliced into it.
      assert.deepEqual((job.steps[up] as Step & { env?: Record<string, string> }).env, {
        MESSAGE: "${{ github.sha }} ${{ github.event.head_commit.message }}",
      });
      assert.equal(job.environment, stack);
    });
  }

  it("deploys production only after staging and a preview of the same commit, behind the approval", () => {
    const preview = deploy.jobs["production-preview"];
    assert.equal(preview.needs, "staging");
    assert.equal(preview.environment, undefined, "the approver sees the preview before the gate");
    assert.ok(preview.steps.some((s) => s.run === ".github/scripts/preview.sh production"));
    assert.equal(deploy.jobs.production.needs, "production-preview");
    assert.equal(deploy.jobs.production.environment, "production");
    assert.equal(deploy.jobs.staging.needs, undefined);
  });

  for (const stack of ["staging", "production"]) {
    it(`${stack}: bookmarks the version to roll back to, and a failure names the rollback command`, () => {
      const job = deploy.jobs[stack];
      const bookmark = job.steps.find((s) => s.id === "bookmark");
      assert.equal(bookmark?.run, `.github/scripts/bookmark.sh ${stack}`);
      const rollback = job.steps.find((s) => s.name === "how to roll back") as Step & { if?: string };
      assert.match(rollback.if ?? "", /failure\(\)/);
      assert.equal(rollback.run, `.github/scripts/rollback-hint.sh ${stack} "\${{ steps.bookmark.outputs.version }}"`);
    });
  }

  for (const { job, without } of [
    { job: "staging", without: "warns on the run and deploys" },
    { job: "production-preview", without: "fails, before the approval" },
  ] as const) {
    it(`${job}: without BACKUP_S3_URI, ${without}; with it, says nothing`, () => {
      const steps = deploy.jobs[job].steps;
      const check = steps.find((s) => s.name === "backup destination")!;
      assert.equal(steps.indexOf(check), 1, "first after the checkout: before the deploy, the bookmark and the gate");
      for (const bucket of ["", "s3://acme-backups/slipway"]) {
        const env = { BACKUP_S3_URI: expand(deploy.jobs[job].env!.BACKUP_S3_URI, { vars: { BACKUP_S3_URI: bucket } }) };
        const result = runStep(check, {}, PROJECT_ROOT, env);
        if (bucket !== "") {
          assert.deepEqual([result.code, result.stdout], [0, ""]);
        } else if (job === "staging") {
          assert.equal(result.code, 0);
          assert.match(
            result.stdout,
            /^::warning::BACKUP_S3_URI is not set: the staging state backup stays on this runner/,
          );
        } else {
          assert.notEqual(result.code, 0);
          assert.match(
            result.stdout,
            /^::error::BACKUP_S3_URI is not set: production is not deployed without a state backup/,
          );
        }
      }
    });
  }

  it("backs both stacks up to BACKUP_S3_URI, and deploys production only after its check passed", () => {
    for (const stack of ["staging", "production"]) {
      assert.equal(deploy.jobs[stack].env!.BACKUP_S3_URI, "${{ vars.BACKUP_S3_URI }}");
      const backup = deploy.jobs[stack].steps.find((s) => s.name === "backup")!;
      assert.equal(backup.run, `.github/scripts/backup.sh ${stack}`);
      const script = fs.readFileSync(path.join(PROJECT_ROOT, ".github", "scripts", "backup.sh"), "utf8");
      assert.match(script, /^npm run -s ops -- backup "\$stack" \$\{BACKUP_S3_URI:\+--s3 "\$BACKUP_S3_URI"\}$/m);
    }
    assert.equal(deploy.jobs.production.needs, "production-preview");
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "deploy.md"), "utf8");
    assert.match(
      doc,
      /## Backups\n[^#]*BACKUP_S3_URI[^#]*\*\*staging\*\* deploys[^#]*\*\*production\*\* is not deployed/,
    );
  });

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
      const file = fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8");
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

  /**
   * A step that needs the AWS CLI: one that runs Pulumi against a stack (the program's
   * kubeconfig runs `aws eks get-token`, components/kubeconfig.ts) or backs the state up to
   * S3 (`aws s3 cp`, ops/commands/backup.ts).
   */
  const needsAwsCli = (step: Step) =>
    /\b(up|preview|drift-preview|backup)\.sh\b/.test(step.run ?? "") ||
    (step.uses?.startsWith("pulumi/actions@") === true && step.with?.command !== undefined);
  const installsAwsCli = (step: Step) => /\.github\/scripts\/install-aws-cli\.sh\b/.test(step.run ?? "");
  const jobsOnStackRunners = (["deploy.yml", "drift.yml", "pull-request.yml"] as const).flatMap((file) =>
    Object.entries(workflow(file).jobs)
      .filter(([, job]) => job["runs-on"]?.startsWith("slipway-"))
      .map(([name, job]) => [`${file} ${name}`, job] as const),
  );

  it("runs the deploy, preview and drift jobs on the stack runners", () => {
    assert.deepEqual(
      jobsOnStackRunners.map(([name]) => name),
      [
        "deploy.yml staging",
        "deploy.yml production-preview",
        "deploy.yml production",
        "drift.yml drift",
        "pull-request.yml preview",
      ],
    );
  });

  for (const [name, job] of jobsOnStackRunners) {
    it(`${name}: installs the AWS CLI before its first step that needs it (the runner image has none)`, () => {
      const first = indexOf(job, needsAwsCli);
      assert.ok(first >= 0, "the job calls the cluster or S3");
      const install = indexOf(job, installsAwsCli);
      assert.ok(install >= 0, "no step runs .github/scripts/install-aws-cli.sh");
      assert.ok(install < first, `the AWS CLI is installed at step ${install}, after step ${first} needs it`);
    });
  }

  it("documents the first deploy, before any runner exists", () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "deploy.md"), "utf8");
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

type DriftStep = {
  uses?: string;
  run?: string;
  name?: string;
  id?: string;
  with?: Record<string, string>;
  "continue-on-error"?: boolean;
};
const driftWorkflow = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "drift.yml"), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: {
    drift: {
      "runs-on": string;
      if: string;
      concurrency: { group: string };
      strategy: { matrix: { stack: string[] } };
      steps: DriftStep[];
    };
  };
};
const job = driftWorkflow.jobs.drift;

describe("drift workflow", () => {
  it("runs nightly and on demand, for both stacks", () => {
    assert.deepEqual(driftWorkflow.on, { schedule: [{ cron: "17 3 * * *" }], workflow_dispatch: {} });
    assert.deepEqual(job.strategy.matrix.stack, ["staging", "production"]);
  });

  it("may only read the code and write issues, with the read-only preview role, on the stack's runners", () => {
    assert.deepEqual(driftWorkflow.permissions, { contents: "read", issues: "write", "id-token": "write" });
    const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    assert.equal(credentials?.with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    assert.equal(job.if, "${{ vars.AWS_PREVIEW_ROLE_ARN != '' }}");
    assert.equal(job["runs-on"], "slipway-${{ matrix.stack }}");
    assert.equal(job.concurrency.group, "drift-${{ matrix.stack }}", "never the deploy's group");
  });

  it("previews with refresh and no changes expected, and writes nothing to the stack", () => {
    const preview = job.steps.find((s) => s.id === "preview")!;
    assert.equal(preview.run, ".github/scripts/drift-preview.sh ${{ matrix.stack }}");
    const script = fs.readFileSync(path.join(PROJECT_ROOT, ".github", "scripts", "drift-preview.sh"), "utf8");
    assert.match(
      script,
      /^pulumi preview --stack "\$stack" --refresh --expect-no-changes --json --non-interactive >preview\.json \|\| code=\$\?$/m,
    );
    assert.ok(
      !job.steps.some((s) => /pulumi (up|refresh)\b(?! --preview-only)/.test(s.run ?? "")),
      "nothing writes to the stack",
    );
  });

  const step = (name: string) => job.steps.find((s) => s.name === name)!;
  const issueStep = job.steps.find((s) => s.uses?.startsWith("actions/github-script"))! as DriftStep & { if?: string };

  // The preview and report steps run against a sandbox with the real CLI in
  // test/e2e/workflow-scripts.test.ts (clean, drifted, failed).
  it("touches the drift issue only after a report that succeeded", () => {
    assert.equal(step("drift report")["continue-on-error"], undefined, "a failed report fails the job");
    assert.equal(stepRuns(issueStep.if, "failure"), false, "the issue step is skipped after a failed check");
    assert.equal(stepRuns(issueStep.if, "success"), true);
  });

  /** Runs the workflow's github-script against a recording stand-in for the GitHub API. */
  async function fileIssue(report: object, openIssues: Array<{ number: number; body: string }>) {
    const script = job.steps.find((s) => s.uses?.startsWith("actions/github-script"))!.with!.script;
    const dir = temporaryFolder("drift-script-");
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

  const drifted = driftReport(
    "production",
    parsePreviewDigest(fs.readFileSync(path.join(DRIFT_FIXTURES, "preview-drifted.json"), "utf8"), "p"),
    RUN,
  );
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

describe("install-aws-cli.sh", () => {
  const script = path.join(PROJECT_ROOT, ".github", "scripts", "install-aws-cli.sh");

  /**
   * Runs the script with PATH holding only stand-ins: `uname` answers `machine`, `curl` and
   * the installer `unzip` unpacks record their arguments, and `aws` exists when `hasAws`.
   */
  function install(machine: string, hasAws: boolean) {
    const bin = temporaryFolder("aws-cli-bin-");
    const home = temporaryFolder("aws-cli-home-");
    const log = path.join(home, "calls.log");
    const githubPath = path.join(home, "github-path");
    fs.writeFileSync(githubPath, "");
    const stub = (name: string, body: string) =>
      fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    for (const tool of ["dirname", "mktemp", "rm", "mkdir", "chmod", "cat"]) {
      const found = spawnSync("/bin/bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
      fs.symlinkSync(found, path.join(bin, tool));
    }
    stub("uname", `echo ${machine}`);
    stub("curl", `echo "curl $*" >> ${log}; while [ "$1" != --output ]; do shift; done; echo zip > "$2"`);
    // The archive holds aws/install, which installs an `aws` into --bin-dir.
    stub(
      "unzip",
      `echo "unzip $*" >> ${log}; d="\${@: -1}"; mkdir -p "$d/aws"; cat > "$d/aws/install" <<'INSTALL'\n` +
        `#!/bin/bash\necho "install $*" >> ${log}\nmkdir -p "$4"; printf '#!/bin/bash\\necho aws-cli/2.36.11\\n' > "$4/aws"; chmod +x "$4/aws"\nINSTALL\n` +
        `chmod +x "$d/aws/install"`,
    );
    if (hasAws) stub("aws", "echo aws-cli/2.0.0");
    const result = spawnSync("/bin/bash", [script], {
      encoding: "utf8",
      env: { PATH: bin, HOME: home, GITHUB_PATH: githubPath },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    return { ...result, calls, githubPath: fs.readFileSync(githubPath, "utf8"), home };
  }

  for (const machine of ["x86_64", "aarch64"]) {
    it(`on ${machine}: downloads the pinned installer over HTTPS, installs it in the home folder, puts it on PATH`, () => {
      const run = install(machine, false);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      const [curl, unzip, installer] = run.calls;
      assert.match(
        curl,
        new RegExp(`https://awscli\\.amazonaws\\.com/awscli-exe-linux-${machine}-2\\.\\d+\\.\\d+\\.zip$`),
      );
      assert.match(curl, /--proto =https --tlsv1\.2/);
      assert.match(unzip, /^unzip -q \S+\/awscliv2\.zip -d /);
      assert.equal(
        installer,
        `install --install-dir ${run.home}/.local/aws-cli --bin-dir ${run.home}/.local/bin --update`,
      );
      assert.equal(run.githubPath, `${run.home}/.local/bin\n`);
      assert.match(run.stdout, /install-aws-cli: aws-cli\/2\.36\.11/);
    });
  }

  it("installs nothing when the job already has an AWS CLI", () => {
    const run = install("x86_64", true);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.calls, []);
    assert.equal(run.githubPath, "");
    assert.match(run.stdout, /is already on PATH: aws-cli\/2\.0\.0/);
  });

  it("fails with one line on a machine the AWS CLI ships no installer for", () => {
    const run = install("armv7l", false);
    assert.equal(run.status, 1);
    assert.deepEqual(run.calls, []);
    assert.equal(
      run.stdout.trim(),
      "::error::install-aws-cli: no AWS CLI v2 installer for armv7l; the AWS CLI ships x86_64 and aarch64 for Linux",
    );
  });
});
