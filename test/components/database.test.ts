import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Database, type DatabaseArgs } from "../../components/database";
import { DEFAULT_TUNING } from "../../lib/postgres-parameters";
import { buildAlone, input, promiseOf, type Built } from "../build-alone";

const BASE: DatabaseArgs = {
  identifier: "slipway-test",
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
  clientSecurityGroupIds: { nodes: "sg-nodes" },
  engineVersion: "15",
  instanceClass: "db.r6g.xlarge",
  allocatedStorageGiB: 100,
  maxAllocatedStorageGiB: 1000,
  multiAz: true,
  backupRetentionDays: 7,
  backupWindow: "03:00-04:00",
  maintenanceWindow: "sun:04:00-sun:05:00",
  deletionProtection: true,
  protect: true,
  databaseName: "app",
  masterUsername: "slipway_admin",
  masterCredentials: "random",
  tuning: DEFAULT_TUNING,
  logMinDurationStatementMs: 1000,
  performanceInsightsRetentionDays: 7,
  monitoringIntervalSeconds: 60,
};

const RDS = "aws:rds/instance:Instance";
const build = (args: DatabaseArgs) => buildAlone((opts) => new Database("database", args, opts));

describe("Database", () => {
  let built: Built<Database>;
  before(async () => (built = await build(BASE)));

  it("runs PostgreSQL at the given version, class and storage, on gp3 that grows to the ceiling", () => {
    const db = built.only(RDS);
    assert.deepEqual(
      [
        "identifier",
        "engine",
        "engineVersion",
        "instanceClass",
        "storageType",
        "allocatedStorage",
        "maxAllocatedStorage",
      ].map((key) => input(db, key)),
      ["slipway-test", "postgres", "15", "db.r6g.xlarge", "gp3", 100, 1000],
    );
    assert.equal(input(db, "autoMinorVersionUpgrade"), true);
    assert.equal(input(db, "dbName"), "app");
    assert.equal(input(db, "username"), "slipway_admin");
    assert.equal(input(db, "port"), 5432);
  });

  it("encrypts storage, Performance Insights and the managed secret with its own rotating KMS key, kept on delete", () => {
    const db = built.only(RDS);
    assert.equal(input(db, "storageEncrypted"), true);
    const key = built.byArn("aws:kms/key:Key", input(db, "kmsKeyId"))!;
    assert.equal(key.name, "database-key");
    assert.equal(input(key, "enableKeyRotation"), true);
    assert.equal(key.retainOnDelete, true, "a deleted key would make the snapshots unreadable");
    assert.equal(input(db, "performanceInsightsEnabled"), true);
    assert.equal(input(db, "performanceInsightsKmsKeyId"), input(db, "kmsKeyId"));
    assert.equal(input(db, "performanceInsightsRetentionPeriod"), 7);
    assert.equal(input(built.only("aws:kms/alias:Alias"), "name"), "alias/slipway-test-database");
  });

  it("stays private, in a subnet group over the given subnets and its own security group", () => {
    const db = built.only(RDS);
    assert.equal(input(db, "publiclyAccessible"), false);
    const group = built.only("aws:rds/subnetGroup:SubnetGroup");
    assert.deepEqual(input(group, "subnetIds"), BASE.subnetIds);
    assert.equal(input(db, "dbSubnetGroupName"), group.name, "the mock names it after its logical name");
    const sg = built.only("aws:ec2/securityGroup:SecurityGroup");
    assert.deepEqual(input(db, "vpcSecurityGroupIds"), [`${sg.name}-id`]);
    assert.equal(input(sg, "vpcId"), "vpc-1");
  });

  it("admits each client security group on 5432 through its own rule, no inline rules and no CIDR", () => {
    const sg = built.only("aws:ec2/securityGroup:SecurityGroup");
    assert.equal(sg.inputs.ingress, undefined);
    const rule = built.only("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    assert.equal(rule.name, "database-from-nodes");
    assert.deepEqual(
      ["securityGroupId", "referencedSecurityGroupId", "ipProtocol", "fromPort", "toPort", "cidrIpv4"].map((key) =>
        input(rule, key),
      ),
      [`${sg.name}-id`, "sg-nodes", "tcp", 5432, 5432, undefined],
    );
  });

  it("backs up in its windows and takes a uniquely named final snapshot, keeping automated backups", async () => {
    const db = built.only(RDS);
    assert.deepEqual(
      ["backupRetentionPeriod", "backupWindow", "maintenanceWindow"].map((key) => input(db, key)),
      [7, "03:00-04:00", "sun:04:00-sun:05:00"],
    );
    assert.equal(input(db, "skipFinalSnapshot"), false);
    const suffix = built.only("random:index/randomId:RandomId");
    assert.equal(input(suffix, "byteLength"), 4);
    assert.match(input(db, "finalSnapshotIdentifier") as string, /^slipway-test-final-[0-9a-f]{8}$/);
    assert.equal(input(db, "deleteAutomatedBackups"), false);
    assert.equal(input(db, "copyTagsToSnapshot"), true);
  });

  it("exports the postgresql and upgrade logs, with IAM authentication on", () => {
    const db = built.only(RDS);
    assert.deepEqual(input(db, "enabledCloudwatchLogsExports"), ["postgresql", "upgrade"]);
    assert.equal(input(db, "iamDatabaseAuthenticationEnabled"), true);
  });

  it("carries the tuning in RDS units, TLS enforced and slow-query and DDL logging", () => {
    const group = built.only("aws:rds/parameterGroup:ParameterGroup");
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
    assert.equal(input(built.only(RDS), "parameterGroupName"), group.name);
  });

  it("exposes the endpoint, port and security group, and a connection that is secret as a whole", async () => {
    const database = built.component;
    assert.equal(await promiseOf(database.host), "database-instance.mock.us-east-1.rds.amazonaws.com");
    assert.equal(database.port, 5432);
    assert.equal(await promiseOf(database.securityGroupId), "database-sg-id");
    assert.equal(await pulumi.isSecret(database.connection), true);
    const connection = await promiseOf(database.connection);
    assert.deepEqual(
      { ...connection, password: typeof connection.password },
      {
        host: "database-instance.mock.us-east-1.rds.amazonaws.com",
        port: 5432,
        database: "app",
        username: "slipway_admin",
        password: "string",
        passwordSecretArn: undefined,
        tlsRequired: true,
      },
    );
  });

  describe("master credentials", () => {
    it("random: a 32-character password without the characters RDS refuses, sent only as a secret", () => {
      const db = built.only(RDS);
      assert.deepEqual(db.secretInputs, ["password"]);
      const password = built.only("random:index/randomPassword:RandomPassword");
      assert.equal(password.name, "database-master-password");
      assert.equal(input(password, "length"), 32);
      assert.equal(input(password, "overrideSpecial"), "!#$%&*()-_=+[]{}<>:?");
      for (const forbidden of ["/", "@", '"', " "])
        assert.ok(!(input(password, "overrideSpecial") as string).includes(forbidden), forbidden);
      assert.equal(input(db, "password"), `mock-generated-secret-1-${password.name}`);
      assert.equal(db.inputs.manageMasterUserPassword, undefined);
    });

    it("secretsManager: no random password; RDS manages one, encrypted with the database key", async () => {
      const managed = await build({ ...BASE, masterCredentials: "secretsManager" });
      const db = managed.only(RDS);
      assert.equal(input(db, "manageMasterUserPassword"), true);
      assert.equal(db.inputs.password, undefined);
      assert.equal(managed.byArn("aws:kms/key:Key", input(db, "masterUserSecretKmsKeyId"))?.name, "database-key");
      assert.deepEqual(managed.ofType("random:index/randomPassword:RandomPassword"), []);
      const connection = await promiseOf(managed.component.connection);
      assert.equal(connection.password, undefined);
      assert.match(connection.passwordSecretArn!, /^arn:aws:secretsmanager:.*:secret:rds!database-instance$/);
    });
  });

  // Rows: the settings a stack relaxes (staging) or keeps safe (production).
  const rows: Array<{ title: string; args: Partial<DatabaseArgs>; check: (built: Built<Database>) => void }> = [
    {
      title: "protect, deletion protection and Multi-AZ on: the instance and its key are protected",
      args: { protect: true, deletionProtection: true, multiAz: true },
      check: (b) => {
        const db = b.only(RDS);
        assert.deepEqual([input(db, "deletionProtection"), input(db, "multiAz"), db.protect], [true, true, true]);
        assert.equal(b.only("aws:kms/key:Key").protect, true);
      },
    },
    {
      title: "all three off: nothing protected, one AZ",
      args: { protect: false, deletionProtection: false, multiAz: false },
      check: (b) => {
        const db = b.only(RDS);
        assert.deepEqual([input(db, "deletionProtection"), input(db, "multiAz"), db.protect], [false, false, false]);
        assert.equal(b.only("aws:kms/key:Key").protect, false);
        assert.equal(b.only("aws:kms/key:Key").retainOnDelete, true);
      },
    },
    {
      title: "a major version only: the version is managed, minor upgrades apply",
      args: { engineVersion: "15" },
      check: (b) => assert.deepEqual(b.only(RDS).ignoreChanges, []),
    },
    {
      title: "a minor version: its later changes are ignored, so automatic minor upgrades are not undone",
      args: { engineVersion: "16.4" },
      check: (b) => {
        assert.deepEqual(b.only(RDS).ignoreChanges, ["engineVersion"]);
        assert.equal(input(b.only("aws:rds/parameterGroup:ParameterGroup"), "family"), "postgres16");
      },
    },
    {
      title: "Enhanced Monitoring on: a role RDS monitoring assumes, with its managed policy",
      args: { monitoringIntervalSeconds: 60 },
      check: (b) => {
        const db = b.only(RDS);
        assert.equal(input(db, "monitoringInterval"), 60);
        const role = b.byArn("aws:iam/role:Role", input(db, "monitoringRoleArn"))!;
        assert.match(input(role, "assumeRolePolicy") as string, /monitoring\.rds\.amazonaws\.com/);
        assert.match(
          input(b.only("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), "policyArn") as string,
          /AmazonRDSEnhancedMonitoringRole$/,
        );
      },
    },
    {
      title: "Enhanced Monitoring off: no role",
      args: { monitoringIntervalSeconds: 0 },
      check: (b) => {
        assert.equal(input(b.only(RDS), "monitoringInterval"), 0);
        assert.equal(input(b.only(RDS), "monitoringRoleArn"), undefined);
        assert.deepEqual(b.ofType("aws:iam/role:Role"), []);
      },
    },
    {
      title: "no clients: a security group that admits nothing",
      args: { clientSecurityGroupIds: undefined },
      check: (b) => assert.deepEqual(b.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), []),
    },
  ];
  for (const row of rows) it(row.title, async () => row.check(await build({ ...BASE, ...row.args })));
});
