/**
 * Settings of the cache domain, `slipway:cache`: ElastiCache for Redis OSS, its schema,
 * defaults and rules. {@link CacheSettings} is what the Cache component is built from.
 */
import { z } from "zod";
import {
  dailyMinutes,
  dailyOverlapsWeekly,
  dailyWindow,
  fromCatalogue,
  logRetentionDays,
  strictObject,
  weeklyMinutes,
  weeklyWindow,
} from "./common";
import { cacheNodeTypeProblem, ELASTICACHE_CATALOGUE_NOTES, redisVersionProblem } from "../lib/elasticache";

/** Eviction policies Redis accepts. */
export const REDIS_EVICTION_POLICIES = [
  "volatile-lru",
  "allkeys-lru",
  "volatile-lfu",
  "allkeys-lfu",
  "volatile-random",
  "allkeys-random",
  "volatile-ttl",
  "noeviction",
] as const;

/** `slipway:cache` as written in the stack file. */
export const cacheSchema = strictObject({
  /** A Redis OSS 7 version ElastiCache offers (lib/elasticache.ts), quoted: `"7.1"`. */
  engineVersion: fromCatalogue(redisVersionProblem, ELASTICACHE_CATALOGUE_NOTES.engineVersion),
  /** An ElastiCache node type in Slipway's catalogue (lib/elasticache.ts), e.g. `cache.r6g.large`. */
  nodeType: fromCatalogue(cacheNodeTypeProblem, ELASTICACHE_CATALOGUE_NOTES.nodeType),
  /** Primary plus replicas (1..6); two or more turn on automatic failover. */
  numCacheClusters: z.int().min(1).max(6),
  /**
   * Replicas in other AZs than the primary; needs 2 or more cache clusters. @default true
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
   */
  multiAz: z.boolean().default(true),
  /**
   * Days snapshots are kept; 0 turns snapshots off. @default 7
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html
   */
  snapshotRetentionDays: z.int().min(0).max(35, "must be 0..35").default(7),
  /** Daily snapshot window, UTC, 60 minutes at least, apart from the maintenance window. @default "05:00-06:00" */
  snapshotWindow: dailyWindow.default("05:00-06:00"),
  /** Weekly maintenance window, UTC, 60 minutes at least. @default "sun:06:00-sun:07:00" */
  maintenanceWindow: weeklyWindow.default("sun:06:00-sun:07:00"),
  /**
   * Days the slow log is kept in CloudWatch Logs. @default 30
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Log_Delivery.html
   */
  slowLogRetentionDays: logRetentionDays.default(30),
  /** Pulumi `protect` on the replication group and its KMS key. @default true */
  protect: z.boolean().default(true),
  /**
   * The runbooks' Redis tuning, set in the parameter group.
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html#ParameterGroups.Redis
   */
  tuning: strictObject({
    /** Eviction policy when memory is full. @default "allkeys-lru" */
    maxmemoryPolicy: z.enum(REDIS_EVICTION_POLICIES).default("allkeys-lru"),
    /** Seconds between TCP keepalives (`tcp-keepalive`). @default 60 */
    tcpKeepaliveSeconds: z.int().min(0).default(60),
    /** Seconds before an idle client is closed (`timeout`). @default 300 */
    idleTimeoutSeconds: z.int().min(0).default(300),
  }).prefault({}),
}).superRefine((cache, ctx) => {
  // ElastiCache: "The minimum maintenance window is a 60 minute period"
  // (API, ModifyReplicationGroup, PreferredMaintenanceWindow).
  const maintenance = weeklyMinutes(cache.maintenanceWindow);
  if (maintenance.length < 60) {
    ctx.addIssue({
      code: "custom",
      path: ["maintenanceWindow"],
      message: `is ${maintenance.length} minutes; ElastiCache needs at least 60`,
    });
  }
  // ElastiCache answers "Snapshot window must be at least 60 minutes" (InvalidParameterValue,
  // quoted in hashicorp/terraform-provider-aws#2153) and "The snapshot window and maintenance
  // window must not overlap" (hashicorp/terraform#17247), backups on or off. The overlap
  // test is RDS's (backup against maintenance window), on the same kinds of windows.
  const snapshot = dailyMinutes(cache.snapshotWindow);
  if (snapshot.length < 60) {
    ctx.addIssue({
      code: "custom",
      path: ["snapshotWindow"],
      message: `is ${snapshot.length} minutes; ElastiCache needs at least 60`,
    });
  }
  if (dailyOverlapsWeekly(snapshot, maintenance)) {
    ctx.addIssue({
      code: "custom",
      path: ["snapshotWindow"],
      message: `overlaps the maintenance window ${cache.maintenanceWindow}; ElastiCache refuses a snapshot window that does`,
    });
  }
  if (cache.multiAz && cache.numCacheClusters < 2) {
    ctx.addIssue({
      code: "custom",
      path: ["numCacheClusters"],
      message: `${cache.numCacheClusters} cannot fail over: multiAz needs 2 or more cache clusters (or set multiAz: false)`,
    });
  }
});

/** `slipway:cache` after validation and defaults. */
export type CacheSettings = z.infer<typeof cacheSchema>;
