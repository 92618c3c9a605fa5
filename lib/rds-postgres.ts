/**
 * What RDS for PostgreSQL offers that Slipway takes: instance classes (with their memory
 * and the engine majors they run), the engine versions RDS has released, and the database
 * names the engine keeps for itself. Catalogues, not patterns: `db.t4g.mega` and `16.99`
 * are errors with a did-you-mean, not an RDS API error half-way through `pulumi up`.
 */
import { nearest } from "./did-you-mean";

/**
 * The port Slipway's PostgreSQL listens on: the engine's default (RDS User Guide,
 * "Connecting to a DB instance running the PostgreSQL database engine": 5432).
 */
export const POSTGRES_PORT = 5432;

/** One RDS instance class family: memory per size (GiB) and the PostgreSQL majors it runs. */
export interface DbClassFamily {
  readonly memoryGiB: Readonly<Record<string, number>>;
  readonly postgresMajors: readonly number[];
}

/** The PostgreSQL majors Slipway takes; its tuning limits are PostgreSQL 15's (lib/postgres-parameters.ts). */
export const POSTGRES_MAJORS = [13, 14, 15, 16, 17] as const;

/**
 * Sources, consulted 2026-12-07 through stored copies (no live AWS page was reachable).
 * Classes and the engines they run: RDS User Guide, "Supported DB engines for DB instance
 * classes" (classesUrl): each family below runs RDS for PostgreSQL 13 to 17, for some from
 * a minimum minor of each major, which is not recorded here (RDS refuses such a pin
 * itself); that table was not re-read line by line, so check a class before adding it
 * with `aws rds describe-orderable-db-instance-options --engine postgres
 * --db-instance-class <class>`. Memory: RDS User Guide, "Hardware specifications for DB
 * instance classes" (memoryUrl). Versions: see {@link POSTGRES_RELEASES}.
 */
export const RDS_CATALOGUE_SOURCE = {
  classesUrl: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html",
  memoryUrl: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html",
  versionsUrl: "https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html",
  read: "2026-12-07",
} as const;

const T = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
const M_GRAVITON = {
  large: 8,
  xlarge: 16,
  "2xlarge": 32,
  "4xlarge": 64,
  "8xlarge": 128,
  "12xlarge": 192,
  "16xlarge": 256,
};
const R_GRAVITON = {
  large: 16,
  xlarge: 32,
  "2xlarge": 64,
  "4xlarge": 128,
  "8xlarge": 256,
  "12xlarge": 384,
  "16xlarge": 512,
};
const ALL_MAJORS = [...POSTGRES_MAJORS];

/** The instance class families Slipway takes, `db.<family>.<size>`. */
export const RDS_CLASS_FAMILIES: Readonly<Record<string, DbClassFamily>> = {
  t3: { memoryGiB: T, postgresMajors: ALL_MAJORS },
  t4g: { memoryGiB: T, postgresMajors: ALL_MAJORS },
  m5: { memoryGiB: { ...M_GRAVITON, "24xlarge": 384 }, postgresMajors: ALL_MAJORS },
  m6g: { memoryGiB: M_GRAVITON, postgresMajors: ALL_MAJORS },
  m6i: { memoryGiB: { ...M_GRAVITON, "24xlarge": 384, "32xlarge": 512 }, postgresMajors: ALL_MAJORS },
  m7g: { memoryGiB: M_GRAVITON, postgresMajors: ALL_MAJORS },
  r5: { memoryGiB: { ...R_GRAVITON, "24xlarge": 768 }, postgresMajors: ALL_MAJORS },
  r6g: { memoryGiB: R_GRAVITON, postgresMajors: ALL_MAJORS },
  r6i: { memoryGiB: { ...R_GRAVITON, "24xlarge": 768, "32xlarge": 1024 }, postgresMajors: ALL_MAJORS },
  r7g: { memoryGiB: R_GRAVITON, postgresMajors: ALL_MAJORS },
};

/** Every class in the catalogue, `db.r6g.xlarge` style. */
export const RDS_INSTANCE_CLASSES: readonly string[] = Object.entries(RDS_CLASS_FAMILIES).flatMap(([family, f]) =>
  Object.keys(f.memoryGiB).map((size) => `db.${family}.${size}`),
);

/** The catalogues in a few words, for the generated reference (docs/config.md). */
export const RDS_CATALOGUE_NOTES = {
  instanceClass: "from the catalogue in lib/rds-postgres.ts, like db.r6g.xlarge",
  engineVersion: `(a major ${POSTGRES_MAJORS[0]}..${POSTGRES_MAJORS.at(-1)}, or a major.minor RDS shipped: lib/rds-postgres.ts)`,
} as const;

/** The family entry and size of a catalogue class, or undefined. */
function lookup(
  instanceClass: string,
  families: Readonly<Record<string, DbClassFamily>>,
): { family: DbClassFamily; gib: number } | undefined {
  const [prefix, name = "", size = ""] = instanceClass.split(".");
  const family = prefix === "db" ? families[name] : undefined;
  const gib = family?.memoryGiB[size];
  return family && gib !== undefined ? { family, gib } : undefined;
}

/** Memory of a catalogue class in bytes, or undefined when the class is not in the catalogue. */
export function instanceClassMemoryBytes(instanceClass: string): number | undefined {
  const found = lookup(instanceClass, RDS_CLASS_FAMILIES);
  return found ? found.gib * 1024 ** 3 : undefined;
}

/**
 * Why a class cannot run `engineVersion` (not in the catalogue, with the nearest entry; or
 * a major the class does not run), or undefined when it can. Without a version, only
 * whether the class is in the catalogue.
 */
export function instanceClassProblem(
  instanceClass: string,
  engineVersion: string | undefined,
  families: Readonly<Record<string, DbClassFamily>> = RDS_CLASS_FAMILIES,
): string | undefined {
  const found = lookup(instanceClass, families);
  if (!found) {
    const [, name = ""] = instanceClass.split(".");
    const sizes = families[name] ? Object.keys(families[name].memoryGiB) : undefined;
    const candidates = sizes
      ? sizes.map((s) => `db.${name}.${s}`)
      : Object.keys(families).flatMap((f) => Object.keys(families[f]!.memoryGiB).map((s) => `db.${f}.${s}`));
    const known = sizes
      ? `db.${name} comes in ${sizes.join(", ")}`
      : `families: ${Object.keys(families)
          .map((f) => `db.${f}`)
          .join(", ")}`;
    return (
      `is not an RDS for PostgreSQL instance class in Slipway's catalogue; did you mean ${nearest(instanceClass, candidates)}? ${known} ` +
      `(lib/rds-postgres.ts, from ${RDS_CATALOGUE_SOURCE.classesUrl}, read ${RDS_CATALOGUE_SOURCE.read}; add a class there with its source)`
    );
  }
  const major = Number(engineVersion?.split(".")[0]);
  if (engineVersion !== undefined && !found.family.postgresMajors.includes(major)) {
    return (
      `does not run PostgreSQL ${major} (engineVersion "${engineVersion}"): it runs ` +
      `${found.family.postgresMajors.join(", ")} (${RDS_CATALOGUE_SOURCE.classesUrl})`
    );
  }
  return undefined;
}

/**
 * The minor releases RDS has shipped of each major, first to last, as read 2026-12-07 from
 * aws/aws-cdk's copy of the RDS for PostgreSQL release notes (versionsUrl):
 * packages/aws-cdk-lib/aws-rds/lib/instance-engine.ts, PostgresEngineVersion, the stored
 * version that lists 17.9 as the newest. A newer release (RDS ships minors every quarter)
 * is refused until `last` moves on; `aws rds describe-db-engine-versions --engine
 * postgres` says what exists and which can still be created (RDS retires old minors).
 */
export const POSTGRES_RELEASES: Readonly<Record<number, { readonly first: number; readonly last: number }>> = {
  13: { first: 1, last: 23 },
  14: { first: 1, last: 22 },
  15: { first: 2, last: 17 },
  16: { first: 1, last: 13 },
  17: { first: 1, last: 9 },
};

/** Why `"15.8"`-style text is not a PostgreSQL version RDS released, or undefined when it is. */
export function postgresVersionProblem(version: string): string | undefined {
  const [majorText = "", minorText] = version.split(".");
  const major = Number(majorText);
  const releases = POSTGRES_RELEASES[major];
  if (!releases) {
    return `is not a PostgreSQL major version ${POSTGRES_MAJORS[0]}..${POSTGRES_MAJORS.at(-1)}, the majors Slipway takes`;
  }
  if (minorText === undefined) return undefined;
  const minor = Number(minorText);
  if (minor >= releases.first && minor <= releases.last) return undefined;
  const shipped = Array.from(
    { length: releases.last - releases.first + 1 },
    (_, i) => `${major}.${releases.first + i}`,
  );
  return (
    `is not a PostgreSQL ${major} release on RDS; did you mean ${nearest(version, shipped)}? RDS shipped ${major}.${releases.first} to ` +
    `${major}.${releases.last} (lib/rds-postgres.ts, from ${RDS_CATALOGUE_SOURCE.versionsUrl}, read ${RDS_CATALOGUE_SOURCE.read}); ` +
    `write "${major}" to let RDS pick the minor, or check a newer one with aws rds describe-db-engine-versions --engine postgres --engine-version ${version}`
  );
}

/**
 * Database names PostgreSQL and RDS keep for themselves: initdb creates `postgres`,
 * `template0` and `template1` in every cluster (PostgreSQL docs, "Template Databases",
 * https://www.postgresql.org/docs/current/manage-ag-templatedbs.html), and RDS keeps
 * `rdsadmin` on every instance for its own management (RDS User Guide, "Understanding
 * PostgreSQL roles and permissions"). CreateDBInstance's DBName "can't be a word reserved
 * by the database engine" (RDS API Reference, CreateDBInstance).
 */
export const RESERVED_DATABASE_NAMES = ["postgres", "template0", "template1", "rdsadmin"] as const;
