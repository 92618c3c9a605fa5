/**
 * Settings of the database domain, `slipway:database`: RDS for PostgreSQL, its schema,
 * defaults and rules. {@link DatabaseSettings} is what the Database component is built from.
 */
import { z } from "zod";
import {
  POSTGRES_TUNABLES,
  DEFAULT_TUNING,
  toRdsValue,
  tuningProblems,
  type TunableName,
} from "../lib/postgres-parameters";
import {
  dailyMinutes,
  dailyOverlapsWeekly,
  dailyWindow,
  fromCatalogue,
  strictObject,
  weeklyMinutes,
  weeklyWindow,
} from "./common";
import {
  instanceClassMemoryBytes,
  instanceClassProblem,
  POSTGRES_MAJORS,
  postgresVersionProblem,
  RDS_CATALOGUE_NOTES,
  RESERVED_DATABASE_NAMES,
} from "../lib/rds-postgres";

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

/** Where the master password comes from: `@pulumi/random` (a Pulumi secret), or RDS, which keeps it in Secrets Manager. */
export const MASTER_CREDENTIALS = ["random", "secretsManager"] as const;
/**
 * Where the master password comes from.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
export type MasterCredentials = (typeof MASTER_CREDENTIALS)[number];

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
  /**
   * An RDS for PostgreSQL instance class in Slipway's catalogue (lib/rds-postgres.ts), e.g. `db.r6g.xlarge`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html
   */
  instanceClass: fromCatalogue((name) => instanceClassProblem(name, undefined), RDS_CATALOGUE_NOTES.instanceClass),
  /**
   * Initial storage, gp3.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html
   */
  allocatedStorageGiB: z.int().min(20, "gp3 storage starts at 20 GiB").max(65536),
  /**
   * Storage autoscaling ceiling; at least `allocatedStorageGiB`.
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
   */
  maxAllocatedStorageGiB: z.int().max(65536),
  /**
   * A standby in a second AZ. @default true
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
   */
  multiAz: z.boolean().default(true),
  /**
   * Days automated backups are kept (1..35). @default 7
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
   */
  backupRetentionDays: z
    .int()
    .min(1, "must be 1..35: 0 turns automated backups off")
    .max(35, "must be 1..35 (RDS keeps at most 35 days)")
    .default(7),
  /** Daily backup window, UTC, 30 minutes at least, apart from the maintenance window. @default "03:00-04:00" */
  backupWindow: dailyWindow.default("03:00-04:00"),
  /** Weekly maintenance window, UTC, 30 minutes at least. @default "sun:04:00-sun:05:00" */
  maintenanceWindow: weeklyWindow.default("sun:04:00-sun:05:00"),
  /**
   * RDS deletion protection. @default true
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection
   */
  deletionProtection: z.boolean().default(true),
  /** Pulumi `protect` on the instance and its KMS key. @default true */
  protect: z.boolean().default(true),
  /** Name of the database created at launch; not one PostgreSQL or RDS keeps for itself (lib/rds-postgres.ts). @default "app" */
  databaseName: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
      message: "must start with a letter and hold only letters, digits and _ (63 at most)",
    })
    .refine((name) => !(RESERVED_DATABASE_NAMES as readonly string[]).includes(name.toLowerCase()), {
      message: `is a database PostgreSQL or RDS keeps for itself (${RESERVED_DATABASE_NAMES.join(", ")}); name the application's own database, like app`,
    })
    .default("app"),
  /** Master user name; not one RDS keeps for itself. @default "slipway_admin" */
  masterUsername: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, { message: "must start with a letter and hold only letters, digits and _" })
    .refine(
      (name) => !["postgres", "rdsadmin", "admin"].includes(name.toLowerCase()),
      "is reserved by RDS; pick another name",
    )
    .default("slipway_admin"),
  /** Where the master password comes from ({@link MasterCredentials}). @default "random" */
  masterCredentials: z.enum(MASTER_CREDENTIALS).default("random"),
  /** PostgreSQL tuning in people's units (`256MB`), converted to RDS's (lib/postgres-parameters.ts). @default - the runbooks' tuning */
  tuning: tuningSchema,
  /** Statements slower than this are logged; -1 turns it off. @default 1000 */
  logMinDurationStatementMs: z.int().min(-1).default(1000),
  /**
   * Performance Insights retention: 7, or a multiple of 31 up to 731. @default 7
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.cost.html
   */
  performanceInsightsRetentionDays: z
    .int()
    .refine((d) => d === 7 || (d % 31 === 0 && d >= 31 && d <= 731), "must be 7, or a multiple of 31 up to 731")
    .default(7),
  /**
   * Enhanced Monitoring interval; 0 turns it off. @default 60
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html
   */
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

/** `slipway:database` after validation and defaults. */
export type DatabaseSettings = z.infer<typeof databaseSchema>;
