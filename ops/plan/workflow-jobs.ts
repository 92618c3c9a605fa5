/**
 * The workflow jobs that act on a stack, read from `.github/workflows/*.yml`: which stack
 * each runs Pulumi against, the runner it asks for, the role it assumes and its steps.
 * The access-path check (access-paths.ts) treats each as an actor.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { stackArgument } from "./access-needs";

/** One step of a job, as written. */
export interface WorkflowStep {
  /** Its position in the job, from 1. */
  readonly number: number;
  /** Its `name:`, or what it runs or uses. */
  readonly label: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}

/** A job, for one stack it acts on (a matrix job once per stack). */
export interface WorkflowJob {
  /** The workflow file, e.g. `deploy.yml`. */
  readonly file: string;
  /** The job's id. */
  readonly job: string;
  /** The stack its steps run Pulumi against. */
  readonly stack: string;
  /** Its `runs-on` label, the matrix expanded. */
  readonly runsOn: string;
  /** The repository variable its `role-to-assume` names, e.g. `AWS_DEPLOY_ROLE_ARN`. */
  readonly roleVariable?: string;
  /** Its steps, the matrix expanded. */
  readonly steps: readonly WorkflowStep[];
}

interface RawJob {
  readonly "runs-on"?: unknown;
  readonly strategy?: { readonly matrix?: { readonly stack?: unknown } };
  readonly steps?: ReadonlyArray<Record<string, unknown>>;
}

/** Replaces `${{ matrix.stack }}` in every string of a value. */
function expand<T>(value: T, stack: string | undefined): T {
  if (stack === undefined) return value;
  if (typeof value === "string") return value.replace(/\$\{\{\s*matrix\.stack\s*\}\}/g, stack) as T;
  if (Array.isArray(value)) return value.map((v) => expand(v, stack)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, stack)])) as T;
  }
  return value;
}

/** The variable a `role-to-assume: ${{ vars.NAME }}` names. */
function roleVariableOf(steps: readonly WorkflowStep[]): string | undefined {
  for (const step of steps) {
    const role = step.with?.["role-to-assume"];
    const match = typeof role === "string" ? /\$\{\{\s*vars\.([A-Z0-9_]+)\s*\}\}/.exec(role) : null;
    if (match) return match[1];
  }
  return undefined;
}

/** Every job of every workflow in `dir` that runs Pulumi against a stack, once per stack. */
export function workflowJobs(dir: string): WorkflowJob[] {
  if (!fs.existsSync(dir)) return [];
  const jobs: WorkflowJob[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const document = parse(fs.readFileSync(path.join(dir, file), "utf8")) as { jobs?: Record<string, RawJob> } | null;
    for (const [id, raw] of Object.entries(document?.jobs ?? {})) {
      const matrix = raw.strategy?.matrix?.stack;
      const stacks: Array<string | undefined> = Array.isArray(matrix) ? matrix.map(String) : [undefined];
      for (const matrixStack of stacks) {
        const steps = (raw.steps ?? []).map((step, index): WorkflowStep => {
          const s = expand(step, matrixStack) as {
            name?: string;
            run?: string;
            uses?: string;
            with?: Record<string, unknown>;
          };
          return {
            number: index + 1,
            label: s.name ?? s.uses ?? s.run?.split("\n")[0] ?? "",
            run: s.run,
            uses: s.uses,
            with: s.with,
          };
        });
        const stack = steps.map(stackArgument).find((s) => s !== undefined);
        if (stack === undefined) continue;
        jobs.push({
          file,
          job: id,
          stack,
          runsOn: String(expand(raw["runs-on"] ?? "", matrixStack)),
          roleVariable: roleVariableOf(steps),
          steps,
        });
      }
    }
  }
  return jobs;
}
