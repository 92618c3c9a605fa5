/**
 * PostgreSQL settings in the units RDS expects. People write `shared_buffers: 256MB`; an
 * RDS parameter group wants the number in the parameter's own unit (8 kB pages for
 * shared_buffers, kB for work_mem, MB for the WAL sizes). Getting this wrong is silent:
 * `shared_buffers = 256` is 2 MB, not 256 MB. Pure module, tested on its own.
 */

/** The unit a PostgreSQL parameter is stored in, or `null` for plain numbers. */
export type ParameterUnit = "8kB" | "kB" | "MB" | null;

/** How RDS applies a change: static parameters need a reboot. */
export type ApplyMethod = "immediate" | "pending-reboot";

/** What Slipway knows about a tunable parameter. */
export interface ParameterSpec {
  /** Unit of the stored value. */
  readonly unit: ParameterUnit;
  /** How RDS applies a change. */
  readonly applyMethod: ApplyMethod;
  /** Smallest value PostgreSQL accepts, in the parameter's unit. */
  readonly min: number;
  /** Largest value PostgreSQL accepts, in the parameter's unit. */
  readonly max: number;
}

const INT_MAX = 2147483647;

/**
 * The tunable parameters and their units and limits in PostgreSQL 15: `unit`, `min_val`
 * and `max_val` of pg_settings, as the PostgreSQL 15 documentation lists them
 * (runtime-config-resource, runtime-config-wal, runtime-config-query). RDS refuses a
 * parameter group value outside them.
 */
export const POSTGRES_TUNABLES = {
  shared_buffers: { unit: "8kB", applyMethod: "pending-reboot", min: 16, max: 1073741823 },
  effective_cache_size: { unit: "8kB", applyMethod: "immediate", min: 1, max: INT_MAX },
  maintenance_work_mem: { unit: "kB", applyMethod: "immediate", min: 1024, max: INT_MAX },
  checkpoint_completion_target: { unit: null, applyMethod: "immediate", min: 0, max: 1 },
  wal_buffers: { unit: "8kB", applyMethod: "pending-reboot", min: -1, max: 262143 },
  default_statistics_target: { unit: null, applyMethod: "immediate", min: 1, max: 10000 },
  random_page_cost: { unit: null, applyMethod: "immediate", min: 0, max: Number.MAX_VALUE },
  effective_io_concurrency: { unit: null, applyMethod: "immediate", min: 0, max: 1000 },
  work_mem: { unit: "kB", applyMethod: "immediate", min: 64, max: INT_MAX },
  min_wal_size: { unit: "MB", applyMethod: "immediate", min: 2, max: INT_MAX },
  max_wal_size: { unit: "MB", applyMethod: "immediate", min: 2, max: INT_MAX },
} as const satisfies Record<string, ParameterSpec>;

/** Name of a tunable parameter. */
export type TunableName = keyof typeof POSTGRES_TUNABLES;

/** Tuning as people write it: sizes with a unit (`256MB`), plain numbers otherwise. */
export type PostgresTuning = { readonly [name in TunableName]: string | number };

/** The runbooks' tuning, the default. */
export const DEFAULT_TUNING: PostgresTuning = {
  shared_buffers: "256MB",
  effective_cache_size: "1GB",
  maintenance_work_mem: "64MB",
  checkpoint_completion_target: 0.9,
  wal_buffers: "16MB",
  default_statistics_target: 100,
  random_page_cost: 1.1,
  effective_io_concurrency: 200,
  work_mem: "4MB",
  min_wal_size: "1GB",
  max_wal_size: "4GB",
};

const BYTES: Record<string, number> = { kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
const UNIT_BYTES: Record<Exclude<ParameterUnit, null>, number> = { "8kB": 8 * 1024, kB: 1024, MB: 1024 ** 2 };

/** Parses `256MB`-style sizes (PostgreSQL's units: kB, MB, GB, TB, powers of 1024) into bytes. */
export function parseSize(text: string): number | undefined {
  const [, amount, unit] = /^(\d+)(kB|MB|GB|TB)$/.exec(text) ?? [];
  const factor = unit === undefined ? undefined : BYTES[unit];
  return factor === undefined ? undefined : Number(amount) * factor;
}

/** One parameter as an RDS parameter group takes it. */
export interface RdsParameter {
  /** Parameter name. */
  readonly name: string;
  /** Value in the parameter's own unit, as a string. */
  readonly value: string;
  /** How RDS applies it. */
  readonly applyMethod: ApplyMethod;
}

/**
 * Converts one tunable to its RDS value. Returns an error message when the value has no
 * unit where one is needed, a unit where none belongs, or is not a whole number of units.
 */
export function toRdsValue(name: TunableName, value: string | number): string | { error: string } {
  const { unit } = POSTGRES_TUNABLES[name];
  if (unit === null) {
    if (typeof value !== "number") return { error: `${name} takes a plain number, not "${value}"` };
    return inRange(name, value) ?? String(value);
  }
  const bytes = typeof value === "string" ? parseSize(value) : undefined;
  if (bytes === undefined) {
    return { error: `${name} takes a size with a unit, like 64MB (kB, MB, GB, TB), not ${JSON.stringify(value)}` };
  }
  const units = bytes / UNIT_BYTES[unit];
  if (!Number.isInteger(units)) return { error: `${name} ${value} is not a whole number of ${unit} units` };
  return inRange(name, units) ?? String(units);
}

/** An error when a value (in the parameter's unit) is outside what PostgreSQL accepts. */
function inRange(name: TunableName, units: number): { error: string } | undefined {
  const { min, max, unit } = POSTGRES_TUNABLES[name];
  if (units >= min && units <= max) return undefined;
  const show = (n: number) => (unit ? `${n} × ${unit}` : String(n));
  return { error: `${name} is ${show(units)}; PostgreSQL accepts ${show(min)} to ${show(max)}` };
}

/**
 * Problems between parameters, and with the instance class's memory: each a parameter
 * name and a message. `memoryBytes` is the class's memory when known.
 */
export function tuningProblems(
  tuning: PostgresTuning,
  memoryBytes: number | undefined,
): Array<{ name: TunableName; message: string }> {
  const bytes = (name: TunableName) => {
    const value = tuning[name];
    return typeof value === "string" ? parseSize(value) : undefined;
  };
  const problems: Array<{ name: TunableName; message: string }> = [];
  const [minWal, maxWal] = [bytes("min_wal_size"), bytes("max_wal_size")];
  if (minWal !== undefined && maxWal !== undefined && minWal > maxWal) {
    problems.push({
      name: "min_wal_size",
      message: `${String(tuning.min_wal_size)} is above max_wal_size ${String(tuning.max_wal_size)}: checkpoints would come before any WAL is recycled`,
    });
  }
  const shared = bytes("shared_buffers");
  if (memoryBytes !== undefined && shared !== undefined && shared >= memoryBytes) {
    problems.push({
      name: "shared_buffers",
      message: `${String(tuning.shared_buffers)} is not below the instance class's ${memoryBytes / 1024 ** 3} GiB of memory: PostgreSQL would not start`,
    });
  }
  return problems;
}

/** The whole tuning as RDS parameters, in a stable order. Throws on an invalid value (config validates first). */
export function toRdsParameters(tuning: PostgresTuning): RdsParameter[] {
  return (Object.keys(POSTGRES_TUNABLES) as TunableName[]).map((name) => {
    const value = toRdsValue(name, tuning[name]);
    if (typeof value !== "string") throw new Error(value.error);
    return { name, value, applyMethod: POSTGRES_TUNABLES[name].applyMethod };
  });
}
