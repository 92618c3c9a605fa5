import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { MOCK_SECRET_MARKER } from "../../harness/mock-cloud";
import { ofType, SECRET_MASK, transitiveDependencies, type ProgramRecord } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { STACKS, byMockArn, byMockId, input, only, recordOf, stackFileConfig } from "../helpers";

const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

function securityGroupOf(record: ProgramRecord, prefix: string) {
  return ofType(record, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === `${prefix}-sg`)!;
}

for (const stack of STACKS) {
  const config = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" });
  const production = stack === "production";

  describe(`Database (${stack})`, () => {
    it("encrypts storage with its own rotating KMS key and stays private", async () => {
      const record = await recordOf(stack);
      const db = only(record, RDS);
      assert.equal(input(db, "storageEncrypted"), true);
      const key = byMockArn(record, "aws:kms/key:Key", input(db, "kmsKeyId"));
      assert.equal(key?.name, "database-key");
      assert.equal(input(key!, "enableKeyRotation"), true);
      assert.equal(input(db, "publiclyAccessible"), false);
      assert.equal(input(db, "storageType"), "gp3");
      assert.equal(input(db, "engine"), "postgres");
      assert.equal(input(db, "engineVersion"), config.database.engineVersion);
    });

    it("sits in a private subnet group", async () => {
      const record = await recordOf(stack);
      const group = only(record, "aws:rds/subnetGroup:SubnetGroup");
      for (const id of input(group, "subnetIds") as string[]) assert.match(byMockId(record, id)!.name, /-private-/);
    });

    it("sizes storage, backups and windows from config", async () => {
      const db = only(await recordOf(stack), RDS);
      assert.equal(input(db, "instanceClass"), config.database.instanceClass);
      assert.equal(input(db, "allocatedStorage"), config.database.allocatedStorageGiB);
      assert.equal(input(db, "maxAllocatedStorage"), config.database.maxAllocatedStorageGiB);
      assert.equal(input(db, "backupRetentionPeriod"), config.database.backupRetentionDays);
      assert.equal(input(db, "backupWindow"), "03:00-04:00");
      assert.equal(input(db, "maintenanceWindow"), "sun:04:00-sun:05:00");
      assert.ok((input(db, "backupRetentionPeriod") as number) >= (production ? 7 : 1));
    });

    it("takes a uniquely named final snapshot and keeps automated backups on delete", async () => {
      const db = only(await recordOf(stack), RDS);
      assert.equal(input(db, "skipFinalSnapshot"), false);
      assert.match(input(db, "finalSnapshotIdentifier") as string, new RegExp(`^slipway-${stack}-final-.+`));
      assert.equal(input(db, "deleteAutomatedBackups"), false);
      assert.equal(input(db, "copyTagsToSnapshot"), true);
    });

    it("exports the postgresql and upgrade logs, with Performance Insights on its own key", async () => {
      const db = only(await recordOf(stack), RDS);
      assert.deepEqual(input(db, "enabledCloudwatchLogsExports"), ["postgresql", "upgrade"]);
      assert.equal(input(db, "performanceInsightsEnabled"), true);
      assert.equal(input(db, "performanceInsightsKmsKeyId"), input(db, "kmsKeyId"));
      assert.equal(input(db, "autoMinorVersionUpgrade"), true);
    });

    it(`${production ? "turns on" : "leaves off"} deletion protection, Multi-AZ and protect, as configured`, async () => {
      const record = await recordOf(stack);
      const db = only(record, RDS);
      assert.equal(input(db, "deletionProtection"), production);
      assert.equal(input(db, "multiAz"), production);
      assert.equal(db.options.protect, production);
      const key = ofType(record, "aws:kms/key:Key").find((k) => k.name === "database-key")!;
      assert.equal(key.options.protect, production);
      assert.equal(key.options.retainOnDelete, true, "a deleted key would make the snapshots unreadable");
    });

    it("carries the runbooks' tuning in RDS units, TLS enforced and slow-query logging", async () => {
      const record = await recordOf(stack);
      const group = only(record, "aws:rds/parameterGroup:ParameterGroup");
      assert.equal(input(group, "family"), "postgres15");
      const values = Object.fromEntries(
        (group.inputs.parameters as Array<{ name: string; value: string }>).map((p) => [p.name, p.value]),
      );
      assert.deepEqual(values, {
        shared_buffers: "32768",
        effective_cache_size: "131072",
        maintenance_work_mem: "65536",
        checkpoint_completion_target: "0.9",
        wal_buffers: "2048",
        default_statistics_target: "100",
        random_page_cost: "1.1",
        effective_io_concurrency: "200",
        work_mem: "4096",
        min_wal_size: "1024",
        max_wal_size: "4096",
        "rds.force_ssl": "1",
        log_min_duration_statement: "1000",
        log_statement: "ddl",
      });
      assert.equal(input(only(record, RDS), "parameterGroupName"), group.name);
      assert.ok(only(record, RDS).dependencies.includes(group.urn));
    });

    it("keeps the master password secret: a random password, masked in every recorded input", async () => {
      const record = await recordOf(stack);
      const db = only(record, RDS);
      assert.equal(input(db, "password"), SECRET_MASK);
      const password = ofType(record, "random:index/randomPassword:RandomPassword").find(
        (p) => p.name === "database-master-password",
      )!;
      assert.equal(input(password, "length"), 32);
      assert.equal(input(password, "overrideSpecial"), "!#$%&*()-_=+[]{}<>:?");
      for (const forbidden of ["/", "@", '"', " "])
        assert.ok(!(input(password, "overrideSpecial") as string).includes(forbidden));
    });
  });

  describe(`Cache (${stack})`, () => {
    it("encrypts at rest with its own rotating KMS key and in transit, behind a secret auth token", async () => {
      const record = await recordOf(stack);
      const redis = only(record, REDIS);
      assert.equal(input(redis, "atRestEncryptionEnabled"), true);
      assert.equal(input(redis, "transitEncryptionEnabled"), true);
      const key = byMockArn(record, "aws:kms/key:Key", input(redis, "kmsKeyId"));
      assert.equal(key?.name, "cache-key");
      assert.equal(input(key!, "enableKeyRotation"), true);
      assert.equal(input(redis, "authToken"), SECRET_MASK);
      const token = ofType(record, "random:index/randomPassword:RandomPassword").find(
        (p) => p.name === "cache-auth-token",
      )!;
      const length = input(token, "length") as number;
      assert.ok(length >= 16 && length <= 128);
      for (const forbidden of ["/", "@", '"'])
        assert.ok(!(input(token, "overrideSpecial") as string).includes(forbidden));
    });

    it("runs Redis 7 at the configured size, failover and Multi-AZ when replicated", async () => {
      const redis = only(await recordOf(stack), REDIS);
      assert.equal(input(redis, "engine"), "redis");
      assert.match(input(redis, "engineVersion") as string, /^7\./);
      assert.equal(input(redis, "nodeType"), config.cache.nodeType);
      assert.equal(input(redis, "numCacheClusters"), config.cache.numCacheClusters);
      assert.equal(input(redis, "port"), 6379);
      assert.equal(input(redis, "automaticFailoverEnabled"), production);
      assert.equal(input(redis, "multiAzEnabled"), production);
      assert.equal(redis.options.protect, production);
      if (production) assert.ok((input(redis, "numCacheClusters") as number) >= 2);
    });

    it("carries the runbooks' tuning, snapshots and slow-log delivery", async () => {
      const record = await recordOf(stack);
      const params = only(record, "aws:elasticache/parameterGroup:ParameterGroup");
      assert.equal(input(params, "family"), "redis7");
      assert.deepEqual(params.inputs.parameters, [
        { name: "maxmemory-policy", value: "allkeys-lru" },
        { name: "tcp-keepalive", value: "60" },
        { name: "timeout", value: "300" },
      ]);
      const redis = only(record, REDIS);
      assert.equal(input(redis, "snapshotRetentionLimit"), config.cache.snapshotRetentionDays);
      assert.equal(input(redis, "snapshotWindow"), "05:00-06:00");
      const [delivery] = input(redis, "logDeliveryConfigurations") as Array<Record<string, string>>;
      assert.equal(delivery.logType, "slow-log");
      assert.equal(delivery.destinationType, "cloudwatch-logs");
      const subnets = input(only(record, "aws:elasticache/subnetGroup:SubnetGroup"), "subnetIds") as string[];
      for (const id of subnets) assert.match(byMockId(record, id)!.name, /-private-/);
    });
  });

  describe(`Data-store reachability (${stack})`, () => {
    for (const [prefix, port] of [
      ["database", 5432],
      ["cache", 6379],
    ] as const) {
      it(`${prefix}: no inline rules and no CIDR ingress; only the nodes' security group on ${port}`, async () => {
        const record = await recordOf(stack);
        const group = securityGroupOf(record, prefix);
        assert.equal(group.inputs.ingress, undefined);
        const rules = [
          ...ofType(record, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
          ...ofType(record, "aws:ec2/securityGroupRule:SecurityGroupRule"),
        ].filter((r) => input(r, "securityGroupId") === `${group.name}-id`);
        assert.equal(rules.length, 1);
        const [rule] = rules;
        assert.equal(rule.inputs.cidrIpv4, undefined);
        assert.equal(rule.inputs.cidrIpv6, undefined);
        assert.equal(input(rule, "referencedSecurityGroupId"), "sg-cluster-eks-cluster");
        assert.deepEqual(
          [input(rule, "fromPort"), input(rule, "toPort"), input(rule, "ipProtocol")],
          [port, port, "tcp"],
        );
      });
    }

    it("RDS and ElastiCache depend on the network only, never on the EKS cluster or its nodes", async () => {
      const record = await recordOf(stack);
      const eks = [
        ...ofType(record, "aws:eks/cluster:Cluster"),
        ...ofType(record, "aws:eks/nodeGroup:NodeGroup"),
        ...ofType(record, "aws:eks/addon:Addon"),
      ].map((r) => r.urn);
      assert.equal(eks.length, 1 + 2 + 4, "the cluster, its two node groups and four add-ons");
      for (const type of [RDS, REDIS]) {
        const waitsFor = transitiveDependencies(record, only(record, type));
        assert.ok(waitsFor.size > 0);
        assert.deepEqual(
          eks.filter((urn) => waitsFor.has(urn)),
          [],
          `${type} waits for EKS`,
        );
        assert.ok(
          [...waitsFor].some((urn) => urn.includes("aws:ec2/subnet:Subnet")),
          `${type} waits for the subnets`,
        );
      }
    });

    it("the rules that admit the nodes are the only data-store resources that wait for the cluster", async () => {
      const record = await recordOf(stack);
      const cluster = only(record, "aws:eks/cluster:Cluster");
      const waiting = record.resources
        .filter((r) => r.parent.endsWith("::database") || r.parent.endsWith("::cache"))
        .filter((r) => r.dependencies.includes(cluster.urn))
        .map((r) => r.type);
      assert.deepEqual(waiting, Array(2).fill("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"));
    });
  });

  describe(`Credentials never in plain text (${stack})`, () => {
    it("no generated password or token appears anywhere in the record, and outputs show endpoints only", async () => {
      const record = await recordOf(stack);
      assert.doesNotMatch(JSON.stringify(record), new RegExp(MOCK_SECRET_MARKER));
      assert.match(record.outputs.databaseEndpoint as string, /rds\.amazonaws\.com:5432$/);
      assert.match(record.outputs.cacheEndpoint as string, /cache\.amazonaws\.com:6379$/);
      const outputKeys = Object.keys(record.outputs).join(",");
      assert.doesNotMatch(outputKeys, /password|token/i);
    });

    it("the components' connection outputs are secret as a whole", async () => {
      const record = await recordOf(stack);
      for (const component of ["slipway:aws:Database", "slipway:aws:Cache"]) {
        const urn = only(record, component).urn;
        assert.equal(record.componentOutputs[urn]?.connection, SECRET_MASK, component);
      }
    });
  });
}

describe("Database with the password kept by RDS in Secrets Manager", () => {
  it("creates no random password and lets RDS manage one, encrypted with the database key", async () => {
    const config = stackFileConfig("production");
    (config["slipway:database"] as Record<string, unknown>).masterCredentials = "secretsManager";
    const record = await runProgram({ stack: "production", config });
    const db = only(record, RDS);
    assert.equal(input(db, "manageMasterUserPassword"), true);
    assert.equal(db.inputs.password, undefined);
    assert.equal(byMockArn(record, "aws:kms/key:Key", input(db, "masterUserSecretKmsKeyId"))?.name, "database-key");
    const passwords = ofType(record, "random:index/randomPassword:RandomPassword")
      .filter((p) => p.parent.endsWith("::database") || p.parent.endsWith("::cache"))
      .map((p) => p.name);
    assert.deepEqual(passwords, ["cache-auth-token"]);
  });
});
