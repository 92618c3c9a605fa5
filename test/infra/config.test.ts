import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { decodeConfigValue, parseStackConfig, StackConfigError, type StackConfig } from "../../infra/config";
import { ProgramError, runProgram } from "../../harness/run";
import { EncryptedValue, readStackFile, StackFileError } from "../../infra/stack-file";
import type { RawStackConfig } from "../../infra/stack-file";
import { STACKS, stackFileConfig, temporaryFolder } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

const context = { project: "slipway", stack: "production", stackFile: "Pulumi.production.yaml" };

/** Production's real config with one change applied. */
function withChange(change: (config: Record<string, any>) => void): RawStackConfig {
  const config = stackFileConfig("production");
  change(config);
  return config;
}

function problemsOf(raw: RawStackConfig): string[] {
  try {
    parseStackConfig(raw, context);
  } catch (error) {
    assert.ok(error instanceof StackConfigError, `expected a StackConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("the config was accepted");
}

describe("the real stack files", () => {
  for (const stack of STACKS) {
    it(`Pulumi.${stack}.yaml validates`, () => {
      const config: StackConfig = parseStackConfig(stackFileConfig(stack), {
        project: "slipway",
        stack,
        stackFile: `Pulumi.${stack}.yaml`,
      });
      assert.equal(config.cluster.name, `slipway-${stack}`);
      assert.equal(config.network.privateSubnetCidrs.length, config.network.availabilityZones.length);
    });
  }
});

describe("defaults live in the schema", () => {
  it("fills the documented defaults for omitted optional keys", () => {
    const config = parseStackConfig(
      withChange((c) => {
        delete c["slipway:network"].natGateways;
        delete c["slipway:network"].flowLogs;
        delete c["slipway:cluster"].protect;
        delete c["slipway:cluster"].logTypes;
        delete c["slipway:cluster"].nodeGroups.workload.diskSizeGiB;
      }),
      context,
    );
    assert.equal(config.network.natGateways, "perAz");
    assert.deepEqual(config.network.flowLogs, { retentionDays: 90, trafficType: "ALL" });
    assert.equal(config.cluster.protect, true);
    assert.deepEqual(config.cluster.logTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    assert.equal(config.cluster.nodeGroups.workload.diskSizeGiB, 50);
  });
});

/** [what is wrong, the change, the key path the message must name, a fragment of what it must say]. */
const badConfigs: Array<[string, (c: Record<string, any>) => void, string, RegExp]> = [
  [
    "VPC CIDR of the wrong type",
    (c) => (c["slipway:network"].vpcCidr = 10),
    "slipway:network.vpcCidr",
    /expected string/,
  ],
  [
    "malformed VPC CIDR",
    (c) => (c["slipway:network"].vpcCidr = "10.0.0.300/16"),
    "slipway:network.vpcCidr",
    /"10\.0\.0\.300\/16" must be an IPv4 CIDR/,
  ],
  [
    "VPC CIDR with host bits",
    (c) => (c["slipway:network"].vpcCidr = "10.30.0.1/16"),
    "slipway:network.vpcCidr",
    /no host bits/,
  ],
  [
    "VPC larger than AWS allows",
    (c) => (c["slipway:network"].vpcCidr = "10.0.0.0/8"),
    "slipway:network.vpcCidr",
    /between \/16 and \/24/,
  ],
  [
    "VPC too small for its subnets",
    (c) =>
      Object.assign(c["slipway:network"], {
        vpcCidr: "10.0.0.0/24",
        privateSubnetPrefixLength: 25,
        publicSubnetPrefixLength: 28,
      }),
    "slipway:network.vpcCidr",
    /private subnet prefix \/25 must be longer than half the VPC \(\/25\)/,
  ],
  [
    "subnets too large for the zone letters' slots",
    (c) => Object.assign(c["slipway:network"], { privateSubnetPrefixLength: 18 }),
    "slipway:network.vpcCidr",
    /us-east-1c's private subnet \(slot 2, \/18\) does not fit in its half of 10\.30\.0\.0\/16: each half holds 2 \/18 subnets/,
  ],
  [
    "subnets smaller than AWS allows",
    (c) => Object.assign(c["slipway:network"], { vpcCidr: "10.0.0.0/24", publicSubnetPrefixLength: 29 }),
    "slipway:network.publicSubnetPrefixLength",
    /29/,
  ],
  [
    "unknown key in network (typo)",
    (c) => (c["slipway:network"].natGateway = "single"),
    "slipway:network",
    /unknown key "natGateway"; allowed keys: vpcCidr/,
  ],
  ["unknown slipway key", (c) => (c["slipway:clutser"] = {}), "config", /unknown key "slipway:clutser"/],
  [
    "unknown NAT mode",
    (c) => (c["slipway:network"].natGateways = "two"),
    "slipway:network.natGateways",
    /"two" must be one of "single", "perAz"/,
  ],
  [
    "AZ of another region",
    (c) => (c["slipway:network"].availabilityZones[0] = "us-west-2a"),
    "slipway:network.availabilityZones[0]",
    /not an availability zone of aws:region us-east-1/,
  ],
  [
    "malformed AZ",
    (c) => (c["slipway:network"].availabilityZones[1] = "east"),
    "slipway:network.availabilityZones[1]",
    /availability zone name like us-east-1a/,
  ],
  [
    "repeated AZ",
    (c) => (c["slipway:network"].availabilityZones = ["us-east-1a", "us-east-1a"]),
    "slipway:network.availabilityZones",
    /must not repeat/,
  ],
  [
    "a single AZ",
    (c) => (c["slipway:network"].availabilityZones = ["us-east-1a"]),
    "slipway:network.availabilityZones",
    /at least 2/,
  ],
  [
    "overlapping subnet CIDRs",
    (c) =>
      (c["slipway:network"].subnetCidrs = {
        private: ["10.30.0.0/19", "10.30.16.0/20", "10.30.64.0/19"],
        public: ["10.30.96.0/24", "10.30.97.0/24", "10.30.98.0/24"],
      }),
    "slipway:network.subnetCidrs.private[1]",
    /^slipway:network\.subnetCidrs\.private\[1\]: "10\.30\.16\.0\/20" overlaps 10\.30\.0\.0\/19$/,
  ],
  [
    "subnet outside the VPC",
    (c) =>
      (c["slipway:network"].subnetCidrs = {
        private: ["10.30.0.0/19", "10.30.32.0/19", "10.31.0.0/19"],
        public: ["10.30.96.0/24", "10.30.97.0/24", "10.30.98.0/24"],
      }),
    "slipway:network.subnetCidrs.private[2]",
    /^slipway:network\.subnetCidrs\.private\[2\]: "10\.31\.0\.0\/19" is outside the VPC 10\.30\.0\.0\/16$/,
  ],
  [
    "fewer subnets than AZs",
    (c) =>
      (c["slipway:network"].subnetCidrs = {
        private: ["10.30.0.0/19"],
        public: ["10.30.96.0/24", "10.30.97.0/24", "10.30.98.0/24"],
      }),
    "slipway:network.subnetCidrs.private",
    /one CIDR per availability zone \(3\), got 1/,
  ],
  [
    "flow-log retention CloudWatch refuses",
    (c) => (c["slipway:network"].flowLogs.retentionDays = 42),
    "slipway:network.flowLogs.retentionDays",
    /42 must be one of the retention periods/,
  ],
  [
    "unsupported Kubernetes version",
    (c) => (c["slipway:cluster"].kubernetesVersion = "1.20"),
    "slipway:cluster.kubernetesVersion",
    /"1\.20" must be one of "1\.31"/,
  ],
  [
    "Kubernetes version as a number",
    (c) => (c["slipway:cluster"].kubernetesVersion = 1.33),
    "slipway:cluster.kubernetesVersion",
    /^slipway:cluster\.kubernetesVersion: 1\.33 is a number, but this key takes text \(expected one of "1\.31"\|"1\.32"\|"1\.33"\|"1\.34"\): YAML reads an unquoted value as a number, and 1\.30 becomes 1\.3; write it in quotes as you meant it, like kubernetesVersion: "1\.30"$/,
  ],
  [
    "Kubernetes 1.30 unquoted, which YAML reads as 1.3",
    (c) => (c["slipway:cluster"].kubernetesVersion = 1.3),
    "slipway:cluster.kubernetesVersion",
    /^slipway:cluster\.kubernetesVersion: 1\.3 is a number, but this key takes text .*write it in quotes/,
  ],
  [
    "a PostgreSQL version unquoted",
    (c) => (c["slipway:database"].engineVersion = 15),
    "slipway:database.engineVersion",
    /^slipway:database\.engineVersion: 15 is a number, but this key takes text \(expected string\)/,
  ],
  [
    "a mistyped channel: one problem, with a did-you-mean",
    (c) => (c["slipway:channel"] = "stabel"),
    "slipway:channel",
    /^slipway:channel: unknown channel "stabel"; did you mean stable\? channels: airgap, edge, stable$/,
  ],
  [
    "public endpoint open to the internet",
    (c) => (c["slipway:cluster"].endpointPublicAccessCidrs = ["0.0.0.0/0"]),
    "slipway:cluster.endpointPublicAccessCidrs[0]",
    /whole internet/,
  ],
  [
    "malformed endpoint CIDR",
    (c) => (c["slipway:cluster"].endpointPublicAccessCidrs = ["198.51.100.0"]),
    "slipway:cluster.endpointPublicAccessCidrs[0]",
    /IPv4 CIDR/,
  ],
  [
    "missing admin roles",
    (c) => delete c["slipway:cluster"].adminRoleArns,
    "slipway:cluster.adminRoleArns",
    /is required but missing \(expected array\)/,
  ],
  [
    "empty admin roles",
    (c) => (c["slipway:cluster"].adminRoleArns = []),
    "slipway:cluster.adminRoleArns",
    /nobody can reach the cluster/,
  ],
  [
    "admin role that is not a role ARN",
    (c) => (c["slipway:cluster"].adminRoleArns = ["arn:aws:iam::123:user/bob"]),
    "slipway:cluster.adminRoleArns[0]",
    /IAM role ARN/,
  ],
  [
    "control-plane logs without audit",
    (c) => (c["slipway:cluster"].logTypes = ["api", "authenticator"]),
    "slipway:cluster.logTypes",
    /at least api, audit and authenticator/,
  ],
  [
    "unknown log type",
    (c) => (c["slipway:cluster"].logTypes = ["api", "audit", "authenticator", "kubelet"]),
    "slipway:cluster.logTypes[3]",
    /"kubelet" must be one of "api", "audit"/,
  ],
  ["IMDS hop limit 3", (c) => (c["slipway:cluster"].imdsHopLimit = 3), "slipway:cluster.imdsHopLimit", /3 /],
  [
    "floating add-on version",
    (c) => (c["slipway:cluster"].addons.coredns = "latest"),
    "slipway:cluster.addons.coredns",
    /pinned EKS add-on version/,
  ],
  [
    "missing add-on",
    (c) => delete c["slipway:cluster"].addons.vpcCni,
    "slipway:cluster.addons.vpcCni",
    /is required but missing/,
  ],
  [
    "no system node group",
    (c) => delete c["slipway:cluster"].nodeGroups.system,
    "slipway:cluster.nodeGroups",
    /must define a `system` node group/,
  ],
  [
    "desired outside min..max",
    (c) => (c["slipway:cluster"].nodeGroups.workload.desiredSize = 9),
    "slipway:cluster.nodeGroups.workload.desiredSize",
    /desiredSize 9 is outside minSize\.\.maxSize \(3\.\.6\)/,
  ],
  [
    "min above max",
    (c) => (c["slipway:cluster"].nodeGroups.system.minSize = 5),
    "slipway:cluster.nodeGroups.system.minSize",
    /minSize 5 is above maxSize 3/,
  ],
  [
    "size of the wrong type",
    (c) => (c["slipway:cluster"].nodeGroups.system.maxSize = "3"),
    "slipway:cluster.nodeGroups.system.maxSize",
    /"3" expected number, received string/,
  ],
  [
    "no instance types",
    (c) => (c["slipway:cluster"].nodeGroups.workload.instanceTypes = []),
    "slipway:cluster.nodeGroups.workload.instanceTypes",
    /at least one instance type/,
  ],
  [
    "bad taint effect",
    (c) => (c["slipway:cluster"].nodeGroups.system.taints[0].effect = "NoSchedule"),
    "slipway:cluster.nodeGroups.system.taints[0].effect",
    /"NoSchedule" must be one of "NO_SCHEDULE"/,
  ],
  [
    "node group name not DNS-safe",
    (c) => (c["slipway:cluster"].nodeGroups.GPU_Nodes = c["slipway:cluster"].nodeGroups.workload),
    "slipway:cluster.nodeGroups.GPU_Nodes",
    /DNS-1123 label/,
  ],
  // Data stores.
  [
    "database engine version in an unknown format",
    (c) => (c["slipway:database"].engineVersion = "15.x"),
    "slipway:database.engineVersion",
    /"15\.x" must be a PostgreSQL major version 13\.\.17/,
  ],
  [
    "database engine version as a number",
    (c) => (c["slipway:database"].engineVersion = 15),
    "slipway:database.engineVersion",
    /expected string/,
  ],
  [
    "database engine from the past",
    (c) => (c["slipway:database"].engineVersion = "9.6"),
    "slipway:database.engineVersion",
    /major version 13\.\.17/,
  ],
  [
    "max storage below allocated",
    (c) => (c["slipway:database"].maxAllocatedStorageGiB = 50),
    "slipway:database.maxAllocatedStorageGiB",
    /50 is below allocatedStorageGiB 100; storage can only grow/,
  ],
  [
    "storage below gp3's minimum",
    (c) => (c["slipway:database"].allocatedStorageGiB = 10),
    "slipway:database.allocatedStorageGiB",
    /starts at 20 GiB/,
  ],
  [
    "backups turned off",
    (c) => (c["slipway:database"].backupRetentionDays = 0),
    "slipway:database.backupRetentionDays",
    /0 turns automated backups off/,
  ],
  [
    "backup retention beyond 35 days",
    (c) => (c["slipway:database"].backupRetentionDays = 40),
    "slipway:database.backupRetentionDays",
    /at most 35 days/,
  ],
  [
    "malformed backup window",
    (c) => (c["slipway:database"].backupWindow = "3-4"),
    "slipway:database.backupWindow",
    /UTC window like 03:00-04:00/,
  ],
  [
    "malformed maintenance window",
    (c) => (c["slipway:database"].maintenanceWindow = "sunday 4am"),
    "slipway:database.maintenanceWindow",
    /sun:04:00-sun:05:00/,
  ],
  [
    "instance class without db. prefix",
    (c) => (c["slipway:database"].instanceClass = "r6g.xlarge"),
    "slipway:database.instanceClass",
    /^slipway:database\.instanceClass: "r6g\.xlarge" is not an RDS for PostgreSQL instance class in Slipway's catalogue; did you mean db\.r6g\.xlarge\?/,
  ],
  [
    "reserved master user name",
    (c) => (c["slipway:database"].masterUsername = "postgres"),
    "slipway:database.masterUsername",
    /reserved by RDS/,
  ],
  [
    "unknown password source",
    (c) => (c["slipway:database"].masterCredentials = "plaintext"),
    "slipway:database.masterCredentials",
    /"random", "secretsManager"/,
  ],
  [
    "tuning size without a unit",
    (c) => (c["slipway:database"].tuning.shared_buffers = 256),
    "slipway:database.tuning.shared_buffers",
    /takes a size with a unit, like 64MB/,
  ],
  [
    "tuning size not in whole pages",
    (c) => (c["slipway:database"].tuning.wal_buffers = "12kB"),
    "slipway:database.tuning.wal_buffers",
    /not a whole number of 8kB units/,
  ],
  [
    "tuning key spelt the Terraform way",
    (c) => (c["slipway:database"].tuning.sharedBuffers = "256MB"),
    "slipway:database.tuning",
    /unknown key "sharedBuffers"; allowed keys: shared_buffers/,
  ],
  [
    "Performance Insights retention AWS refuses",
    (c) => (c["slipway:database"].performanceInsightsRetentionDays = 30),
    "slipway:database.performanceInsightsRetentionDays",
    /multiple of 31/,
  ],
  [
    "no database section",
    (c) => delete c["slipway:database"],
    "slipway:database",
    /is required but missing \(expected object\)/,
  ],
  [
    "Multi-AZ cache with a single node",
    (c) => (c["slipway:cache"].numCacheClusters = 1),
    "slipway:cache.numCacheClusters",
    /1 cannot fail over: multiAz needs 2 or more/,
  ],
  [
    "more cache nodes than a group holds",
    (c) => (c["slipway:cache"].numCacheClusters = 7),
    "slipway:cache.numCacheClusters",
    /7 must be at most 6/,
  ],
  [
    "Redis 6",
    (c) => (c["slipway:cache"].engineVersion = "6.2"),
    "slipway:cache.engineVersion",
    /"6\.2" is not one of the Redis OSS 7 versions ElastiCache offers \(7\.0, 7\.1\)/,
  ],
  [
    "cache node type without cache. prefix",
    (c) => (c["slipway:cache"].nodeType = "r6g.large"),
    "slipway:cache.nodeType",
    /"r6g\.large" is not an ElastiCache node type in Slipway's catalogue; did you mean cache\.r6g\.large\?/,
  ],
  [
    "cache snapshot retention beyond 35",
    (c) => (c["slipway:cache"].snapshotRetentionDays = 40),
    "slipway:cache.snapshotRetentionDays",
    /0\.\.35/,
  ],
  [
    "unknown eviction policy",
    (c) => (c["slipway:cache"].tuning = { maxmemoryPolicy: "lru" }),
    "slipway:cache.tuning.maxmemoryPolicy",
    /"lru" must be one of "volatile-lru"/,
  ],
  [
    "app secrets in plain text",
    (c) => (c["slipway:appSecrets"] = { stripe: "sk_live_123" }),
    "slipway:appSecrets",
    /holds plain text; secrets must be encrypted: pulumi config set --secret --path/,
  ],
  ["missing region", (c) => delete c["aws:region"], "aws:region", /is required but missing/],
  ["malformed region", (c) => (c["aws:region"] = "virginia"), "aws:region", /AWS region like us-east-1/],
  ["missing owner", (c) => delete c["slipway:owner"], "slipway:owner", /is required but missing/],
  [
    "the whole internet as two halves",
    (c) => (c["slipway:cluster"].endpointPublicAccessCidrs = ["0.0.0.0/1", "128.0.0.0/1"]),
    "slipway:cluster.endpointPublicAccessCidrs",
    /together these CIDRs cover the whole internet, as 0\.0\.0\.0\/0 would/,
  ],
  [
    "the whole internet as three overlapping pieces",
    (c) => (c["slipway:cluster"].endpointPublicAccessCidrs = ["0.0.0.0/2", "64.0.0.0/2", "100.0.0.0/8", "128.0.0.0/1"]),
    "slipway:cluster.endpointPublicAccessCidrs",
    /together these CIDRs cover the whole internet/,
  ],
  [
    "work_mem below PostgreSQL's minimum",
    (c) => (c["slipway:database"].tuning.work_mem = "32kB"),
    "slipway:database.tuning.work_mem",
    /work_mem is 32 × kB; PostgreSQL accepts 64 × kB to 2147483647 × kB/,
  ],
  [
    "checkpoint_completion_target above 1",
    (c) => (c["slipway:database"].tuning.checkpoint_completion_target = 1.5),
    "slipway:database.tuning.checkpoint_completion_target",
    /checkpoint_completion_target is 1\.5; PostgreSQL accepts 0 to 1/,
  ],
  [
    "effective_io_concurrency above 1000",
    (c) => (c["slipway:database"].tuning.effective_io_concurrency = 5000),
    "slipway:database.tuning.effective_io_concurrency",
    /accepts 0 to 1000/,
  ],
  [
    "wal_buffers above 2 GB",
    (c) => (c["slipway:database"].tuning.wal_buffers = "4GB"),
    "slipway:database.tuning.wal_buffers",
    /wal_buffers is 524288 × 8kB; PostgreSQL accepts -1 × 8kB to 262143 × 8kB/,
  ],
  [
    "min_wal_size above max_wal_size",
    (c) => (c["slipway:database"].tuning.min_wal_size = "8GB"),
    "slipway:database.tuning.min_wal_size",
    /8GB is above max_wal_size 4GB/,
  ],
  [
    "shared_buffers beyond the instance's memory",
    (c) => (c["slipway:database"].tuning.shared_buffers = "64GB"),
    "slipway:database.tuning.shared_buffers",
    /64GB is not below the instance class's 32 GiB of memory: PostgreSQL would not start/,
  ],
  [
    "a 15-minute backup window",
    (c) => (c["slipway:database"].backupWindow = "03:00-03:15"),
    "slipway:database.backupWindow",
    /is 15 minutes; RDS needs at least 30/,
  ],
  [
    "a backup window over the maintenance window",
    (c) => (c["slipway:database"].backupWindow = "04:30-05:30"),
    "slipway:database.backupWindow",
    /overlaps the maintenance window sun:04:00-sun:05:00/,
  ],
  [
    "a backup window crossing midnight into a Monday maintenance",
    (c) => (
      (c["slipway:database"].backupWindow = "23:30-00:30"),
      (c["slipway:database"].maintenanceWindow = "mon:00:00-mon:00:30")
    ),
    "slipway:database.backupWindow",
    /overlaps the maintenance window mon:00:00-mon:00:30/,
  ],
  [
    "a 20-minute RDS maintenance window",
    (c) => (c["slipway:database"].maintenanceWindow = "sun:04:00-sun:04:20"),
    "slipway:database.maintenanceWindow",
    /is 20 minutes; RDS needs at least 30/,
  ],
  [
    "a 30-minute ElastiCache maintenance window",
    (c) => (c["slipway:cache"].maintenanceWindow = "sun:06:00-sun:06:30"),
    "slipway:cache.maintenanceWindow",
    /is 30 minutes; ElastiCache needs at least 60/,
  ],
  [
    "a node label key with a space",
    (c) => (c["slipway:cluster"].nodeGroups.system.labels = { "node role": "system" }),
    "slipway:cluster.nodeGroups.system.labels",
    /must be a Kubernetes label key/,
  ],
  [
    "a node label value longer than 63",
    (c) => (c["slipway:cluster"].nodeGroups.system.labels = { "slipway.io/role": "x".repeat(64) }),
    "slipway:cluster.nodeGroups.system.labels",
    /must be a Kubernetes label value: at most 63/,
  ],
  [
    "a taint key with an upper-case prefix",
    (c) => (c["slipway:cluster"].nodeGroups.system.taints[0].key = "Example.COM/dedicated"),
    "slipway:cluster.nodeGroups.system.taints[0].key",
    /must be a Kubernetes label key/,
  ],
  [
    "a taint value ending in a dash",
    (c) => (c["slipway:cluster"].nodeGroups.system.taints[0].value = "true-"),
    "slipway:cluster.nodeGroups.system.taints[0].value",
    /must be a Kubernetes label value/,
  ],
  [
    "kube-proxy newer than the control plane",
    (c) => (c["slipway:cluster"].addons.kubeProxy = "v1.34.0-eksbuild.1"),
    "slipway:cluster.addons.kubeProxy",
    /is for Kubernetes 1\.34, but the control plane runs 1\.33: kube-proxy may not be newer than the control plane/,
  ],
  [
    "kube-proxy four minors behind",
    (c) => (c["slipway:cluster"].addons.kubeProxy = "v1.29.0-eksbuild.1"),
    "slipway:cluster.addons.kubeProxy",
    /nor more than three minors older/,
  ],
  [
    "a __proto__ key in a record",
    (c) =>
      Object.defineProperty(c["slipway:cluster"].nodeGroups.system.labels, "__proto__", {
        value: { x: "y" },
        enumerable: true,
      }),
    "slipway:cluster.nodeGroups.system.labels.__proto__",
    /"__proto__" cannot be a key: JavaScript would drop it silently/,
  ],
  [
    "a zone letter past the region's last",
    (c) => (c["slipway:network"].availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1z"]),
    "slipway:network.availabilityZones[2]",
    /"us-east-1z" does not exist: us-east-1's zones run from us-east-1a to us-east-1f/,
  ],
  [
    "a zone with two letters",
    (c) => (c["slipway:network"].availabilityZones = ["us-east-1a", "us-east-1bb"]),
    "slipway:network.availabilityZones[1]",
    /is not an availability zone of aws:region us-east-1/,
  ],
  ["missing tier", (c) => delete c["slipway:tier"], "slipway:tier", /must say how strictly this stack is held/],
  [
    "a tier that is not one",
    (c) => (c["slipway:tier"] = "prod"),
    "slipway:tier",
    /"prod" must say how strictly this stack is held: "production" \(production-grade: every safety rule mandatory\) or "staging"/,
  ],
  ["a misspelt namespace", (c) => (c["slipwya:owner"] = "x"), "slipwya:owner", /did you mean slipway:owner\?/],
  [
    "a namespace no provider reads",
    (c) => (c["gcp:project"] = "x"),
    "gcp:project",
    /"gcp" is not a config namespace anything here reads; Slipway reads/,
  ],
  [
    "an Enhanced Monitoring interval RDS does not offer",
    (c) => (c["slipway:database"].monitoringIntervalSeconds = 45),
    "slipway:database.monitoringIntervalSeconds",
    /45 must be one of 0, 1, 5, 10, 15, 30, 60$/,
  ],
  [
    "a slow-query threshold below -1 (the value that turns logging off)",
    (c) => (c["slipway:database"].logMinDurationStatementMs = -2),
    "slipway:database.logMinDurationStatementMs",
    /-2 must be at least -1$/,
  ],
  [
    "a slow-log retention CloudWatch refuses",
    (c) => (c["slipway:cache"].slowLogRetentionDays = 42),
    "slipway:cache.slowLogRetentionDays",
    /42 must be one of the retention periods/,
  ],
  [
    "a node group that may take no node down during an update",
    (c) => (c["slipway:cluster"].nodeGroups.workload.maxUnavailable = 0),
    "slipway:cluster.nodeGroups.workload.maxUnavailable",
    /0 must be at least 1$/,
  ],
  [
    "a node group update of more than the 100 nodes EKS allows at once",
    (c) => (c["slipway:cluster"].nodeGroups.workload.maxUnavailable = 101),
    "slipway:cluster.nodeGroups.workload.maxUnavailable",
    /101 must be at most 100$/,
  ],
  [
    "a Prometheus volume below 10 GiB",
    (c) => (c["slipway:platform"].monitoring = { storageGiB: 5 }),
    "slipway:platform.monitoring.storageGiB",
    /5 must be at least 10$/,
  ],
  [
    "a Prometheus volume beyond the 16 TiB of a gp3 volume",
    (c) => (c["slipway:platform"].monitoring = { storageGiB: 16385 }),
    "slipway:platform.monitoring.storageGiB",
    /16385 must be at most 16384$/,
  ],
  [
    "an empty Grafana volume",
    (c) => (c["slipway:platform"].grafana = { storageGiB: 0 }),
    "slipway:platform.grafana.storageGiB",
    /0 must be at least 1$/,
  ],
  ["a key without a namespace", (c) => (c["owner"] = "x"), "owner", /has no namespace/],
  // ElastiCache's windows, checked as RDS's are.
  [
    "a Redis snapshot window over its maintenance window",
    (c) => (c["slipway:cache"].snapshotWindow = "06:30-07:30"),
    "slipway:cache.snapshotWindow",
    /^slipway:cache\.snapshotWindow: "06:30-07:30" overlaps the maintenance window sun:06:00-sun:07:00; ElastiCache refuses a snapshot window that does$/,
  ],
  [
    "a Redis snapshot window crossing midnight into a Monday maintenance",
    (c) => (
      (c["slipway:cache"].snapshotWindow = "23:30-00:30"),
      (c["slipway:cache"].maintenanceWindow = "mon:00:00-mon:01:00")
    ),
    "slipway:cache.snapshotWindow",
    /overlaps the maintenance window mon:00:00-mon:01:00/,
  ],
  [
    "a 30-minute Redis snapshot window",
    (c) => (c["slipway:cache"].snapshotWindow = "05:00-05:30"),
    "slipway:cache.snapshotWindow",
    /^slipway:cache\.snapshotWindow: "05:00-05:30" is 30 minutes; ElastiCache needs at least 60$/,
  ],
  // Catalogues, not patterns: a name of the right shape that AWS does not offer.
  [
    "an RDS instance class that does not exist",
    (c) => (c["slipway:database"].instanceClass = "db.t4g.mega"),
    "slipway:database.instanceClass",
    /^slipway:database\.instanceClass: "db\.t4g\.mega" is not an RDS for PostgreSQL instance class in Slipway's catalogue; did you mean db\.t4g\.medium\? db\.t4g comes in micro, small, medium, large, xlarge, 2xlarge \(lib\/rds-postgres\.ts, from https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/.*, read \d{4}-\d{2}-\d{2}; add a class there with its source\)$/,
  ],
  [
    "an RDS instance family that does not exist",
    (c) => (c["slipway:database"].instanceClass = "db.x9.large"),
    "slipway:database.instanceClass",
    /did you mean db\.\w+\.large\? families: db\.t3, db\.t4g, /,
  ],
  [
    "a PostgreSQL minor RDS never shipped",
    (c) => (c["slipway:database"].engineVersion = "16.99"),
    "slipway:database.engineVersion",
    /^slipway:database\.engineVersion: "16\.99" is not a PostgreSQL 16 release on RDS; did you mean 16\.9\? RDS shipped 16\.1 to 16\.\d+ .*write "16" to let RDS pick the minor/,
  ],
  [
    "a PostgreSQL 15 minor from before RDS offered 15",
    (c) => (c["slipway:database"].engineVersion = "15.1"),
    "slipway:database.engineVersion",
    /"15\.1" is not a PostgreSQL 15 release on RDS; did you mean 15\.\d+\? RDS shipped 15\.2 to/,
  ],
  [
    "a Redis version that does not exist",
    (c) => (c["slipway:cache"].engineVersion = "7.9"),
    "slipway:cache.engineVersion",
    /^slipway:cache\.engineVersion: "7\.9" is not one of the Redis OSS 7 versions ElastiCache offers \(7\.0, 7\.1\); did you mean 7\.\d\?/,
  ],
  [
    "an ElastiCache node type that does not exist",
    (c) => (c["slipway:cache"].nodeType = "cache.x9.large"),
    "slipway:cache.nodeType",
    /^slipway:cache\.nodeType: "cache\.x9\.large" is not an ElastiCache node type in Slipway's catalogue; did you mean cache\.\w+\.large\? families: cache\.t3, /,
  ],
  [
    "an ElastiCache size the family does not come in",
    (c) => (c["slipway:cache"].nodeType = "cache.t4g.large"),
    "slipway:cache.nodeType",
    /did you mean cache\.t4g\.\w+\? cache\.t4g comes in micro, small, medium/,
  ],
  [
    "an EC2 instance type that does not exist",
    (c) => (c["slipway:cluster"].nodeGroups.workload.instanceTypes = ["m6i.mega"]),
    "slipway:cluster.nodeGroups.workload.instanceTypes[0]",
    /^slipway:cluster\.nodeGroups\.workload\.instanceTypes\[0\]: "m6i\.mega" is not an EC2 instance type in Slipway's node-group catalogue; did you mean m6i\.large\? m6i comes in large, /,
  ],
  [
    "a Graviton instance type in an x86_64 node group (the default amiType)",
    (c) => (c["slipway:cluster"].nodeGroups.workload.instanceTypes = ["m6i.2xlarge", "m7g.2xlarge"]),
    "slipway:cluster.nodeGroups.workload.instanceTypes[1]",
    /^slipway:cluster\.nodeGroups\.workload\.instanceTypes\[1\]: "m7g\.2xlarge" is a Graviton \(arm64\) instance type, but amiType AL2023_x86_64_STANDARD runs on x86_64: pick x86_64 instance types, or an ARM_64 amiType$/,
  ],
  [
    "an x86_64 instance type in an ARM node group",
    (c) =>
      Object.assign(c["slipway:cluster"].nodeGroups.system, {
        amiType: "BOTTLEROCKET_ARM_64",
        instanceTypes: ["m6i.large"],
      }),
    "slipway:cluster.nodeGroups.system.instanceTypes[0]",
    /"m6i\.large" is an x86_64 instance type, but amiType BOTTLEROCKET_ARM_64 runs on arm64: pick arm64 instance types, or an x86_64 amiType$/,
  ],
  // Network sanity: what can never match, what cannot hold the cluster, what EKS takes once.
  ...["10.0.0.0/8", "10.30.1.0/24", "172.16.5.0/24", "192.168.1.7/32"].map(
    (cidr): [string, (c: Record<string, any>) => void, string, RegExp] => [
      `a public-endpoint allow-list entry in a private range (${cidr})`,
      (c) => (c["slipway:cluster"].endpointPublicAccessCidrs = ["203.0.113.0/28", cidr]),
      "slipway:cluster.endpointPublicAccessCidrs[1]",
      /^slipway:cluster\.endpointPublicAccessCidrs\[1\]: "[\d./]+" lies in the private range (10\.0\.0\.0\/8|172\.16\.0\.0\/12|192\.168\.0\.0\/16) \(RFC 1918\), which no request to a public endpoint comes from: list the public egress addresses of your office, VPN or NAT gateway instead$/,
    ],
  ),
  [
    "a public-endpoint allow-list entry inside a VPC of public addresses",
    (c) => {
      Object.assign(c["slipway:network"], {
        vpcCidr: "198.51.100.0/24",
        privateSubnetPrefixLength: 26,
        publicSubnetPrefixLength: 28,
      });
      c["slipway:network"].availabilityZones = ["us-east-1a", "us-east-1b"];
      c["slipway:cluster"].endpointPublicAccessCidrs = ["198.51.100.64/26"];
    },
    "slipway:cluster.endpointPublicAccessCidrs[0]",
    /^slipway:cluster\.endpointPublicAccessCidrs\[0\]: "198\.51\.100\.64\/26" lies inside the VPC 198\.51\.100\.0\/24, whose hosts reach the public endpoint through the NAT gateway's public address/,
  ],
  [
    "private subnets of /28, too small for EKS and the nodes",
    (c) =>
      Object.assign(c["slipway:network"], {
        vpcCidr: "10.30.0.0/24",
        privateSubnetPrefixLength: 28,
        publicSubnetPrefixLength: 28,
      }),
    "slipway:network.privateSubnetPrefixLength",
    /^slipway:network\.privateSubnetPrefixLength: 28 lays out private subnets like 10\.30\.0\.0\/28, which has 11 usable addresses \(AWS keeps 5 of every subnet\), but needs at least 36: 6 for EKS \(EKS networking requirements\) and 10 for each of the 3 nodes the node groups may place in its zone at maxSize/,
  ],
  [
    "a hand-written private subnet of /27 under 11 nodes a zone",
    (c) => {
      c["slipway:cluster"].nodeGroups.workload.maxSize = 30;
      c["slipway:network"].subnetCidrs = {
        private: ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/27"],
        public: ["10.30.128.0/24", "10.30.129.0/24", "10.30.130.0/24"],
      };
    },
    "slipway:network.subnetCidrs.private[2]",
    /^slipway:network\.subnetCidrs\.private\[2\]: "10\.30\.32\.0\/27" has 27 usable addresses \(AWS keeps 5 of every subnet\), but needs at least 116: 6 for EKS .* each of the 11 nodes/,
  ],
  [
    "a hand-written /29 subnet, smaller than AWS allows",
    (c) =>
      (c["slipway:network"].subnetCidrs = {
        private: ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"],
        public: ["10.30.128.0/24", "10.30.129.0/29", "10.30.130.0/24"],
      }),
    "slipway:network.subnetCidrs.public[1]",
    /^slipway:network\.subnetCidrs\.public\[1\]: "10\.30\.129\.0\/29" is a \/29; AWS subnets are \/16 to \/28/,
  ],
  [
    "an admin role listed twice",
    (c) => c["slipway:cluster"].adminRoleArns.push("arn:aws:iam::123456789012:role/platform-admin"),
    "slipway:cluster.adminRoleArns[2]",
    /^slipway:cluster\.adminRoleArns\[2\]: "arn:aws:iam::123456789012:role\/platform-admin" is the role of adminRoleArns\[0\] again \(IAM role names are unique in an account, whatever the case\): EKS takes one access entry per role; list it once$/,
  ],
  [
    "an admin role listed twice in another case",
    (c) => c["slipway:cluster"].adminRoleArns.push("arn:aws:iam::123456789012:role/Platform-Admin"),
    "slipway:cluster.adminRoleArns[2]",
    /is the role of adminRoleArns\[0\] again/,
  ],
  [
    "two accounts' roles of one name",
    (c) => c["slipway:cluster"].adminRoleArns.push("arn:aws:iam::210987654321:role/platform-admin"),
    "slipway:cluster.adminRoleArns[2]",
    /has the role name of adminRoleArns\[0\] \(arn:aws:iam::123456789012:role\/platform-admin\): Slipway names each access entry after its role/,
  ],
  [
    "a preview role that is an admin role already",
    (c) => (c["slipway:cluster"].previewRoleArns = ["arn:aws:iam::123456789012:role/platform-admin"]),
    "slipway:cluster.previewRoleArns[0]",
    /^slipway:cluster\.previewRoleArns\[0\]: "arn:aws:iam::123456789012:role\/platform-admin" is the role of adminRoleArns\[0\] again \(IAM role names are unique in an account, whatever the case\): EKS takes one access entry per role; list it once \(an admin role can preview already\)$/,
  ],
  [
    "a preview role listed twice",
    (c) =>
      c["slipway:cluster"].previewRoleArns.push("arn:aws:iam::123456789012:role/GitHub-Actions-Preview-Production"),
    "slipway:cluster.previewRoleArns[1]",
    /is the role of previewRoleArns\[0\] again/,
  ],
  [
    "a preview principal that is no role",
    (c) => (c["slipway:cluster"].previewRoleArns = ["arn:aws:iam::123456789012:user/ci"]),
    "slipway:cluster.previewRoleArns[0]",
    /^slipway:cluster\.previewRoleArns\[0\]: "arn:aws:iam::123456789012:user\/ci" /,
  ],
  [
    "a deploy network outside the VPC with no transit gateway",
    (c) => (c["slipway:network"].deployNetwork = { cidrs: ["10.30.5.0/24", "10.99.0.0/16", "192.168.0.0/24"] }),
    "slipway:network.deployNetwork.transitGatewayId",
    /^slipway:network\.deployNetwork\.transitGatewayId: is required: 10\.99\.0\.0\/16, 192\.168\.0\.0\/24 lie outside the VPC 10\.30\.0\.0\/16, and the control plane's answers need a route back; set the transit gateway the deploy network is attached to$/,
  ],
  [
    "a transit gateway for a deploy network inside the VPC",
    (c) =>
      (c["slipway:network"].deployNetwork = { cidrs: ["10.30.5.0/24"], transitGatewayId: "tgw-0123456789abcdef0" }),
    "slipway:network.deployNetwork.transitGatewayId",
    /routes nothing: every deploy network CIDR lies inside the VPC 10\.30\.0\.0\/16; remove transitGatewayId$/,
  ],
  [
    "a deploy network around the whole VPC",
    (c) => (c["slipway:network"].deployNetwork = { cidrs: ["10.0.0.0/8"], transitGatewayId: "tgw-0123456789abcdef0" }),
    "slipway:network.deployNetwork.cidrs[0]",
    /^slipway:network\.deployNetwork\.cidrs\[0\]: "10\.0\.0\.0\/8" covers the whole VPC 10\.30\.0\.0\/16 and more/,
  ],
  [
    "a transit gateway id of the wrong form",
    (c) =>
      (c["slipway:network"].deployNetwork = { cidrs: ["10.99.0.0/16"], transitGatewayId: "vgw-0123456789abcdef0" }),
    "slipway:network.deployNetwork.transitGatewayId",
    /must be a transit gateway id like tgw-0123456789abcdef0/,
  ],
  [
    "an empty deploy network",
    (c) => (c["slipway:network"].deployNetwork = { cidrs: [] }),
    "slipway:network.deployNetwork.cidrs",
    /list the deploy network's CIDRs/,
  ],
  ...["postgres", "template0", "template1", "rdsadmin", "Template1"].map(
    (name): [string, (c: Record<string, any>) => void, string, RegExp] => [
      `the reserved database name ${name}`,
      (c) => (c["slipway:database"].databaseName = name),
      "slipway:database.databaseName",
      new RegExp(
        `^slipway:database\\.databaseName: "${name}" is a database PostgreSQL or RDS keeps for itself \\(postgres, template0, template1, rdsadmin\\); name the application's own database, like app$`,
      ),
    ],
  ),
];

describe("bad stack configs are rejected with the key, the value and what is allowed", () => {
  for (const [what, change, keyPath, says] of badConfigs) {
    it(what, () => {
      const problems = problemsOf(withChange(change));
      const matching = problems.filter(
        (p) => p.startsWith(`${keyPath}: `) || p.startsWith(`${keyPath}.`) || p.startsWith(`${keyPath}[`),
      );
      assert.ok(matching.length > 0, `no problem names ${keyPath}; got:\n${problems.join("\n")}`);
      assert.ok(
        matching.some((p) => says.test(p)),
        `no problem at ${keyPath} says ${says}; got:\n${matching.join("\n")}`,
      );
      for (const problem of problems) assert.doesNotMatch(problem, /\n\s+at /, "a problem line holds a stack trace");
    });
  }

  it("reports every problem at once, naming the stack file", () => {
    let error: unknown;
    try {
      parseStackConfig(
        withChange((c) => {
          c["slipway:network"].natGateways = "two";
          c["slipway:cluster"].kubernetesVersion = "1.20";
          c["slipway:cluster"].nodeGroups.workload.desiredSize = 9;
        }),
        context,
      );
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof StackConfigError);
    assert.equal(error.problems.length, 3);
    assert.match(error.message, /^Pulumi\.production\.yaml has 3 problems:/);
  });
});

describe("values the CLI passes as text", () => {
  it("decodes only structured values: a scalar stays the string the CLI passes", () => {
    assert.equal(decodeConfigValue("12345"), "12345");
    assert.equal(decodeConfigValue("true"), "true");
    assert.equal(decodeConfigValue("platform-team"), "platform-team");
    assert.deepEqual(decodeConfigValue('{"a":1}'), { a: 1 });
    assert.deepEqual(decodeConfigValue(" [1,2]"), [1, 2]);
    assert.equal(decodeConfigValue("[not json"), "[not json");
  });

  it("accepts an owner YAML reads as a number, as the CLI hands it over as text", async () => {
    const config = stackFileConfig("staging");
    config["slipway:owner"] = 12345;
    const record = await runProgram({ stack: "staging", config });
    const provider = record.resources.find((r) => r.type === "pulumi:providers:aws")!;
    // Provider inputs travel as JSON text: defaultTags is a string here.
    assert.equal(JSON.parse(provider.inputs.defaultTags as string).tags.owner, "12345");
  });
});

describe("the limits a stack file may come close to, accepted", () => {
  it("takes a backup window across midnight beside a maintenance window on Sunday, and tuning at its limits", () => {
    const config = stackFileConfig("production");
    const db = config["slipway:database"] as Record<string, any>;
    db.backupWindow = "23:30-00:30";
    db.maintenanceWindow = "sun:04:00-sun:04:30";
    // Redis: a snapshot window ending the minute its maintenance window begins does not overlap it.
    Object.assign(config["slipway:cache"] as object, {
      snapshotWindow: "05:00-06:00",
      maintenanceWindow: "sun:06:00-sun:07:00",
    });
    Object.assign(db.tuning, {
      work_mem: "64kB",
      checkpoint_completion_target: 1,
      min_wal_size: "4GB",
      shared_buffers: "24GB",
    });
    assert.doesNotThrow(() => parseStackConfig(config, { project: "slipway", stack: "production", stackFile: "" }));
  });

  it("takes catalogue entries: a pinned minor RDS shipped, an ARM node group on Graviton, every Redis 7 version", () => {
    for (const [engineVersion, redis] of [
      ["17.9", "7.0"],
      ["13.23", "7.1"],
    ]) {
      const config = stackFileConfig("production");
      const cluster = config["slipway:cluster"] as Record<string, any>;
      Object.assign(cluster.nodeGroups.workload, {
        amiType: "AL2023_ARM_64_STANDARD",
        instanceTypes: ["m7g.2xlarge", "c7g.2xlarge"],
      });
      Object.assign(config["slipway:database"] as object, { engineVersion, instanceClass: "db.m7g.large" });
      (config["slipway:cache"] as Record<string, unknown>).engineVersion = redis;
      assert.doesNotThrow(() => parseStackConfig(config, { project: "slipway", stack: "production", stackFile: "" }));
    }
  });

  it("takes a public allow-list short of the internet", () => {
    const config = stackFileConfig("production");
    (config["slipway:cluster"] as Record<string, unknown>).endpointPublicAccessCidrs = ["0.0.0.0/1", "192.0.2.0/24"];
    assert.doesNotThrow(() => parseStackConfig(config, { project: "slipway", stack: "production", stackFile: "" }));
  });
});

describe("a secret where plain config belongs", () => {
  const only = (change: (c: Record<string, any>) => void) => problemsOf(withChange(change));
  const SAYS =
    /a secret \(secure:\), but this key takes plain config; only slipway:alertmanagerWebhookUrl, slipway:githubAppPrivateKey, slipway:appSecrets hold secrets/;
  const cases: Array<[string, (c: Record<string, any>) => void, string]> = [
    ["a secret owner", (c) => (c["slipway:owner"] = new EncryptedValue("AAAB")), "slipway:owner: is or holds"],
    [
      "a secret username",
      (c) => (c["slipway:database"].masterUsername = new EncryptedValue("AAAB")),
      "slipway:database.masterUsername: is ",
    ],
    ["a whole section secret", (c) => (c["slipway:cache"] = new EncryptedValue("AAAB")), "slipway:cache: is or holds"],
    [
      "a secret log type",
      (c) => (c["slipway:cluster"].logTypes[1] = new EncryptedValue("AAAB")),
      "slipway:cluster.logTypes[1]: is ",
    ],
  ];
  for (const [what, change, startsWith] of cases) {
    it(`${what}: one problem, at its key, saying what to do`, () => {
      const problems = only(change);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(problems[0].startsWith(startsWith), problems[0]);
      assert.match(problems[0], SAYS);
    });
  }

  it("through the program, when the stack file does not show where inside the key the secure: is: the whole key", async () => {
    const config = stackFileConfig("staging");
    (config["slipway:cluster"] as Record<string, any>).logTypes[1] = new EncryptedValue("AAAB");
    await assert.rejects(
      runProgram({ stack: "staging", config }),
      (error: unknown) =>
        error instanceof ProgramError &&
        error.message.split("\n").length === 2 &&
        /^ {2}- slipway:cluster: is or holds a secret \(secure:\)/m.test(error.message),
    );
  });
});

describe("one problem, one message", () => {
  it("a mistyped channel adds no errors about add-ons it would have switched off", () => {
    const problems = problemsOf(withChange((c) => (c["slipway:channel"] = "stabel")));
    assert.deepEqual(problems, [
      'slipway:channel: unknown channel "stabel"; did you mean stable? channels: airgap, edge, stable',
    ]);
  });
});

/**
 * The problems of a stack file: those reading it finds (a number JSON cannot carry is one,
 * StackFileError lists them one a line), else those its config has.
 */
function problemsOfFile(file: string): string[] {
  try {
    return problemsOf(readStackFile(file, "slipway"));
  } catch (error) {
    if (!(error instanceof StackFileError)) throw error;
    return error.message
      .split("\n")
      .filter((line) => line.startsWith("  - "))
      .map((line) => line.slice(4));
  }
}

describe("numbers YAML reads as no number at all", () => {
  // [what the stack file says, where, what the one problem says]
  const cases: Array<[string, string, string, RegExp]> = [
    [
      ".nan",
      "    allocatedStorageGiB: 100",
      "    allocatedStorageGiB: .nan",
      /^slipway:database\.allocatedStorageGiB: \.nan is not a number \(YAML reads \.nan as the floating-point "not a number"\); write a number$/,
    ],
    [
      ".inf",
      "    allocatedStorageGiB: 100",
      "    allocatedStorageGiB: .inf",
      /^slipway:database\.allocatedStorageGiB: \.inf is not a number this key takes \(YAML reads \.inf, and a number past 1\.8e308 like 1e309, as infinity\); write a finite number$/,
    ],
    [
      "-.inf in a union of number and text",
      "      random_page_cost: 1.1",
      "      random_page_cost: -.inf",
      /^slipway:database\.tuning\.random_page_cost: -\.inf is not a number this key takes \(YAML reads -\.inf, and a number past 1\.8e308 like -1e309, as minus infinity\); write a finite number$/,
    ],
    [
      ".NaN, another spelling YAML takes",
      "        maxSize: 3\n",
      "        maxSize: .NaN\n",
      /^slipway:cluster\.nodeGroups\.system\.maxSize: \.nan is not a number/,
    ],
    [
      "a key with no value",
      "    numCacheClusters: 2",
      "    numCacheClusters:",
      /^slipway:cache\.numCacheClusters: is empty \(YAML reads a key with no value, ~ or null as null\), but this key takes a value \(expected number\)$/,
    ],
  ];
  for (const [what, from, to, says] of cases) {
    it(`${what}: one problem saying so`, () => {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.production.yaml"), "utf8");
      assert.ok(text.includes(from), from);
      const file = path.join(temporaryFolder("slipway-nan-"), "Pulumi.production.yaml");
      fs.writeFileSync(file, text.replace(from, to));
      const problems = problemsOfFile(file);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], says);
      assert.doesNotMatch(problems[0], /null expected|received (NaN|Infinity|null)/);
    });
  }
});
