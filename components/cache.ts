/**
 * Redis 7 on ElastiCache: a replication group encrypted at rest (own KMS key) and in
 * transit, behind an auth token that stays a secret, with automatic failover and
 * Multi-AZ once there are two nodes, the runbooks' tuning, snapshots and slow-log delivery.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createEncryptionKey } from "./encryption-key";
import { createPrivateSecurityGroup } from "./private-security-group";

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

/** The runbooks' Redis tuning. */
export interface RedisTuning {
  /** Eviction policy when memory is full. @default "allkeys-lru" */
  readonly maxmemoryPolicy?: string;
  /** Seconds between TCP keepalives. @default 60 */
  readonly tcpKeepaliveSeconds?: number;
  /** Seconds before an idle client is closed. @default 300 */
  readonly idleTimeoutSeconds?: number;
}

/** Arguments of {@link Cache}. */
export interface CacheArgs {
  /** Replication group id (lower case, at most 40 characters), e.g. `slipway-production`. */
  readonly replicationGroupId: string;
  /** VPC for the security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for the subnet group. */
  readonly subnetIds: pulumi.Input<string>[];
  /** Security groups allowed to connect, by role name (`{ nodes: ... }`). @default {} */
  readonly clientSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Redis engine version, e.g. `7.1`. */
  readonly engineVersion: string;
  /** Node type, e.g. `cache.r6g.large`. */
  readonly nodeType: string;
  /** Primary plus replicas (1..6). Two or more turn on automatic failover. */
  readonly numCacheClusters: number;
  /** Replicas in other AZs than the primary; needs 2 or more cache clusters. @default true */
  readonly multiAz?: boolean;
  /** Days snapshots are kept; 0 turns snapshots off. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC. @default "05:00-06:00" */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, UTC. @default "sun:06:00-sun:07:00" */
  readonly maintenanceWindow?: string;
  /** Days slow logs are kept. @default 30 */
  readonly slowLogRetentionDays?: number;
  /** Pulumi `protect` on the replication group and its KMS key. @default true */
  readonly protect?: boolean;
  /** Parameter tuning. @default - the runbooks' */
  readonly tuning?: RedisTuning;
}

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
    const protect = args.protect ?? true;
    const port = 6379;
    const replicated = args.numCacheClusters >= 2;
    const multiAz = args.multiAz ?? true;
    if (multiAz && !replicated) {
      throw new pulumi.ResourceError(`multiAz needs 2 or more cache clusters, got ${args.numCacheClusters}`, this);
    }
    const major = args.engineVersion.split(".")[0];

    const key = createEncryptionKey(
      {
        name: `${name}-key`,
        aliasName: `${args.replicationGroupId}-cache`,
        description: `At-rest encryption of ElastiCache ${args.replicationGroupId}`,
        protect,
        retainOnDelete: true,
      },
      this,
    );
    const subnetGroup = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: `Private subnets of ${args.replicationGroupId}`,
        tags: { Name: `${name}-subnets` },
      },
      { parent: this },
    );
    const securityGroup = createPrivateSecurityGroup(
      {
        name,
        vpcId: args.vpcId,
        port,
        description: `Redis ${args.replicationGroupId}`,
        clients: args.clientSecurityGroupIds ?? {},
      },
      this,
    );
    const parameterGroup = new aws.elasticache.ParameterGroup(
      `${name}-params`,
      {
        family: `redis${major}`,
        description: `Tuning of ${args.replicationGroupId}`,
        parameters: [
          { name: "maxmemory-policy", value: args.tuning?.maxmemoryPolicy ?? "allkeys-lru" },
          { name: "tcp-keepalive", value: String(args.tuning?.tcpKeepaliveSeconds ?? 60) },
          { name: "timeout", value: String(args.tuning?.idleTimeoutSeconds ?? 300) },
        ],
        tags: { Name: `${name}-params` },
      },
      { parent: this },
    );
    // ElastiCache refuses '/', '"' and '@' in a token; these specials are all accepted.
    const authToken = new random.RandomPassword(
      `${name}-auth-token`,
      { length: 64, special: true, overrideSpecial: "!&#$^<>-" },
      { parent: this },
    );
    // AWS keeps a final snapshot after the group is deleted, so a fixed name would make the
    // next teardown of a re-created stack fail on the name the first one left
    // (ElastiCache DeleteReplicationGroup: FinalSnapshotIdentifier must not exist yet).
    const snapshotSuffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, { parent: this });
    const slowLog = new aws.cloudwatch.LogGroup(
      `${name}-slow-log`,
      { retentionInDays: args.slowLogRetentionDays ?? 30, tags: { Name: `${name}-slow-log` } },
      { parent: this },
    );

    const group = new aws.elasticache.ReplicationGroup(
      `${name}-redis`,
      {
        replicationGroupId: args.replicationGroupId,
        description: `Redis of ${args.replicationGroupId}`,
        engine: "redis",
        engineVersion: args.engineVersion,
        nodeType: args.nodeType,
        numCacheClusters: args.numCacheClusters,
        automaticFailoverEnabled: replicated,
        multiAzEnabled: multiAz,
        port,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [securityGroup.id],
        parameterGroupName: parameterGroup.name,
        atRestEncryptionEnabled: true,
        kmsKeyId: key.arn,
        transitEncryptionEnabled: true,
        authToken: pulumi.secret(authToken.result),
        // ROTATE keeps the old token valid beside the new one, so a rotation drops no client.
        authTokenUpdateStrategy: "ROTATE",
        autoMinorVersionUpgrade: true,
        snapshotRetentionLimit: args.snapshotRetentionDays ?? 7,
        snapshotWindow: args.snapshotWindow ?? "05:00-06:00",
        maintenanceWindow: args.maintenanceWindow ?? "sun:06:00-sun:07:00",
        finalSnapshotIdentifier: pulumi.interpolate`${args.replicationGroupId}-final-${snapshotSuffix.hex}`,
        logDeliveryConfigurations: [
          { destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        ],
        tags: { Name: args.replicationGroupId },
      },
      { parent: this, protect },
    );

    this.host = group.primaryEndpointAddress;
    this.port = port;
    this.securityGroupId = securityGroup.id;
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
}
