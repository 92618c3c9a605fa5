/**
 * PostgreSQL on RDS: encrypted with its own KMS key, private, in its own subnet group and
 * security group, backed up, with a final snapshot on delete, the runbooks' tuning in the
 * units RDS expects, and a master password that never leaves Pulumi's secrets.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createDataStoreBase, type DataStoreBase, type DataStorePlacement } from "./data-store-base";
import { serviceAssumeRolePolicy } from "./iam-policies";
import { toRdsParameters } from "../lib/postgres-parameters";
import type { DatabaseSettings } from "../settings/database";

/** How an application reaches the database. Password is a secret. */
export interface DatabaseConnection {
  /** Endpoint host name. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Database name. */
  readonly database: string;
  /** Master user name. */
  readonly username: string;
  /**
   * Master password (a secret), or `undefined` when RDS keeps it in Secrets Manager; then
   * `passwordSecretArn` names that secret.
   */
  readonly password?: string;
  /** ARN of the RDS-managed Secrets Manager secret, when `masterCredentials` is `secretsManager`. */
  readonly passwordSecretArn?: string;
  /** TLS is enforced (`rds.force_ssl=1`): clients must use `sslmode=require` or stricter. */
  readonly tlsRequired: true;
}

/**
 * Arguments of {@link Database}: the database settings (settings/database.ts), its
 * identifier and where it sits.
 */
export type DatabaseArgs = DatabaseSettings &
  DataStorePlacement & {
    /** RDS instance identifier, e.g. `slipway-production`. */
    readonly identifier: string;
  };

/** RDS PostgreSQL with its key, subnet group, security group and parameter group. */
export class Database extends pulumi.ComponentResource {
  /** Endpoint host name. */
  public readonly host: pulumi.Output<string>;
  /** TCP port. */
  public readonly port: number;
  /** The instance's security group (for extra client rules). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Everything an application needs to connect; the password is a secret. */
  public readonly connection: pulumi.Output<DatabaseConnection>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:aws:Database", name, {}, opts);
    const port = 5432;
    const base = createDataStoreBase(
      {
        name,
        engine: "rds",
        identifier: args.identifier,
        keyAlias: `${args.identifier}-database`,
        keyDescription: `Storage, Performance Insights and secret encryption of RDS ${args.identifier}`,
        securityGroupDescription: `PostgreSQL ${args.identifier}`,
        subnetIds: args.subnetIds,
        vpcId: args.vpcId,
        port,
        clients: args.clientSecurityGroupIds ?? {},
        protect: args.protect,
        family: `postgres${args.engineVersion.split(".")[0]}`,
        parameters: databaseParameters(args),
      },
      this,
    );
    const password = this.masterPassword(name, args);
    const instance = this.instance(name, args, base, password, port);
    this.host = instance.address;
    this.port = port;
    this.securityGroupId = base.securityGroup.id;
    this.connection = pulumi
      .all([instance.address, password ? pulumi.secret(password.result) : undefined, instance.masterUserSecrets])
      .apply(([host, secretPassword, managedSecrets]) => ({
        host,
        port,
        database: args.databaseName,
        username: args.masterUsername,
        password: secretPassword,
        passwordSecretArn: managedSecrets?.[0]?.secretArn,
        tlsRequired: true as const,
      }));
    this.registerOutputs({
      host: this.host,
      port: this.port,
      securityGroupId: this.securityGroupId,
      connection: this.connection,
    });
  }

  /** A random master password, unless RDS keeps it in Secrets Manager. */
  private masterPassword(name: string, args: DatabaseArgs): random.RandomPassword | undefined {
    if (args.masterCredentials !== "random") return undefined;
    // Characters RDS refuses in a master password: '/', '@', '"' and space.
    return new random.RandomPassword(
      `${name}-master-password`,
      { length: 32, special: true, overrideSpecial: "!#$%&*()-_=+[]{}<>:?" },
      { parent: this },
    );
  }

  /** The role Enhanced Monitoring publishes with, when it is on. */
  private monitoringRole(name: string, interval: number): aws.iam.Role | undefined {
    if (interval === 0) return undefined;
    const role = new aws.iam.Role(
      `${name}-monitoring`,
      {
        assumeRolePolicy: serviceAssumeRolePolicy("monitoring.rds.amazonaws.com"),
        tags: { Name: `${name}-monitoring` },
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-monitoring`,
      { role: role.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
      { parent: this },
    );
    return role;
  }

  /** The instance: private, encrypted, backed up, a final snapshot with a name no earlier teardown used. */
  private instance(
    name: string,
    args: DatabaseArgs,
    base: DataStoreBase,
    password: random.RandomPassword | undefined,
    port: number,
  ): aws.rds.Instance {
    const protect = args.protect;
    const managed = args.masterCredentials === "secretsManager";
    // Suffix stays fixed for the instance's life, so every destroy leaves a new snapshot name.
    const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent: this });
    const monitoringInterval = args.monitoringIntervalSeconds;
    const monitoringRole = this.monitoringRole(name, monitoringInterval);
    return new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier: args.identifier,
        engine: "postgres",
        engineVersion: args.engineVersion,
        autoMinorVersionUpgrade: true,
        instanceClass: args.instanceClass,
        storageType: "gp3",
        allocatedStorage: args.allocatedStorageGiB,
        maxAllocatedStorage: args.maxAllocatedStorageGiB,
        storageEncrypted: true,
        kmsKeyId: base.key.arn,
        dbName: args.databaseName,
        username: args.masterUsername,
        password: password ? pulumi.secret(password.result) : undefined,
        manageMasterUserPassword: managed ? true : undefined,
        masterUserSecretKmsKeyId: managed ? base.key.arn : undefined,
        port,
        dbSubnetGroupName: base.subnetGroupName,
        vpcSecurityGroupIds: [base.securityGroup.id],
        publiclyAccessible: false,
        multiAz: args.multiAz,
        parameterGroupName: base.parameterGroupName,
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: args.backupWindow,
        maintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: pulumi.interpolate`${args.identifier}-final-${snapshotSuffix.hex}`,
        deleteAutomatedBackups: false,
        iamDatabaseAuthenticationEnabled: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: base.key.arn,
        performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays,
        monitoringInterval,
        monitoringRoleArn: monitoringRole?.arn,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        tags: { Name: args.identifier },
      },
      {
        parent: this,
        protect,
        // A minor version pinned here would fight the automatic minor upgrades (RDS-09:
        // "Cannot upgrade postgres from 15.12 to 15.8"); a major-only version needs no ignore.
        ignoreChanges: args.engineVersion.includes(".") ? ["engineVersion"] : [],
      },
    );
  }
}

/** The parameter group's parameters: the tuning in RDS units, TLS only, slow-query and DDL logging. */
function databaseParameters(args: DatabaseArgs): Array<{ name: string; value: string; applyMethod?: string }> {
  return [
    ...toRdsParameters(args.tuning),
    // TLS only (RDS-13), and enough logging to find slow queries and schema changes (RDS-12).
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    {
      name: "log_min_duration_statement",
      value: String(args.logMinDurationStatementMs),
      applyMethod: "immediate",
    },
    { name: "log_statement", value: "ddl", applyMethod: "immediate" },
  ];
}
