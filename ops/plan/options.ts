/**
 * The plan's flags that are wrong together or wrong in value, refused before anything
 * runs: one line each, naming the flag, the value and what is allowed.
 */

/** The flags the checks read. */
export interface PlanFlags {
  readonly json: boolean;
  readonly markdown: boolean;
  readonly base?: string;
  readonly "allow-replace": boolean;
  readonly "cost-date"?: string;
}

/** True when `day` (YYYY-MM-DD) is a day of the calendar: not 2026-13-45, not 2026-02-30. */
export function isCalendarDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls some impossible days over (February 30 into March), so read it back.
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}

/** The first problem of the flags, or undefined when they are fine. */
export function flagProblem(flags: PlanFlags): string | undefined {
  if (flags.json && flags.markdown) {
    return "--markdown with --json: give one output, --json or --markdown (or neither, for text)";
  }
  if (flags["allow-replace"] && flags.base === undefined) {
    return "--allow-replace without --base: it lets through a data-losing change that --base <git-ref> finds; add --base";
  }
  const day = flags["cost-date"];
  if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    return `--cost-date ${day}: give a day as YYYY-MM-DD, like 2026-11-22`;
  }
  if (day !== undefined && !isCalendarDay(day)) {
    return `--cost-date ${day}: there is no such day; give a day of the calendar as YYYY-MM-DD, like 2026-11-22`;
  }
  return undefined;
}
