import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Cache, type CacheArgs } from "../../components/cache";
import { buildAlone, input, promiseOf, type Built } from "../build-alone";

const BASE: CacheArgs = {
  replicationGroupId: "slipway-test",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  clientSecurityGroupIds: { nodes: "sg-nodes" },
  engineVersion: "7.1",
  nodeType: "cache.r6g.large",
  numCacheClusters: 2,
  multiAz: true,
  snapshotRetentionDays: 7,
  snapshotWindow: "05:00-06:00",
  maintenanceWindow: "sun:06:00-sun:07:00",
  slowLogRetentionDays: 30,
  protect: true,
  tuning: { maxmemoryPolicy: "allkeys-lru", tcpKeepaliveSeconds: 60, idleTimeoutSeconds: 300 },
};

const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const build = (args: CacheArgs) => buildAlone((opts) => new Cache("cache", args, opts));

describe("Cache", () => {
  let built: Built<Cache>;
  before(async () => (built = await build(BASE)));

  it("runs Redis at the given version, node type and size, on 6379", () => {
    const redis = built.only(REDIS);
    assert.deepEqual(
      ["replicationGroupId", "engine", "engineVersion", "nodeType", "numCacheClusters", "port"].map((key) =>
        input(redis, key),
      ),
      ["slipway-test", "redis", "7.1", "cache.r6g.large", 2, 6379],
    );
    assert.equal(input(redis, "autoMinorVersionUpgrade"), true);
  });

  it("encrypts at rest with its own rotating KMS key, kept on delete, and in transit", () => {
    const redis = built.only(REDIS);
    assert.equal(input(redis, "atRestEncryptionEnabled"), true);
    assert.equal(input(redis, "transitEncryptionEnabled"), true);
    const key = built.byArn("aws:kms/key:Key", input(redis, "kmsKeyId"))!;
    assert.equal(key.name, "cache-key");
    assert.equal(input(key, "enableKeyRotation"), true);
    assert.equal(key.retainOnDelete, true);
    assert.equal(input(built.only("aws:kms/alias:Alias"), "name"), "alias/slipway-test-cache");
  });

  it("sits behind a 64-character auth token sent only as a secret, rotated without dropping clients", () => {
    const redis = built.only(REDIS);
    assert.deepEqual(redis.secretInputs, ["authToken"]);
    const token = built.only("random:index/randomPassword:RandomPassword");
    assert.equal(token.name, "cache-auth-token");
    const length = input(token, "length") as number;
    assert.ok(length >= 16 && length <= 128, "ElastiCache's AUTH token length");
    for (const forbidden of ["/", "@", '"'])
      assert.ok(!(input(token, "overrideSpecial") as string).includes(forbidden), forbidden);
    assert.equal(input(redis, "authToken"), `mock-generated-secret-1-${token.name}`);
    assert.equal(input(redis, "authTokenUpdateStrategy"), "ROTATE");
  });

  it("stays in a subnet group over the given subnets, admitting each client group on 6379 through its own rule", () => {
    const redis = built.only(REDIS);
    const subnets = built.only("aws:elasticache/subnetGroup:SubnetGroup");
    assert.deepEqual(input(subnets, "subnetIds"), BASE.subnetIds);
    assert.equal(input(redis, "subnetGroupName"), subnets.name, "the mock names it after its logical name");
    const sg = built.only("aws:ec2/securityGroup:SecurityGroup");
    assert.deepEqual(input(redis, "securityGroupIds"), [`${sg.name}-id`]);
    assert.equal(sg.inputs.ingress, undefined);
    const rule = built.only("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.deepEqual(
      ["securityGroupId", "referencedSecurityGroupId", "ipProtocol", "fromPort", "toPort", "cidrIpv4"].map((key) =>
        input(rule, key),
      ),
      [`${sg.name}-id`, "sg-nodes", "tcp", 6379, 6379, undefined],
    );
  });

  it("carries the tuning, snapshots in their window with a unique final snapshot, and slow-log delivery", () => {
    const params = built.only("aws:elasticache/parameterGroup:ParameterGroup");
    assert.equal(input(params, "family"), "redis7");
    assert.deepEqual(params.inputs.parameters, [
      { name: "maxmemory-policy", value: "allkeys-lru" },
      { name: "tcp-keepalive", value: "60" },
      { name: "timeout", value: "300" },
    ]);
    const redis = built.only(REDIS);
    assert.equal(input(redis, "parameterGroupName"), params.name);
    assert.deepEqual(
      ["snapshotRetentionLimit", "snapshotWindow", "maintenanceWindow"].map((key) => input(redis, key)),
      [7, "05:00-06:00", "sun:06:00-sun:07:00"],
    );
    assert.match(input(redis, "finalSnapshotIdentifier") as string, /^slipway-test-final-[0-9a-f]{8}$/);
    const slowLog = built.only("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(input(slowLog, "retentionInDays"), 30);
    assert.deepEqual(input(redis, "logDeliveryConfigurations"), [
      { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
    ]);
  });

  it("exposes the endpoints and a connection that is secret as a whole", async () => {
    const cache = built.component;
    assert.equal(await promiseOf(cache.host), "master.cache-redis.mock.use1.cache.amazonaws.com");
    assert.equal(cache.port, 6379);
    assert.equal(await pulumi.isSecret(cache.connection), true);
    const connection = await promiseOf(cache.connection);
    assert.deepEqual(
      { ...connection, authToken: typeof connection.authToken },
      {
        host: "master.cache-redis.mock.use1.cache.amazonaws.com",
        readerHost: "replica.cache-redis.mock.use1.cache.amazonaws.com",
        port: 6379,
        authToken: "string",
        tlsRequired: true,
      },
    );
  });

  // Rows: a replicated, protected cache (production) and a single unprotected node (staging).
  const rows = [
    { numCacheClusters: 2, multiAz: true, protect: true, failover: true },
    { numCacheClusters: 3, multiAz: false, protect: true, failover: true },
    { numCacheClusters: 1, multiAz: false, protect: false, failover: false },
  ] as const;
  for (const { failover, ...row } of rows) {
    it(`${row.numCacheClusters} node(s), multiAz ${row.multiAz}, protect ${row.protect}: failover ${failover}`, async () => {
      const b = await build({ ...BASE, ...row });
      const redis = b.only(REDIS);
      assert.deepEqual(
        [input(redis, "numCacheClusters"), input(redis, "automaticFailoverEnabled"), input(redis, "multiAzEnabled")],
        [row.numCacheClusters, failover, row.multiAz],
      );
      assert.equal(redis.protect, row.protect);
      assert.equal(b.only("aws:kms/key:Key").protect, row.protect);
    });
  }

  it("refuses Multi-AZ with a single node", async () => {
    await assert.rejects(
      build({ ...BASE, numCacheClusters: 1, multiAz: true }),
      /multiAz needs 2 or more cache clusters, got 1/,
    );
  });
});
