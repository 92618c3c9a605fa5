/**
 * Redis 7 on ElastiCache: a replication group encrypted at rest (own KMS key) and in
 * transit, behind an auth token that stays a secret, with automatic failover and
 * Multi-AZ once there are two nodes, the runbooks' tuning, snapshots and slow-log delivery.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createDataStoreBase, type DataStoreBase, type DataStorePlacement } from "./data-store-base";
import type { CacheSettings } from "../settings/cache";

/** How an application reaches the cache. The token is a secret. */
export interface CacheConnection {
  /** Primary endpoint host name (writes). */
  readonly host: string;
  /** Reader endpoint host name (reads spread over replicas). */
  readonly readerHost: string;
  /** TCP port. */
  readonly port: number;
  /** AUTH token, a secret. */
  readonly authToken: string;
  /** In-transit encryption is on: clients must connect with TLS (`rediss://`). */
  readonly tlsRequired: true;
}

/**
 * Arguments of {@link Cache}: the cache settings (settings/cache.ts), its replication
 * group id and where it sits.
 */
export type CacheArgs = CacheSettings &
  DataStorePlacement & {
    /** Replication group id (lower case, at most 40 characters), e.g. `slipway-production`. */
    readonly replicationGroupId: string;
  };

/** ElastiCache Redis with its key, subnet group, security group and parameter group. */
export class Cache extends pulumi.ComponentResource {
  /** Primary endpoint host name. */
  public readonly host: pulumi.Output<string>;
  /** TCP port. */
  public readonly port: number;
  /** The cache's security group (for extra client rules). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Everything an application needs to connect; the token is a secret. */
  public readonly connection: pulumi.Output<CacheConnection>;

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:aws:Cache", name, {}, opts);
    const port = 6379;
    if (args.multiAz && args.numCacheClusters < 2) {
      throw new pulumi.ResourceError(`multiAz needs 2 or more cache clusters, got ${args.numCacheClusters}`, this);
    }
    const base = createDataStoreBase(
      {
        name,
        engine: "elasticache",
        identifier: args.replicationGroupId,
        keyAlias: `${args.replicationGroupId}-cache`,
        keyDescription: `At-rest encryption of ElastiCache ${args.replicationGroupId}`,
        securityGroupDescription: `Redis ${args.replicationGroupId}`,
        subnetIds: args.subnetIds,
        vpcId: args.vpcId,
        port,
        clients: args.clientSecurityGroupIds ?? {},
        protect: args.protect,
        family: `redis${args.engineVersion.split(".")[0]}`,
        parameters: [
          { name: "maxmemory-policy", value: args.tuning.maxmemoryPolicy },
          { name: "tcp-keepalive", value: String(args.tuning.tcpKeepaliveSeconds) },
          { name: "timeout", value: String(args.tuning.idleTimeoutSeconds) },
        ],
      },
      this,
    );
    // ElastiCache refuses '/', '"' and '@' in a token; these specials are all accepted.
    const authToken = new random.RandomPassword(
      `${name}-auth-token`,
      { length: 64, special: true, overrideSpecial: "!&#$^<>-" },
      { parent: this },
    );
    const group = this.replicationGroup(name, args, base, authToken, port);
    this.host = group.primaryEndpointAddress;
    this.port = port;
    this.securityGroupId = base.securityGroup.id;
    this.connection = pulumi
      .all([group.primaryEndpointAddress, group.readerEndpointAddress, pulumi.secret(authToken.result)])
      .apply(([host, readerHost, token]) => ({ host, readerHost, port, authToken: token, tlsRequired: true as const }));
    this.registerOutputs({
      host: this.host,
      port: this.port,
      securityGroupId: this.securityGroupId,
      connection: this.connection,
    });
  }

  /** The replication group: encrypted both ways, failover with two nodes, snapshots, slow log to CloudWatch. */
  private replicationGroup(
    name: string,
    args: CacheArgs,
    base: DataStoreBase,
    authToken: random.RandomPassword,
    port: number,
  ): aws.elasticache.ReplicationGroup {
    // AWS keeps a final snapshot after the group is deleted, so a fixed name would make the
    // next teardown of a re-created stack fail on the name the first one left
    // (ElastiCache DeleteReplicationGroup: FinalSnapshotIdentifier must not exist yet).
    const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent: this });
    const slowLog = new aws.cloudwatch.LogGroup(
      `${name}-slow-log`,
      { retentionInDays: args.slowLogRetentionDays, tags: { Name: `${name}-slow-log` } },
      { parent: this },
    );
    return new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        replicationGroupId: args.replicationGroupId,
        description: `Redis of ${args.replicationGroupId}`,
        engine: "redis",
        engineVersion: args.engineVersion,
        nodeType: args.nodeType,
        numCacheClusters: args.numCacheClusters,
        automaticFailoverEnabled: args.numCacheClusters >= 2,
        multiAzEnabled: args.multiAz,
        port,
        subnetGroupName: base.subnetGroupName,
        securityGroupIds: [base.securityGroup.id],
        parameterGroupName: base.parameterGroupName,
        atRestEncryptionEnabled: true,
        kmsKeyId: base.key.arn,
        transitEncryptionEnabled: true,
        authToken: pulumi.secret(authToken.result),
        // ROTATE keeps the old token valid beside the new one, so a rotation drops no client.
        authTokenUpdateStrategy: "ROTATE",
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: args.snapshotRetentionDays,
        snapshotWindow: args.snapshotWindow,
        maintenanceWindow: args.maintenanceWindow,
        finalSnapshotIdentifier: pulumi.interpolate`${args.replicationGroupId}-final-${snapshotSuffix.hex}`,
        logDeliveryConfigurations: [
          { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        ],
        tags: { Name: args.replicationGroupId },
      },
      { parent: this, protect: args.protect },
    );
  }
}
