import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { recordAtRevision } from "../../ops/plan/base";
import type { ProgramRecord } from "../../harness/record";
import { diffRecords, diffSummary, renderDiff } from "../../ops/plan/diff";
import { assessDataLoss, replacements } from "../../ops/plan/replacement";
import { runProgram } from "../../harness/run";
import { temporaryFolder } from "../helpers";
import { PolicyPackServer } from "../../harness/policy-pack";
import { editStack, plan } from "./plan-in-copy";

after(() => PolicyPackServer.stopShared());

describe("plan --base on a throwaway git repository", () => {
  let repo: string;
  before(() => {
    repo = temporaryFolder("slipway-repo-");
    const files = execFileSync("git", ["-C", PROJECT_ROOT, "ls-files", "-co", "--exclude-standard"], {
      encoding: "utf8",
    })
      .split("\n")
      .filter(Boolean);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(repo, file));
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.name=test", "-c", "user.email=test@example.com", "add", "-A");
    git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "base");
  });
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  // HEAD of the throwaway repository never moves: its record is the same for every test.
  let base: Promise<ProgramRecord> | undefined;
  const baseRecord = () => (base ??= recordAtRevision(repo, "HEAD", "production"));

  async function risksAfter(change: (c: Record<string, any>) => void, projectFile?: (text: string) => string) {
    const stackFile = path.join(repo, "Pulumi.production.yaml");
    const projectPath = path.join(repo, "Pulumi.yaml");
    const [original, originalProject] = [fs.readFileSync(stackFile, "utf8"), fs.readFileSync(projectPath, "utf8")];
    editStack(repo, "production", change);
    if (projectFile) fs.writeFileSync(projectPath, projectFile(originalProject));
    try {
      const base = await baseRecord();
      const head = await runProgram({ stack: "production", projectDir: repo, programDir: repo });
      const diff = diffRecords(base, head);
      return { diff, risks: assessDataLoss(diff, undefined, { before: base, after: head }) };
    } finally {
      fs.writeFileSync(stackFile, original);
      fs.writeFileSync(projectPath, originalProject);
    }
  }
  const flagged = (risks: Array<{ type: string; urn: string; reason: string }>) =>
    risks.map((r) => `${r.urn.split("::").pop()} (${r.type}): ${r.reason}`);

  it("summarises a change as Pulumi does and marks replacements +-, updates ~", async () => {
    const { diff } = await risksAfter((c) => {
      c["slipway:database"].databaseName = "orders";
      c["slipway:cluster"].nodeGroups.workload.desiredSize = 5;
    });
    const replaced = new Set(replacements(diff).keys());
    // The database's replacement also changes what its apps get (the connection URL), so more update.
    assert.equal(
      diffSummary(diff, replaced),
      `+ 0 to create, ~ ${diff.changed.length - 1} to update, +- 1 to replace, - 0 to delete`,
    );
    assert.deepEqual(
      [...replaced].map((u) => u.split("::").pop()),
      ["database-instance"],
    );
    const text = renderDiff(diff, "HEAD", "the working tree", replaced);
    assert.match(text, /\n {2}\+- database-instance \(aws:rds\/instance:Instance\)\n/);
    assert.match(text, /\n {2}~ cluster-workload \(aws:eks\/nodeGroup:NodeGroup\)\n/);
  });

  it("flags a project rename: every URN changes, so the whole stack would be recreated", async () => {
    const { risks } = await risksAfter(
      () => undefined,
      (text) => text.replace(/^name: slipway$/m, "name: slipway-next"),
    );
    const types = new Set(risks.map((r) => r.type));
    for (const type of [
      "aws:rds/instance:Instance",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:eks/cluster:Cluster",
      "aws:kms/key:Key",
    ])
      assert.ok(types.has(type), `${type} not flagged`);
    assert.ok(risks.every((r) => /project name changed from slipway to slipway-next/.test(r.reason)));
  });

  it("lists every replacement the summary counts, those caused by another resource included", async () => {
    const stackFile = path.join(repo, "Pulumi.production.yaml");
    const original = fs.readFileSync(stackFile, "utf8");
    editStack(repo, "production", (c) => {
      c["aws:region"] = "us-west-2";
      c["slipway:network"].availabilityZones = ["us-west-2a", "us-west-2b", "us-west-2c"];
    });
    try {
      const base = await baseRecord();
      const head = await runProgram({ stack: "production", projectDir: repo, programDir: repo });
      const diff = diffRecords(base, head);
      const replaced = new Set(replacements(diff, head).keys());
      const text = renderDiff(diff, "HEAD", "the working tree", replaced, head);
      const count = (marker: RegExp) => text.split("\n").filter((l) => marker.test(l)).length;
      const summary = diffSummary(diff, replaced);
      assert.equal(
        summary,
        `+ ${count(/^ {2}\+ /)} to create, ~ ${count(/^ {2}~ /)} to update, +- ${count(/^ {2}\+- /)} to replace, - ${count(/^ {2}- /)} to delete`,
      );
      assert.match(text, /\nReplaced because of another resource \(\d+\):\n/);
    } finally {
      fs.writeFileSync(stackFile, original);
    }
  });

  it("flags a region change: the AWS provider is replaced, and every resource it manages", async () => {
    const { risks } = await risksAfter((c) => {
      c["aws:region"] = "us-west-2";
      c["slipway:network"].availabilityZones = ["us-west-2a", "us-west-2b", "us-west-2c"];
    });
    const database = risks.find((r) => r.type === "aws:rds/instance:Instance");
    assert.match(database?.reason ?? "", /replaced, because its provider aws is replaced \(region changed\)/);
    assert.ok(
      risks.some((r) => r.type === "aws:cloudwatch/logGroup:LogGroup"),
      "log history is lost too",
    );
  });

  it("flags a VPC CIDR change: the subnets under the database, the cache and the cluster are replaced", async () => {
    const { risks } = await risksAfter((c) => (c["slipway:network"].vpcCidr = "10.40.0.0/16"));
    for (const type of [
      "aws:rds/instance:Instance",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:eks/cluster:Cluster",
    ]) {
      const risk = risks.find((r) => r.type === type);
      assert.match(
        risk?.reason ?? "",
        /replaced, because it sits on network-(vpc|private-us-east-1[abc]), which is replaced \(cidrBlock changed\)/,
        type,
      );
    }
  });

  it("does not move the other zones' subnets when a zone is dropped or the list reordered", async () => {
    const dropped = await risksAfter((c) => (c["slipway:network"].availabilityZones = ["us-east-1a", "us-east-1c"]));
    assert.deepEqual(
      dropped.diff.changed.filter((c) => c.after.type === "aws:ec2/subnet:Subnet").map((c) => c.after.name),
      [],
    );
    const reordered = await risksAfter(
      (c) => (c["slipway:network"].availabilityZones = ["us-east-1c", "us-east-1a", "us-east-1b"]),
    );
    assert.deepEqual(
      reordered.diff.changed.filter((c) => c.after.type === "aws:ec2/subnet:Subnet"),
      [],
    );
  });

  it("flags removing an availability zone: its subnets, NAT and routes go, and what lives there with them", async () => {
    const { diff, risks } = await risksAfter(
      (c) => (c["slipway:network"].availabilityZones = ["us-east-1a", "us-east-1c"]),
    );
    assert.equal(diff.removed.length, 7, diff.removed.map((r) => r.name).join(", "));
    assert.deepEqual(flagged(risks), [
      "network-public-us-east-1b (aws:ec2/subnet:Subnet): deleted: the availability zone us-east-1b leaves the network (deleted with it: network-nat-us-east-1b (NatGateway), network-public-us-east-1b (RouteTableAssociation))",
      "network-private-us-east-1b (aws:ec2/subnet:Subnet): deleted: the availability zone us-east-1b leaves the network (deleted with it: network-private-us-east-1b (RouteTableAssociation); moved off it: cache-subnets (SubnetGroup), database-subnets (SubnetGroup), cluster-eks (Cluster), cluster-workload (NodeGroup), cluster-system (NodeGroup))",
    ]);
    assert.match(risks[0].loses, /every EBS volume there .* attaches only in its own zone/);
    assert.match(risks[0].avoid, /^move what lives in the zone first/);
  });

  it("flags an engine major upgrade, 15 to 16 with its parameter group family: downtime, and the group replaced", async () => {
    const { diff, risks } = await risksAfter((c) => (c["slipway:database"].engineVersion = "16"));
    assert.deepEqual(flagged(risks), [
      'database-instance (aws:rds/instance:Instance): a major version upgrade in place; RDS upgrades the primary and the standby at the same time, so the database is down for the upgrade, and the parameter group of the old family is replaced by one of the new (engineVersion: "15" -> "16")',
    ]);
    const replaced = [...replacements(diff).entries()].map(([urn, r]) => [urn.split("::").pop(), r.cause]);
    assert.deepEqual(replaced, [["database-params", "family changed"]]);
  });

  it("flags shrinking Prometheus' volume claims: Kubernetes refuses to shrink a claim", async () => {
    const { risks } = await risksAfter((c) => (c["slipway:platform"].monitoring.storageGiB = 20));
    assert.deepEqual(flagged(risks), [
      'platform-cluster-monitoring-release (kubernetes:helm.sh/v3:Release): shrinks a volume; Kubernetes refuses to shrink a PersistentVolumeClaim, so the upgrade fails on a claim the chart writes itself, and a StatefulSet\'s claims (Prometheus, Alertmanager) keep their old size while the operator deletes and recreates the StatefulSet, restarting its pods; the smaller size only comes with a new, empty claim (values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage: "100Gi" -> "20Gi")',
    ]);
    assert.match(risks[0].loses, /Prometheus and Alertmanager volumes/);
    const grown = await risksAfter((c) => (c["slipway:platform"].monitoring.storageGiB = 200));
    assert.deepEqual(flagged(grown.risks), [], "growing a claim is what Kubernetes allows");
  });

  it("flags switching off an add-on that owns volumes, and dropping protectCrds", async () => {
    const off = await risksAfter((c) => c["slipway:platform"].disabledCharts.push("grafana-stack"));
    assert.deepEqual(flagged(off.risks), [
      "platform-grafana-stack-release (kubernetes:helm.sh/v3:Release): deleted (or renamed, which deletes it): no resource with its URN is declared any more",
    ]);
    assert.match(off.risks[0].loses, /Grafana volume/);
    const unprotected = await risksAfter((c) => (c["slipway:platform"].protectCrds = false));
    assert.ok(
      flagged(unprotected.risks).some((r) =>
        /^platform-prometheus-operator-crds-release .*loses its protection \(options\.protect turned off\)/.test(r),
      ),
      flagged(unprotected.risks).join("\n"),
    );
  });

  it("flags renaming the RDS database as a replacement that loses data", async () => {
    const { risks } = await risksAfter((c) => (c["slipway:database"].databaseName = "orders"));
    assert.deepEqual(
      risks.map((r) => [r.type, r.reason]),
      [["aws:rds/instance:Instance", "replaced, because dbName changed: a new, empty resource takes its place"]],
    );
  });

  it("flags turning off deletion protection", async () => {
    const { risks } = await risksAfter((c) => (c["slipway:database"].deletionProtection = false));
    assert.deepEqual(
      risks.map((r) => r.reason),
      ["loses its protection (deletionProtection turned off): nothing then stops a delete"],
    );
    assert.match(risks[0].avoid, /keep deletionProtection on/);
  });

  it("does not flag scaling a node group, and lists the changed input path", async () => {
    const { risks, diff } = await risksAfter((c) => (c["slipway:cluster"].nodeGroups.workload.desiredSize = 5));
    assert.deepEqual(risks, []);
    assert.deepEqual(
      diff.changed.map((c) => [c.after.name, c.paths.map((p) => p.path)]),
      [["cluster-workload", ["scalingConfig.desiredSize"]]],
    );
    assert.match(
      renderDiff(diff, "HEAD", "the working tree"),
      /~ cluster-workload \(aws:eks\/nodeGroup:NodeGroup\)\n {6}scalingConfig\.desiredSize: 3 -> 5/,
    );
  });

  /**
   * What the stack file cannot express (it refuses backupRetentionDays: 0, and the
   * identifier, storage type and release names are the program's): made in a copy of the
   * program, its own folder so that it loads afresh, and run against the same base.
   */
  async function risksWithProgramEdit(file: string, edit: (text: string) => string) {
    const copy = temporaryFolder("slipway-program-");
    for (const entry of fs.readdirSync(repo).filter((e) => e !== ".git" && e !== "node_modules")) {
      fs.cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    const target = path.join(copy, file);
    const original = fs.readFileSync(target, "utf8");
    assert.notEqual(edit(original), original, `the edit of ${file} changed nothing`);
    fs.writeFileSync(target, edit(original));
    const base = await baseRecord();
    const head = await runProgram({ stack: "production", projectDir: copy, programDir: copy });
    const diff = diffRecords(base, head);
    return { diff, risks: assessDataLoss(diff, undefined, { before: base, after: head }) };
  }

  const programEdits: Array<[string, string, (text: string) => string, string[]]> = [
    [
      "an RDS identifier change: an update in place, but every client's endpoint changes",
      "infra/config.ts",
      (t) =>
        t.replace(
          "identifier: `${context.project}-${context.stack}`",
          "identifier: `${context.project}-${context.stack}-pg`",
        ),
      [
        'database-instance (aws:rds/instance:Instance): renamed in place, which gives it a new endpoint; RDS deletes the old DNS name at once and the new one answers about 10 minutes later, so every client that names the old host loses the database (identifier: "slipway-production" -> "slipway-production-pg")',
      ],
    ],
    [
      "an RDS storage-type change",
      "components/database.ts",
      (t) => t.replace('storageType: "gp3"', 'storageType: "io2"'),
      [
        'database-instance (aws:rds/instance:Instance): changes the storage type in place; RDS moves the data onto new volumes (hours; to or from magnetic storage up to days), during which the instance cannot be modified, rebooted or snapshotted and its nightly backups may be suspended (storageType: "gp3" -> "io2")',
      ],
    ],
    [
      "automated backups turned off (backupRetentionDays: 0), in the guard's own words",
      "components/database.ts",
      (t) => t.replace("backupRetentionPeriod: args.backupRetentionDays", "backupRetentionPeriod: 0"),
      [
        "database-instance (aws:rds/instance:Instance): turns automated backups off; RDS deletes every automated backup of the instance at once and point-in-time recovery ends (backupRetentionPeriod: 7 -> 0)",
      ],
    ],
    [
      "renaming the Helm release of a chart that owns CRDs: deleting the old release deletes them and every object of them",
      "components/platform/helm-release.ts",
      (t) => t.replace("name: ctx.key,", 'name: ctx.key === "prometheus-operator-crds" ? "monitoring-crds" : ctx.key,'),
      [
        "platform-prometheus-operator-crds-release (kubernetes:helm.sh/v3:Release): replaced, because name changed: a new, empty resource takes its place",
      ],
    ],
  ];
  for (const [what, file, edit, expected] of programEdits) {
    it(`flags ${what}`, async () => {
      const { risks } = await risksWithProgramEdit(file, edit);
      assert.deepEqual(flagged(risks), expected);
      assert.ok(risks.every((r) => r.loses.length > 10 && r.avoid.length > 10));
    });
  }

  it("says what turning backups off loses, and how to keep them", async () => {
    const { risks } = await risksWithProgramEdit("components/database.ts", (t) =>
      t.replace("backupRetentionPeriod: args.backupRetentionDays", "backupRetentionPeriod: 0"),
    );
    assert.match(risks[0].loses, /^the automated backups and point-in-time recovery/);
    assert.match(risks[0].avoid, /take a manual snapshot first \(aws rds create-db-snapshot\)/);
  });

  it("says what renaming a CRD release loses: the CRDs and every object of them", async () => {
    const { risks } = await risksWithProgramEdit("components/platform/helm-release.ts", (t) =>
      t.replace("name: ctx.key,", 'name: ctx.key === "prometheus-operator-crds" ? "monitoring-crds" : ctx.key,'),
    );
    assert.match(risks[0].loses, /the monitoring CRDs, and with them every ServiceMonitor, PodMonitor, PrometheusRule/);
  });

  it("exits non-zero on the CLI when a change loses data", async () => {
    editStack(repo, "production", (c) => (c["slipway:database"].databaseName = "orders"));
    try {
      const refused = await plan(repo, "production", "--base", "HEAD");
      assert.equal(refused.code, 1);
      assert.match(
        refused.stdout,
        /DATA LOSS database-instance \(aws:rds\/instance:Instance\): replaced, because dbName changed/,
      );
      assert.match(refused.stdout, /refusing a change that loses data; pass --allow-replace/);
    } finally {
      execFileSync("git", ["-C", repo, "checkout", "-q", "--", "Pulumi.production.yaml"]);
    }
  });

  it("refuses, on the CLI, a change that turns automated backups off, saying so as data loss", async () => {
    const file = path.join(repo, "components", "database.ts");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
      file,
      original.replace("backupRetentionPeriod: args.backupRetentionDays", "backupRetentionPeriod: 0"),
    );
    try {
      const refused = await plan(repo, "production", "--base", "HEAD");
      assert.equal(refused.code, 1);
      assert.match(
        refused.stdout,
        /\n {2}DATA LOSS database-instance \(aws:rds\/instance:Instance\): turns automated backups off; RDS deletes every automated backup of the instance at once and point-in-time recovery ends \(backupRetentionPeriod: 7 -> 0\)\n {6}loses: the automated backups and point-in-time recovery/,
      );
      assert.match(refused.stdout, /refusing a change that loses data; pass --allow-replace/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it("says so when the revision does not exist", async () => {
    const { code, stderr } = await plan(repo, "production", "--base", "no-such-ref");
    assert.equal(code, 1);
    assert.match(stderr, /^plan: --base no-such-ref: no such revision/);
  });
});

describe("plan --base against this checkout's HEAD, with an edited copy of the stack file", () => {
  const edited = (change: (c: Record<string, any>) => void) => {
    const dir = temporaryFolder("slipway-edit-");
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), path.join(dir, "Pulumi.production.yaml"));
    editStack(dir, "production", change);
    return dir;
  };

  it("--allow-replace reports the loss and exits 0", async () => {
    const dir = edited((c) => (c["slipway:database"].databaseName = "orders"));
    const allowed = await plan(PROJECT_ROOT, "production", "--stack-dir", dir, "--base", "HEAD", "--allow-replace");
    assert.equal(allowed.code, 0, allowed.stdout.slice(-500));
    assert.match(
      allowed.stdout,
      /Stateful resources at risk \(allowed by --allow-replace\):\n {2}DATA LOSS database-instance/,
    );
    // How to keep the data itself, with the command to run: a state export (ops backup) holds none of it.
    const avoid = /\n {6}avoid: (.*)\n/.exec(allowed.stdout)?.[1] ?? "";
    assert.ok(
      avoid.includes(
        "snapshot it first with aws rds create-db-snapshot --db-instance-identifier <id> --db-snapshot-identifier <name>",
      ),
      avoid,
    );
    assert.match(
      avoid,
      /skipFinalSnapshot: false with a finalSnapshotIdentifier so the delete leaves a final snapshot/,
    );
    assert.match(avoid, /retainOnDelete so Pulumi leaves the old instance in AWS/);
    assert.match(avoid, /npm run ops -- backup saves the Pulumi state, not the data/);
  });

  it("leads the terminal review with the summary, the data loss and the changes; the tree follows", async () => {
    const dir = edited((c) => {
      c["slipway:database"].databaseName = "orders";
      c["slipway:database"].instanceClass = "db.r6g.2xlarge";
    });
    const { stdout } = await plan(PROJECT_ROOT, "production", "--stack-dir", dir, "--base", "HEAD", "--allow-replace");
    const lines = stdout.split("\n");
    assert.match(lines[1], /^Against HEAD: \+ 0 to create, ~ \d+ to update, \+- 1 to replace, - 0 to delete$/);
    // What a reviewer reads, top to bottom: each part before the next.
    const order = [
      "Against HEAD: ",
      "  DATA LOSS database-instance (aws:rds/instance:Instance): replaced, because dbName changed",
      "Changes against HEAD",
      "  +- database-instance (aws:rds/instance:Instance)",
      "Monthly cost against HEAD: ",
      "└─ slipway-production pulumi:pulumi:Stack",
      "Deployment waves",
      "Policy (production tier",
    ].map((text) => [text, stdout.indexOf(text)] as const);
    for (const [text, at] of order) assert.ok(at >= 0, `missing: ${text}`);
    for (let i = 1; i < order.length; i++) {
      assert.ok(order[i - 1][1] < order[i][1], `"${order[i - 1][0]}" should come before "${order[i][0]}"`);
    }
    assert.match(lines.at(-2) ?? "", /^Against HEAD: /, "and the summary closes it");
  });

  it("--json gives every resource's operation and, for a replace, the input that forces it", async () => {
    const dir = edited((c) => {
      c["slipway:database"].databaseName = "orders";
      c["slipway:cluster"].nodeGroups.workload.desiredSize = 5;
      c["slipway:cluster"].adminRoleArns.push("arn:aws:iam::123456789012:role/auditor");
      c["slipway:platform"].disabledCharts.push("example-services");
    });
    const run = await plan(
      PROJECT_ROOT,
      "production",
      "--stack-dir",
      dir,
      "--base",
      "HEAD",
      "--allow-replace",
      "--json",
    );
    assert.equal(run.code, 0, run.stderr);
    const { base } = JSON.parse(run.stdout) as {
      base: {
        summary: string;
        changed: Array<{ urn: string; op: string; paths: string[] }>;
        steps: Array<{
          op: string;
          urn: string;
          type: string;
          diffReasons?: string[];
          replaceReasons?: string[];
          cause?: string;
        }>;
      };
    };
    const step = (name: string) => base.steps.filter((s) => s.urn.endsWith(`::${name}`));
    assert.deepEqual(step("database-instance"), [
      {
        op: "replace",
        urn: "urn:pulumi:production::slipway::slipway:aws:Database$aws:rds/instance:Instance::database-instance",
        type: "aws:rds/instance:Instance",
        diffReasons: ["dbName"],
        replaceReasons: ["dbName"],
        cause: "dbName changed",
      },
    ]);
    assert.deepEqual(
      step("cluster-workload").map((s) => [s.op, s.diffReasons]),
      [["update", ["scalingConfig.desiredSize"]]],
    );
    assert.ok(
      step("cluster-admin-auditor").length > 0 && step("cluster-admin-auditor").every((s) => s.op === "create"),
    );
    assert.deepEqual(
      step("platform-example-services-release").map((s) => s.op),
      ["delete"],
    );
    // The existing fields stay, each changed resource now with its operation too.
    for (const change of base.changed) {
      assert.equal(change.op, base.steps.find((s) => s.urn === change.urn)?.op, change.urn);
    }
    // The steps add up to the summary line, operation by operation.
    const count = (op: string) => base.steps.filter((s) => s.op === op).length;
    assert.equal(
      base.summary,
      `+ ${count("create")} to create, ~ ${count("update")} to update, +- ${count("replace")} to replace, - ${count("delete")} to delete`,
    );
  });

  it("a safe change exits 0, names no loss, and prices itself item by item", async () => {
    const dir = edited((c) => {
      c["slipway:cluster"].nodeGroups.workload.desiredSize = 5;
      c["slipway:database"].instanceClass = "db.r6g.2xlarge";
    });
    const safe = await plan(PROJECT_ROOT, "production", "--stack-dir", dir, "--base", "HEAD");
    assert.equal(safe.code, 0, safe.stdout.slice(-500));
    assert.doesNotMatch(safe.stdout, /DATA LOSS/);
    assert.match(
      safe.stdout,
      /~ cluster-workload \(aws:eks\/nodeGroup:NodeGroup\)\n {6}scalingConfig\.desiredSize: 3 -> 5/,
    );
    // us-east-1 prices (ops/cost/prices/us-east-1.yaml), 730 hours: two more m6i.2xlarge nodes
    // at $0.384/h with 100 GiB gp3 disks at $0.08, and db.r6g.xlarge -> 2xlarge ($0.449 -> $0.898/h) twice (Multi-AZ);
    // $1,232.18 is 47.6 % of the $2,589.50 before.
    assert.match(
      safe.stdout,
      /\nMonthly cost against HEAD: \$2,589\.50 -> \$3,821\.67, \+\$1,232\.18\/month \(\+47\.6%\)\n {2}\+\$655\.54\/month: production database-instance instance, db\.r6g\.xlarge Multi-AZ -> db\.r6g\.2xlarge Multi-AZ\n {2}\+\$560\.64\/month: production cluster-workload nodes, 3 × m6i\.2xlarge -> 5 × m6i\.2xlarge\n {2}\+\$16\.00\/month: production cluster-workload node disks, 3 × 100 GiB gp3 -> 5 × 100 GiB gp3\n/,
    );
  });
});
