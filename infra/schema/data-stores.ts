/** Schemas of `slipway:database` (RDS PostgreSQL) and `slipway:cache` (ElastiCache Redis). */
import { z } from "zod";
import {
  POSTGRES_TUNABLES,
  DEFAULT_TUNING,
  toRdsValue,
  tuningProblems,
  type TunableName,
} from "../../lib/postgres-parameters";
import { logRetentionDays, strictObject } from "./common";
import {
  instanceClassMemoryBytes,
  instanceClassProblem,
  POSTGRES_MAJORS,
  postgresVersionProblem,
  RDS_CATALOGUE_NOTES,
  RESERVED_DATABASE_NAMES,
} from "../../lib/rds-postgres";
import { cacheNodeTypeProblem, ELASTICACHE_CATALOGUE_NOTES, redisVersionProblem } from "../../lib/elasticache";

/** A string checked against a catalogue: one issue, the catalogue's own words, when it is not in it. */
const fromCatalogue = (problem: (value: string) => string | undefined, note: string) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .describe(note);

const dailyWindow = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a UTC window like 03:00-04:00" });
const weeklyWindow = z
  .string()
  .regex(
    /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
    {
      message: "must be a UTC window like sun:04:00-sun:05:00",
    },
  );

const tunableValue = z.union([z.string(), z.number()]);
const tuningShape = Object.fromEntries(
  (Object.keys(POSTGRES_TUNABLES) as TunableName[]).map((name) => [name, tunableValue.default(DEFAULT_TUNING[name])]),
) as Record<TunableName, z.ZodDefault<typeof tunableValue>>;

/** PostgreSQL tuning in people's units; every value converts to the parameter's RDS unit. */
const tuningSchema = strictObject(tuningShape)
  .prefault({})
  .superRefine((tuning, ctx) => {
    for (const name of Object.keys(POSTGRES_TUNABLES) as TunableName[]) {
      const converted = toRdsValue(name, tuning[name]);
      if (typeof converted !== "string") ctx.addIssue({ code: "custom", path: [name], message: converted.error });
    }
  });

/** `slipway:database` as written in the stack file. */
export const databaseSchema = strictObject({
  /** Major (`"15"`, RDS picks the minor) or major.minor (`"15.8"`) of a release RDS shipped (lib/rds-postgres.ts). */
  engineVersion: z
    .string()
    .regex(/^\d+(\.\d+)?$/, {
      message: `must be a PostgreSQL major version ${POSTGRES_MAJORS[0]}..${POSTGRES_MAJORS.at(-1)}, optionally with its minor, as a quoted string ("15" or "15.8")`,
    })
    .superRefine((version, ctx) => {
      const message = /^\d+(\.\d+)?$/.test(version) ? postgresVersionProblem(version) : undefined;
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .describe(RDS_CATALOGUE_NOTES.engineVersion),
  /** An RDS for PostgreSQL instance class in Slipway's catalogue (lib/rds-postgres.ts), e.g. `db.r6g.xlarge`. */
  instanceClass: fromCatalogue((name) => instanceClassProblem(name, undefined), RDS_CATALOGUE_NOTES.instanceClass),
  allocatedStorageGiB: z.int().min(20, "gp3 storage starts at 20 GiB").max(65536),
  maxAllocatedStorageGiB: z.int().max(65536),
  /** @default true */
  multiAz: z.boolean().default(true),
  /** @default 7 */
  backupRetentionDays: z
    .int()
    .min(1, "must be 1..35: 0 turns automated backups off")
    .max(35, "must be 1..35 (RDS keeps at most 35 days)")
    .default(7),
  /** @default "03:00-04:00" */
  backupWindow: dailyWindow.default("03:00-04:00"),
  /** @default "sun:04:00-sun:05:00" */
  maintenanceWindow: weeklyWindow.default("sun:04:00-sun:05:00"),
  /** @default true */
  deletionProtection: z.boolean().default(true),
  /** @default true */
  protect: z.boolean().default(true),
  /** Not one PostgreSQL or RDS keeps for itself (lib/rds-postgres.ts). @default "app" */
  databaseName: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
      message: "must start with a letter and hold only letters, digits and _ (63 at most)",
    })
    .refine((name) => !(RESERVED_DATABASE_NAMES as readonly string[]).includes(name.toLowerCase()), {
      message: `is a database PostgreSQL or RDS keeps for itself (${RESERVED_DATABASE_NAMES.join(", ")}); name the application's own database, like app`,
    })
    .default("app"),
  /** @default "slipway_admin" */
  masterUsername: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, { message: "must start with a letter and hold only letters, digits and _" })
    .refine(
      (name) => !["postgres", "rdsadmin", "admin"].includes(name.toLowerCase()),
      "is reserved by RDS; pick another name",
    )
    .default("slipway_admin"),
  /** @default "random" */
  masterCredentials: z.enum(["random", "secretsManager"]).default("random"),
  /** @default - the runbooks' tuning */
  tuning: tuningSchema,
  /** @default 1000 */
  logMinDurationStatementMs: z.int().min(-1).default(1000),
  /** @default 7 */
  performanceInsightsRetentionDays: z
    .int()
    .refine((d) => d === 7 || (d % 31 === 0 && d >= 31 && d <= 731), "must be 7, or a multiple of 31 up to 731")
    .default(7),
  /** @default 60 */
  monitoringIntervalSeconds: z.literal([0, 1, 5, 10, 15, 30, 60]).default(60),
}).superRefine((db, ctx) => {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: "custom", path, message });
  if (db.maxAllocatedStorageGiB < db.allocatedStorageGiB) {
    issue(
      ["maxAllocatedStorageGiB"],
      `${db.maxAllocatedStorageGiB} is below allocatedStorageGiB ${db.allocatedStorageGiB}; storage can only grow`,
    );
  }
  // A class or version missing from its catalogue is reported at its field; here only the pair.
  if (instanceClassProblem(db.instanceClass, undefined) === undefined && !postgresVersionProblem(db.engineVersion)) {
    const classProblem = instanceClassProblem(db.instanceClass, db.engineVersion);
    if (classProblem) issue(["instanceClass"], classProblem);
  }
  for (const { name, message } of tuningProblems(db.tuning, instanceClassMemoryBytes(db.instanceClass))) {
    issue(["tuning", name], message);
  }
  // RDS: the backup window "must be at least 30 minutes" and "must not conflict with the
  // preferred maintenance window"; the maintenance window must be 30 minutes at least
  // (RDS API, CreateDBInstance, PreferredBackupWindow / PreferredMaintenanceWindow).
  const backup = dailyMinutes(db.backupWindow);
  const maintenance = weeklyMinutes(db.maintenanceWindow);
  if (backup.length < 30) issue(["backupWindow"], `is ${backup.length} minutes; RDS needs at least 30`);
  if (maintenance.length < 30) issue(["maintenanceWindow"], `is ${maintenance.length} minutes; RDS needs at least 30`);
  if (dailyOverlapsWeekly(backup, maintenance)) {
    issue(
      ["backupWindow"],
      `overlaps the maintenance window ${db.maintenanceWindow}; RDS refuses a backup window that does`,
    );
  }
});

/** A window as minutes from its start and its length. */
interface Window {
  readonly start: number;
  readonly length: number;
}
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEK = 7 * 24 * 60;

/** `03:00-04:00` as minutes of the day (a window may cross midnight). */
function dailyMinutes(text: string): Window {
  const [from = "", to = ""] = text.split("-");
  return { start: minutesOf(from), length: (minutesOf(to) - minutesOf(from) + 1440) % 1440 };
}

/** `sun:04:00-sun:05:00` as minutes of the week (a window may cross the week's end). */
function weeklyMinutes(text: string): Window {
  const at = (part: string) => DAYS.indexOf(part.slice(0, 3)) * 1440 + minutesOf(part.slice(4));
  const [from, to] = [text.slice(0, 9), text.slice(10)];
  return { start: at(from), length: (at(to) - at(from) + WEEK) % WEEK };
}

/** True when a daily window, on any day, shares a minute with a weekly one. */
function dailyOverlapsWeekly(daily: Window, weekly: Window): boolean {
  return DAYS.some((_, day) => {
    const start = day * 1440 + daily.start;
    const a = [start, start + daily.length] as const;
    // Compare on the week's circle: shift the weekly window by a week either way.
    return [-WEEK, 0, WEEK].some((shift) => {
      const b = [weekly.start + shift, weekly.start + shift + weekly.length] as const;
      return a[0] < b[1] && b[0] < a[1];
    });
  });
}

/** `slipway:database` after validation and defaults. */
export type DatabaseSettings = z.infer<typeof databaseSchema>;

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
  numCacheClusters: z.int().min(1).max(6),
  /** @default true */
  multiAz: z.boolean().default(true),
  /** @default 7 */
  snapshotRetentionDays: z.int().min(0).max(35, "must be 0..35").default(7),
  /** @default "05:00-06:00" */
  snapshotWindow: dailyWindow.default("05:00-06:00"),
  /** @default "sun:06:00-sun:07:00" */
  maintenanceWindow: weeklyWindow.default("sun:06:00-sun:07:00"),
  /** @default 30 */
  slowLogRetentionDays: logRetentionDays.default(30),
  /** @default true */
  protect: z.boolean().default(true),
  tuning: strictObject({
    /** @default "allkeys-lru" */
    maxmemoryPolicy: z.enum(REDIS_EVICTION_POLICIES).default("allkeys-lru"),
    /** @default 60 */
    tcpKeepaliveSeconds: z.int().min(0).default(60),
    /** @default 300 */
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
