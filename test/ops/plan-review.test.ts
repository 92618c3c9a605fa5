import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { flatten } from "../../ops/plan/diff";
import { renderSchedule, schedule, toDot } from "../../ops/plan/schedule";
import { toComponentDot } from "../../ops/plan/dot";
import { styleFor } from "../../ops/plan";
import { PLAIN } from "../../ops/style";
import { recordOf, temporaryFolder } from "../helpers";
import { PolicyPackServer } from "../../harness/policy-pack";
import { editStack, plan } from "./plan-in-copy";

after(() => PolicyPackServer.stopShared());

describe("the policy's strictness follows slipway:tier, not the stack's name", () => {
  it("holds a production-tier stack called prod to production's rules", async () => {
    const dir = temporaryFolder("slipway-tier-");
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), path.join(dir, "Pulumi.prod.yaml"));
    editStack(dir, "prod", (c) => (c["slipway:database"].deletionProtection = false));
    const { code, stdout } = await plan(PROJECT_ROOT, "prod", "--stack-dir", dir);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 1);
    assert.match(stdout, /Policy \(production tier: policy\/config\/production\.json\)/);
    assert.match(
      stdout,
      /\[mandatory\] rds-deletion-protection \(RDS-04\) database-instance: deletion protection is off/,
    );
  });
});

describe("a production stack file with one safety setting turned off", () => {
  it("makes the plan exit non-zero, naming the rule", async () => {
    const dir = temporaryFolder("slipway-unsafe-");
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), path.join(dir, "Pulumi.production.yaml"));
    editStack(dir, "production", (c) => (c["slipway:database"].deletionProtection = false));
    const { code, stdout } = await plan(PROJECT_ROOT, "production", "--stack-dir", dir);
    assert.equal(code, 1);
    assert.match(
      stdout,
      /\[mandatory\] rds-deletion-protection \(RDS-04\) database-instance: deletion protection is off\n {4}fix: Set slipway:database\.deletionProtection: true\./,
    );
    assert.match(stdout, /plan: 1 mandatory policy violation\(s\): rds-deletion-protection\n/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes, and exits 0, as committed", async () => {
    const { code, stdout } = await plan(PROJECT_ROOT, "production");
    assert.equal(code, 0);
    assert.match(
      stdout,
      /Policy \(production tier: policy\/config\/production\.json\)\n\[advisory\] alerts-have-a-receiver \(MON-01\) platform-cluster-monitoring-alertmanager-config: Alertmanager has no receiver/,
    );
  });
});

describe("plan --compare staging production", () => {
  it("lists what only one stack declares and the values that differ", async () => {
    const { code, stdout } = await plan(PROJECT_ROOT, "--compare", "staging", "production");
    assert.equal(code, 0);
    assert.match(stdout, /^Stack staging against stack production\n/);
    assert.match(
      stdout,
      /Only in production \(\d+\):\n(.*\n)*? {2}\+ network-nat-us-east-1b \(aws:ec2\/natGateway:NatGateway\)\n/,
    );
    assert.match(stdout, /\+ app-controlcore-api-hpa \(kubernetes:autoscaling\/v2:HorizontalPodAutoscaler\)/);
    // Each stack's own deploy and preview roles: an access entry and its association each.
    assert.match(
      stdout,
      /Only in staging \(4\):\n {2}- cluster-admin-github-actions-deploy-staging \(aws:eks\/accessEntry:AccessEntry\)\n {2}- cluster-preview-github-actions-preview-staging \(aws:eks\/accessEntry:AccessEntry\)\n/,
    );
    assert.match(
      stdout,
      / {2}~ database-instance \(aws:rds\/instance:Instance\)\n(.* {6}.*\n)*? {6}instanceClass: "db\.t4g\.medium" -> "db\.r6g\.xlarge"\n/,
    );
    assert.match(stdout, / {6}multiAz: false -> true\n/);
    // Resources match across stacks, so the cost compares item by item too.
    assert.match(
      stdout,
      /\nMonthly cost against stack staging: \$[\d,.]+ -> \$[\d,.]+, \+\$[\d,.]+\/month \(\+\d+\.\d%\)\n/,
    );
    assert.match(
      stdout,
      /\n {2}\+\$\d+\.\d\d\/month: production database-instance instance, db\.t4g\.medium -> db\.r6g\.xlarge Multi-AZ\n/,
    );
    assert.doesNotMatch(
      stdout,
      /slipway-staging-control-plane/,
      "names that differ only by the stack are not reported",
    );
  });

  it("gives the same comparison as JSON", async () => {
    const { stdout } = await plan(PROJECT_ROOT, "--compare", "staging", "production", "--json");
    const parsed = JSON.parse(stdout);
    const db = parsed.differing.find((d: { resource: string }) => d.resource === "database-instance");
    assert.deepEqual(
      db.paths.find((p: { path: string }) => p.path === "allocatedStorage"),
      { path: "allocatedStorage", before: 20, after: 100 },
    );
  });
});

describe("deployment schedule", () => {
  it("names each resource of a wave uniquely: a shared name gets its type", async () => {
    const text = renderSchedule(await recordOf("production"));
    for (const line of text.split("\n").filter((l) => l.startsWith("wave "))) {
      const names = line.slice(line.indexOf(": ") + 2).split(", ");
      assert.equal(new Set(names).size, names.length, line);
    }
    assert.match(text, /cluster-vpc-cni \(RolePolicyAttachment\), .*cluster-vpc-cni \(Addon\)/);
  });

  it("puts every resource after its dependencies and its provider", async () => {
    const record = await recordOf("production");
    const { waves } = schedule(record);
    const waveOf = new Map(waves.flatMap((wave, i) => wave.map((urn) => [urn, i] as const)));
    for (const resource of record.resources.filter((r) => r.custom)) {
      for (const dep of [...resource.dependencies, resource.provider].filter((u) => waveOf.has(u))) {
        assert.ok(waveOf.get(dep)! < waveOf.get(resource.urn)!, `${resource.name} is not after ${dep}`);
      }
    }
  });

  it("has a critical path through the EKS cluster and its nodes, far shorter than deploying serially", async () => {
    const plan = schedule(await recordOf("production"));
    const types = plan.criticalPath.map((urn) => urn.split("::")[2].split("$").pop());
    assert.ok(types.includes("aws:eks/cluster:Cluster") && types.includes("aws:eks/nodeGroup:NodeGroup"));
    assert.ok(
      plan.criticalMinutes >= 20 && plan.criticalMinutes < plan.serialMinutes / 2,
      JSON.stringify(plan.criticalMinutes),
    );
  });

  it("draws the components and add-ons by default: at most 60 nodes with their waves, the critical path in red", async () => {
    const record = await recordOf("production");
    const plan = schedule(record);
    const dot = toComponentDot(record, plan);
    const nodes = dot.match(/^ {2}c\d+ \[label=/gm) ?? [];
    assert.ok(nodes.length > 10 && nodes.length <= 60, `${nodes.length} nodes`);
    assert.match(dot, /label="network\\nslipway:aws:Network\\nwaves? [\d-]+", color=red/);
    assert.match(dot, /label="cluster\\nslipway:aws:Cluster\\nwaves \d+-\d+", color=red/);
    assert.match(dot, /c\d+ -> c\d+ \[color=red, penwidth=2\];/);
    assert.doesNotMatch(dot, /pulumi:providers/);
    // No rank the edges contradict: Graphviz ranks by the "waits for" edges alone.
    assert.doesNotMatch(dot, /rank=same/);
  });

  it("marks what a --base change does to each component, and says what the marks mean", async () => {
    const before = await recordOf("production");
    const after = structuredClone(before);
    const rds = after.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
    const step = (op: "create" | "update" | "replace" | "delete", urn: string) => ({ op, urn, type: "t" });
    const network = after.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
    const dot = toComponentDot(after, schedule(after), [
      step("update", network.urn),
      step("replace", rds.urn),
      step("delete", rds.urn.replace("database-instance", "database-old-replica")),
    ]);
    assert.match(
      dot,
      /label="\+- database\\nslipway:aws:Database[^"]*"[^\]]*fillcolor="#f8d7da"/,
      "the strongest change wins",
    );
    assert.match(dot, /label="~ network\\nslipway:aws:Network[^"]*"[^\]]*fillcolor="#fff3cd"/);
    assert.match(dot, /label="\+ create {3}~ update {3}\+- replace {3}- delete/);
    assert.doesNotMatch(toComponentDot(after, schedule(after)), /fillcolor|\+ create/, "no marks without --base");
  });

  it("leaves provider edges out of the full graph unless asked", async () => {
    const record = await recordOf("production");
    const count = (dot: string) => (dot.match(/ -> /g) ?? []).length;
    const providers = record.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length;
    assert.ok(providers > 0);
    const managed = record.resources.filter((r) => r.custom && r.provider).length;
    assert.ok(count(toDot(record, true)) - count(toDot(record)) >= managed / 2, "provider edges are the difference");
  });

  it("colours only a terminal, and never with NO_COLOR set", async () => {
    const saved = process.env.NO_COLOR;
    try {
      // (util.styleText itself also checks the stream, so the styles are compared, not their output.)
      delete process.env.NO_COLOR;
      assert.notEqual(styleFor({ isTTY: true }), PLAIN);
      assert.equal(styleFor({ isTTY: false }), PLAIN);
      process.env.NO_COLOR = "1";
      assert.equal(styleFor({ isTTY: true }), PLAIN);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it("draws the graph as DOT with one cluster per component", async () => {
    const dot = toDot(await recordOf("staging"));
    assert.match(dot, /^digraph slipway \{\n/);
    assert.match(dot, /subgraph cluster_\d+ \{\n {4}label="database";/);
    assert.match(dot, /r\d+ -> r\d+;/);
    assert.match(dot, /\}$/);
  });
});

describe("diffs keyed by identity", () => {
  const deployment = (env: Array<{ name: string; value: string }>) => ({
    spec: { template: { spec: { containers: [{ name: "api", image: "api@sha256:1", env }] } } },
  });
  it("shows one env var added at the front as one added entry, not every later one changed", async () => {
    const before = flatten(
      deployment([
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ]),
    );
    const after = flatten(
      deployment([
        { name: "Z", value: "0" },
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ]),
    );
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (k) => JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)),
    );
    assert.deepEqual(changed.sort(), [
      "spec.template.spec.containers[name=api].env[name=Z].name",
      "spec.template.spec.containers[name=api].env[name=Z].value",
    ]);
  });
  it("keeps lists without unique names, such as subnet IDs, by position", async () => {
    assert.deepEqual([...flatten({ subnetIds: ["a", "b"] }).keys()], ["subnetIds[0]", "subnetIds[1]"]);
    assert.deepEqual(
      [...flatten({ rules: [{ name: "x" }, { name: "x" }] }).keys()],
      ["rules[0].name", "rules[1].name"],
    );
  });
});
