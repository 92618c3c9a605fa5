/**
 * One timed command for bench/run.ts: the wall time from spawning it to its exit, as the
 * person who typed it waits, and the peak memory of it and every process it starts.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";

/** What one timed command did. */
export interface TimedRun {
  /** Milliseconds from spawn to exit. */
  readonly ms: number;
  /**
   * Peak resident memory in MiB: the sum over the process and its descendants of each one's
   * own peak (VmHWM), sampled every {@link SAMPLE_MS}; undefined where /proc is not there.
   */
  readonly peakMiB: number | undefined;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How often the process tree's memory is read: often enough for runs of a second, rarely enough to cost nothing. */
const SAMPLE_MS = 50;

/** What to run. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves when the run has reached its end, if that is before the process exits (a server's port). */
  readonly until?: (stdout: string) => boolean;
}

/**
 * Runs the command to its exit (or to `until`, then ends it) and times it. Asynchronous on
 * purpose: the bench serves the program's engine from this process while it runs.
 */
export function timed(run: Command): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(run.command, run.args, {
      cwd: run.cwd,
      env: run.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const peaks = new Map<number, number>();
    const sample = () => child.pid !== undefined && samplePeaks(child.pid, peaks);
    const sampler = setInterval(sample, SAMPLE_MS);
    let stdout = "";
    let stderr = "";
    let ended: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (ended === undefined && run.until?.(stdout)) {
        ended = performance.now();
        sample();
        child.kill();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on("close", (code) => {
      clearInterval(sampler);
      const ms = Math.round((ended ?? performance.now()) - started);
      const peakKiB = [...peaks.values()].reduce((sum, kib) => sum + kib, 0);
      resolve({
        ms,
        peakMiB: peaks.size > 0 ? Math.round(peakKiB / 1024) : undefined,
        code: ended ? 0 : code,
        stdout,
        stderr,
      });
    });
  });
}

/** Reads the peak resident memory (VmHWM) of `pid` and its descendants into `peaks`, by pid. */
function samplePeaks(pid: number, peaks: Map<number, number>): void {
  const status = readOrUndefined(`/proc/${pid}/status`);
  if (status === undefined) return;
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  if (hwm !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, Number(hwm)));
  for (const task of readdirOrEmpty(`/proc/${pid}/task`)) {
    const children = readOrUndefined(`/proc/${pid}/task/${task}/children`) ?? "";
    for (const child of children.split(" ").filter(Boolean)) samplePeaks(Number(child), peaks);
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
