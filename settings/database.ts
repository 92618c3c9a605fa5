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

/** `slipway:database` after validation and defaults. */
export type DatabaseSettings = z.infer<typeof databaseSchema>;
