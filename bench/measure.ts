/**
 * How bench/run.ts turns runs into figures: medians of fresh processes, and each figure
 * paired with its yardstick in the same run, alternating, so that the load the machine
 * has at that moment weighs on both.
 */
import { itemAt } from "../lib/item-at";

/** One measured run: wall time and, when known, the peak memory of the process tree. */
export interface Sample {
  readonly ms: number;
  readonly peakMiB?: number | undefined;
}

/** The median of several runs of one command. */
export interface Figure {
  /** What was run, as a person would type it. */
  readonly command: string;
  /** Median wall time. */
  readonly ms: number;
  /** Median peak memory, when measured. */
  readonly peakMiB?: number | undefined;
  /** Every run's time, in order. */
  readonly runsMs: number[];
}

/** A figure and its yardstick, measured in the same run, and their ratio. */
export interface Paired {
  readonly subject: Figure;
  readonly yardstick: Figure;
  /** Median of the per-run ratios subject / yardstick (each pair under the same load). */
  readonly ratio: number;
}

/** The median of some numbers (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return itemAt(sorted, Math.floor(sorted.length / 2), "median of no values");
}

/** A figure from its runs. */
export function figure(command: string, samples: readonly Sample[]): Figure {
  const peaks = samples.flatMap((s) => (s.peakMiB === undefined ? [] : [s.peakMiB]));
  return {
    command,
    ms: median(samples.map((s) => s.ms)),
    peakMiB: peaks.length > 0 ? median(peaks) : undefined,
    runsMs: samples.map((s) => s.ms),
  };
}

/** Runs `subject` and `yardstick` alternately, `runs` times each, and pairs them. */
export async function paired(
  runs: number,
  subject: { command: string; run: () => Promise<Sample> },
  yardstick: { command: string; run: () => Promise<Sample> },
): Promise<Paired> {
  const subjects: Sample[] = [];
  const yardsticks: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    subjects.push(await subject.run());
    yardsticks.push(await yardstick.run());
  }
  return {
    subject: figure(subject.command, subjects),
    yardstick: figure(yardstick.command, yardsticks),
    ratio: round(median(subjects.map((s, i) => s.ms / itemAt(yardsticks, i, "a yardstick per run").ms)), 3),
  };
}

/** Runs `command` `runs` times. */
export async function repeated(runs: number, command: string, run: () => Promise<Sample>): Promise<Figure> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await run());
  return figure(command, samples);
}

/** Least-squares slope and R² of y over x. */
export function linearFit(points: Array<[number, number]>): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssr = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  const sst = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  return { slope, intercept, r2: sst === 0 ? 1 : 1 - ssr / sst };
}

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
