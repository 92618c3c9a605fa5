import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { CHART_CONTRACTS_FILE, chartContracts } from "../../infra/chart-contracts";
import { estimateCost } from "../../ops/cost/estimate";
import type { CostEstimate } from "../../ops/cost/model";
import { loadPrices, PriceTableError, PRICES_DIR } from "../../ops/cost/prices";
import { costChange, costDelta, describeChange, renderCost, renderCostDelta } from "../../ops/cost/render";
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { EncryptedValue } from "../../infra/stack-file";
import { goldenRecordOf, recordOf, stackFileConfig, STACKS, type StackName, temporaryFolder } from "../helpers";

const prices = loadPrices("us-east-1");
const DAY = "2026-11-22";
const hours = prices.hoursPerMonth;
const cents = (amount: number) => Math.round(amount * 100) / 100;

function lineOf(estimate: CostEstimate, resource: string, item: string) {
  const found = estimate.lines.filter((l) => l.resource === resource && l.item === item);
  assert.equal(found.length, 1, `one ${item} line for ${resource}, found ${found.length}`);
  return found[0];
}

const PRICED_TYPES: Record<string, string> = {
  "cluster-eks": "aws:eks/cluster:Cluster",
  "cluster-workload": "aws:eks/nodeGroup:NodeGroup",
  "database-instance": "aws:rds/instance:Instance",
  "cache-redis": "aws:elasticache/replicationGroup:ReplicationGroup",
  "platform-grafana-stack-release": "kubernetes:helm.sh/v3:Release",
};

/** A copy of a record with one priced resource's inputs changed. */
function withInputs(record: ProgramRecord, name: string, change: (inputs: Record<string, unknown>) => void) {
  const copy = structuredClone(record);
  change(copy.resources.find((r) => r.name === name && r.type === PRICED_TYPES[name])!.inputs);
  return copy;
}

describe("the monthly estimate, figures worked out by hand from the price table", () => {
  it("production: every line and the total", async () => {
    const estimate = estimateCost(await recordOf("production"), prices, { asOf: DAY });
    const { ec2, rds, elasticache, ebs, vpc, elb, eks, kms } = prices;
    // Pulumi.production.yaml: Kubernetes 1.33 (standard support ended 2026-07-29), system 2 × m6i.large
    // with 50 GiB disks, workload 3 × m6i.2xlarge with 100 GiB, db.r6g.xlarge Multi-AZ with 100 GiB gp3,
    // 2 × cache.r6g.large, a NAT and an address in each of 3 zones, 3 KMS keys, an NLB in 3 public
    // subnets, Prometheus and Alertmanager 2 replicas each (100 and 10 GiB), Grafana 20 GiB.
    const expected: Array<[string, string, number]> = [
      ["cluster-eks", "control plane", eks.clusterHour.extended * hours],
      ["cluster-system", "nodes", 2 * ec2.instanceHour["m6i.large"] * hours],
      ["cluster-system", "node disks", 2 * 50 * ebs.gibMonth.gp3],
      ["cluster-workload", "nodes", 3 * ec2.instanceHour["m6i.2xlarge"] * hours],
      ["cluster-workload", "node disks", 3 * 100 * ebs.gibMonth.gp3],
      ["database-instance", "instance", 2 * rds.postgresInstanceHour["db.r6g.xlarge"] * hours],
      ["database-instance", "storage", 2 * 100 * rds.storageGibMonth.gp3],
      ["cache-redis", "nodes", 2 * elasticache.nodeHour["cache.r6g.large"] * hours],
      ...["a", "b", "c"].flatMap((zone): Array<[string, string, number]> => [
        [`network-nat-us-east-1${zone}`, "NAT gateway", vpc.natGatewayHour * hours],
        [`network-nat-us-east-1${zone}`, "public IPv4 address", vpc.publicIpv4Hour * hours],
      ]),
      ["cluster-secrets", "KMS key", kms.keyMonth],
      ["database-key", "KMS key", kms.keyMonth],
      ["cache-key", "KMS key", kms.keyMonth],
      ["platform-ingress-controllers-release", "Traefik load balancer", elb.networkHour * hours],
      ["platform-ingress-controllers-release", "Traefik load balancer addresses", 3 * vpc.publicIpv4Hour * hours],
      ["platform-cluster-monitoring-release", "Prometheus volume", 2 * 100 * ebs.gibMonth.gp3],
      ["platform-cluster-monitoring-release", "Alertmanager volume", 2 * 10 * ebs.gibMonth.gp3],
      ["platform-grafana-stack-release", "Grafana volume", 20 * ebs.gibMonth.gp3],
    ];
    for (const [resource, item, monthly] of expected) {
      assert.equal(cents(lineOf(estimate, resource, item).monthly), cents(monthly), `${resource} ${item}`);
    }
    assert.equal(estimate.lines.length, expected.length, "no line beyond those worked out");
    assert.equal(cents(estimate.monthly), cents(expected.reduce((sum, [, , m]) => sum + m, 0)));
    assert.equal(cents(estimate.monthly), 2589.5);
    assert.deepEqual(estimate.unpriced, []);
  });

  it("production: the range runs from the minimum to the maximum nodes and the storage ceiling", async () => {
    const estimate = estimateCost(await recordOf("production"), prices, { asOf: DAY });
    const node = (type: string) => prices.ec2.instanceHour[type] * hours;
    const growth =
      (3 - 2) * (node("m6i.large") + 50 * prices.ebs.gibMonth.gp3) +
      (6 - 3) * (node("m6i.2xlarge") + 100 * prices.ebs.gibMonth.gp3) +
      2 * (1000 - 100) * prices.rds.storageGibMonth.gp3;
    assert.equal(cents(estimate.range.min), cents(estimate.monthly), "production runs at its minimum sizes");
    assert.equal(cents(estimate.range.max), cents(estimate.monthly + growth));
  });

  it("staging: one NAT, single-AZ data stores, single replicas", async () => {
    const estimate = estimateCost(await recordOf("staging"), prices, { asOf: DAY });
    const { ec2, rds, elasticache, ebs, vpc, elb, eks, kms } = prices;
    const expected =
      eks.clusterHour.extended * hours +
      1 * (ec2.instanceHour["t3.large"] * hours + 50 * ebs.gibMonth.gp3) +
      2 * (ec2.instanceHour["m6i.xlarge"] * hours + 50 * ebs.gibMonth.gp3) +
      rds.postgresInstanceHour["db.t4g.medium"] * hours +
      20 * rds.storageGibMonth.gp3 +
      elasticache.nodeHour["cache.t4g.small"] * hours +
      (vpc.natGatewayHour + vpc.publicIpv4Hour) * hours +
      3 * kms.keyMonth +
      (elb.networkHour + 3 * vpc.publicIpv4Hour) * hours +
      // Prometheus 20 GiB, Alertmanager 10 GiB, Grafana 5 GiB, one replica each.
      (20 + 10 + 5) * ebs.gibMonth.gp3;
    assert.equal(lineOf(estimate, "database-instance", "instance").spec, "db.t4g.medium");
    assert.equal(lineOf(estimate, "platform-cluster-monitoring-release", "Prometheus volume").spec, "1 × 20 GiB gp3");
    assert.equal(cents(estimate.monthly), cents(expected));
    assert.deepEqual(estimate.unpriced, []);
  });

  it("is the same in a preview, where IDs are unknown (the node disks are found by dependency, not ID)", async () => {
    for (const stack of STACKS) {
      const known = estimateCost(await goldenRecordOf(stack), prices, { asOf: DAY });
      const preview = estimateCost(await goldenRecordOf(stack, true), prices, { asOf: DAY });
      assert.deepEqual(preview.lines, known.lines, stack);
      assert.deepEqual(preview.unpriced, [], stack);
    }
  });
});

describe("EKS support pricing", () => {
  it("bills standard support before the end date and extended after, with a notice", async () => {
    const record = await recordOf("production");
    const before = estimateCost(record, prices, { asOf: "2026-07-29" });
    const after = estimateCost(record, prices, { asOf: "2026-07-30" });
    assert.equal(lineOf(before, "cluster-eks", "control plane").monthly, prices.eks.clusterHour.standard * hours);
    assert.equal(lineOf(after, "cluster-eks", "control plane").monthly, prices.eks.clusterHour.extended * hours);
    assert.deepEqual(before.notices, []);
    assert.match(after.notices.join("\n"), /Kubernetes 1\.33 left EKS standard support on 2026-07-29/);
  });

  it("bills standard support after the end date when the upgrade policy is STANDARD", async () => {
    const record = withInputs(await recordOf("production"), "cluster-eks", (inputs) => {
      inputs.upgradePolicy = { supportType: "STANDARD" };
    });
    const estimate = estimateCost(record, prices, { asOf: DAY });
    assert.equal(lineOf(estimate, "cluster-eks", "control plane").monthly, prices.eks.clusterHour.standard * hours);
  });

  it("names a version missing from the calendar instead of guessing", async () => {
    const record = withInputs(await recordOf("production"), "cluster-eks", (inputs) => (inputs.version = "1.99"));
    const estimate = estimateCost(record, prices, { asOf: DAY });
    assert.deepEqual(estimate.unpriced, [
      { resource: "cluster-eks", reason: "Kubernetes 1.99 is not in the EKS support calendar" },
    ]);
  });
});

describe("what cannot be priced is said, never counted as zero", () => {
  const cases: Array<[string, string, (inputs: Record<string, unknown>) => void, string]> = [
    ["cluster-workload", "EC2", (i) => (i.instanceTypes = ["m9z.large"]), "no price for EC2 m9z.large in us-east-1"],
    ["database-instance", "RDS", (i) => (i.instanceClass = "db.x9.huge"), "no price for RDS postgres db.x9.huge"],
    [
      "cache-redis",
      "ElastiCache",
      (i) => (i.nodeType = "cache.x9.huge"),
      "no price for ElastiCache cache.x9.huge in us-east-1",
    ],
    [
      "platform-grafana-stack-release",
      "a chart",
      (i) => (i.chart = "unheard-of"),
      "chart unheard-of: no contract in channels/contracts/charts.yaml says what it bills",
    ],
  ];
  for (const [name, what, change, reason] of cases) {
    it(`an unknown ${what} type`, async () => {
      const record = await recordOf("production");
      const estimate = estimateCost(withInputs(record, name, change), prices, { asOf: DAY });
      assert.equal(estimate.unpriced.length, 1);
      assert.equal(estimate.unpriced[0].resource, name);
      assert.ok(estimate.unpriced[0].reason.startsWith(reason), estimate.unpriced[0].reason);
      assert.ok(estimate.monthly < estimateCost(record, prices, { asOf: DAY }).monthly, "the total drops, and says so");
      assert.match(renderCost(estimate), /Not priced \(the total is a floor\):\n {2}\S+: /);
    });
  }

  it("an AWS type that is neither priced nor listed as free", async () => {
    const record = structuredClone(await recordOf("production"));
    const vpc = record.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
    record.resources.push({
      ...vpc,
      name: "firewall",
      type: "aws:networkfirewall/firewall:Firewall",
    } as RecordedResource);
    const estimate = estimateCost(record, prices, { asOf: DAY });
    assert.deepEqual(estimate.unpriced, [
      {
        resource: "firewall",
        reason: "type aws:networkfirewall/firewall:Firewall has no pricer and is not listed as free in ops/cost",
      },
    ]);
  });

  it("every type the program can declare (every add-on on) is priced or listed as free", async () => {
    for (const stack of STACKS) {
      const config = stackFileConfig(stack);
      (config["slipway:platform"] as Record<string, unknown>).disabledCharts = [];
      config["slipway:githubAppPrivateKey"] = new EncryptedValue("AAABAK+fixture");
      const record = await runProgram({ stack, config });
      assert.deepEqual(estimateCost(record, prices, { asOf: DAY }).unpriced, [], stack);
    }
  });

  it("a chart contract that does not say what its chart bills is refused, naming the key", () => {
    const dir = temporaryFolder("contracts-");
    const file = path.join(dir, "charts.yaml");
    const text = fs.readFileSync(CHART_CONTRACTS_FILE, "utf8");
    fs.writeFileSync(file, text.replace(/\n {4}# values\.yaml: service\.type ClusterIP\.\n {4}billable: \{\}\n/, "\n"));
    assert.throws(() => chartContracts(file), /charts\.example-services\.billable: /);
  });
});

describe("the price table", () => {
  it("holds a price for every instance type, class and node type a committed stack file uses", () => {
    for (const stack of STACKS as readonly StackName[]) {
      const config = stackFileConfig(stack) as Record<string, Record<string, unknown>>;
      const groups = (config["slipway:cluster"].nodeGroups ?? {}) as Record<string, { instanceTypes: string[] }>;
      for (const group of Object.values(groups)) {
        for (const type of group.instanceTypes)
          assert.ok(prices.ec2.instanceHour[type] !== undefined, `${stack}: ${type}`);
      }
      const instanceClass = String(config["slipway:database"].instanceClass);
      assert.ok(prices.rds.postgresInstanceHour[instanceClass] !== undefined, `${stack}: ${instanceClass}`);
      const nodeType = String(config["slipway:cache"].nodeType);
      assert.ok(prices.elasticache.nodeHour[nodeType] !== undefined, `${stack}: ${nodeType}`);
    }
  });

  it("refuses a malformed table with the file and each bad key", () => {
    const dir = temporaryFolder("prices-");
    const text = fs.readFileSync(path.join(PRICES_DIR, "us-east-1.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "us-east-1.yaml"),
      text.replace("m6i.large: 0.096", "m6i.large: -0.096").replace("checked: 2026-11-22", "checked: last week"),
    );
    assert.throws(
      () => loadPrices("us-east-1", dir),
      (error: Error) =>
        error instanceof PriceTableError &&
        /us-east-1\.yaml: ec2\.instanceHour\.m6i\.large: /.test(error.message) &&
        /us-east-1\.yaml: checked: must be a date like 2026-07-29/.test(error.message),
    );
  });

  it("names the regions it has when asked for another", () => {
    assert.throws(
      () => loadPrices("eu-west-1"),
      /^Error: no price table for region eu-west-1 \(.*\); priced regions: us-east-1$/,
    );
  });
});

describe("what a change costs", () => {
  it("prices a larger database class as its difference, with the classes named", async () => {
    const record = await recordOf("production");
    const bigger = withInputs(record, "database-instance", (i) => (i.instanceClass = "db.r6g.2xlarge"));
    const delta = costDelta(estimateCost(record, prices, { asOf: DAY }), estimateCost(bigger, prices, { asOf: DAY }));
    const rate = prices.rds.postgresInstanceHour;
    const expected = 2 * (rate["db.r6g.2xlarge"] - rate["db.r6g.xlarge"]) * hours;
    assert.equal(delta.changes.length, 1);
    assert.equal(cents(delta.changes[0].monthly), cents(expected));
    assert.equal(
      describeChange(delta.changes[0], "production"),
      `+$${cents(expected).toFixed(2)}/month: production database-instance instance, db.r6g.xlarge Multi-AZ -> db.r6g.2xlarge Multi-AZ`,
    );
    assert.equal(cents(delta.after - delta.before), cents(expected));
  });

  it("lists what a removal saves and an addition costs", async () => {
    const record = await recordOf("production");
    const smaller = { ...record, resources: record.resources.filter((r) => r.name !== "network-nat-us-east-1c") };
    const delta = costDelta(estimateCost(record, prices, { asOf: DAY }), estimateCost(smaller, prices, { asOf: DAY }));
    assert.deepEqual(
      delta.changes.map((c) => describeChange(c, "production")),
      [
        `-$32.85/month: production network-nat-us-east-1c NAT gateway, removed: per hour`,
        `-$3.65/month: production network-nat-us-east-1c public IPv4 address, removed: per hour`,
      ],
    );
    const back = costDelta(estimateCost(smaller, prices, { asOf: DAY }), estimateCost(record, prices, { asOf: DAY }));
    assert.match(describeChange(back.changes[0], "production"), /^\+\$32\.85\/month: .* NAT gateway, new: per hour$/);
  });

  it("renders a stack with nothing priced without failing", async () => {
    const record = await recordOf("staging");
    const bare = { ...record, resources: record.resources.filter((r) => !r.custom) };
    const text = renderCost(estimateCost(bare, prices, { asOf: DAY }));
    assert.match(text, /\nTotal: \$0\.00\/month\n\nBy component:\n {2}\(none\)\n\nBy resource:\n {2}\(none\)$/);
  });

  // A class the price table lacks leaves the estimate: an unknown cost, never a saving.
  const unknownTypes: Array<[string, string, (inputs: Record<string, unknown>) => void]> = [
    ["database-instance", "instance", (i) => (i.instanceClass = "db.r6g.mega")],
    ["cluster-workload", "nodes", (i) => (i.instanceTypes = ["m6i.mega"])],
    ["cache-redis", "nodes", (i) => (i.nodeType = "cache.r6g.mega")],
  ];
  for (const [name, item, change] of unknownTypes) {
    it(`a ${name} type without a price is an unknown change, not a saving`, async () => {
      const record = await recordOf("production");
      const before = estimateCost(record, prices, { asOf: DAY });
      const delta = costDelta(before, estimateCost(withInputs(record, name, change), prices, { asOf: DAY }));
      // Every line the resource had (the instance and, priced after it, its storage or disks) goes unknown.
      assert.ok(delta.changes.length > 0);
      assert.ok(
        delta.changes.every((c) => c.unpriced !== undefined && c.monthly === 0),
        "no change is priced as a saving",
      );
      const line = delta.changes.find((c) => c.before?.item === item)!;
      assert.match(
        describeChange(line, "production"),
        new RegExp(
          `^\\?/month: production ${name} ${item}, .* -> not priced \\(no price for .*mega.*\\): unknown, not a saving$`,
        ),
      );
      const text = renderCostDelta(delta, "production", "origin/main");
      assert.match(
        text,
        /^Monthly cost against origin\/main: \$[\d,.]+ -> at least \$[\d,.]+, change unknown: \d+ items? (is|are) no longer priced\n/,
      );
      assert.doesNotMatch(text, /^Monthly cost .*-\$/);
      assert.equal(costChange(delta), text.split("\n")[0].split(", ").pop());
    });
  }

  it("finds no change between identical runs", async () => {
    const estimate = estimateCost(await recordOf("staging"), prices, { asOf: DAY });
    assert.deepEqual(costDelta(estimate, estimate).changes, []);
  });
});
