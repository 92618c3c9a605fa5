/**
 * `plan --base`: runs the program as it was at another git revision, in a temporary
 * worktree, so code, stack file and channels come back together (the worktree borrows
 * this checkout's node_modules, a symlink, so no install is needed), and reviews the
 * working tree's change against it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { costDelta, renderCostDelta } from "../cost/render";
import { addWorktree, isCommit } from "../git-worktree";
import type { ProgramRecord } from "../../harness/record";
import { ProgramError, runProgram } from "../../harness/run";
import { stackCost, type CostResult } from "./cost";
import { diffRecords, diffSummary, renderDiff } from "./diff";
import { assessDataLoss, replacements } from "./replacement";
import { planSteps } from "./steps";
import { PROJECT_ROOT } from "../../lib/project-root";

/** Throws a ProgramError unless `ref` names a commit of the repository. */
export function assertRevision(repoDir: string, ref: string): void {
  if (!isCommit(repoDir, ref)) throw new ProgramError(`--base ${ref}: no such revision in ${repoDir}`);
}

/** Runs `stack` of the program at `ref` of the repository in `repoDir`. */
export async function recordAtRevision(repoDir: string, ref: string, stack: string): Promise<ProgramRecord> {
  assertRevision(repoDir, ref);
  const worktree = addWorktree(repoDir, ref);
  try {
    if (!fs.existsSync(path.join(worktree.dir, "infra", "index.ts"))) {
      throw new ProgramError(`--base ${ref}: that revision has no infra/index.ts`);
    }
    return await runProgram({ stack, projectDir: worktree.dir, programDir: worktree.dir });
  } catch (error) {
    // Say which side failed: an error of the base revision is not one of the working tree.
    throw new ProgramError(`--base ${ref}: the program at that revision does not run: ${(error as Error).message}`);
  } finally {
    worktree.remove();
  }
}

/**
 * The --base review of `record` (the working tree's run of `stack`): what changes against
 * `ref`, step by step, what of it loses data, and what it costs per month.
 */
export async function againstBase(
  record: ProgramRecord,
  stack: string,
  ref: string,
  cost: CostResult,
  costDate?: string,
) {
  const before = await recordAtRevision(PROJECT_ROOT, ref, stack);
  const diff = diffRecords(before, record);
  const replacing = replacements(diff, record);
  const replaced = new Set(replacing.keys());
  const steps = planSteps(diff, replacing, record);
  const opOf = new Map(steps.map((s) => [s.urn, s.op]));
  const beforeCost = stackCost(before, costDate);
  const delta =
    "estimate" in cost && "estimate" in beforeCost ? costDelta(beforeCost.estimate, cost.estimate) : undefined;
  return {
    costDelta: delta,
    costText: delta ? renderCostDelta(delta, stack, ref) : undefined,
    added: diff.added.map((r) => r.urn),
    removed: diff.removed.map((r) => r.urn),
    changed: diff.changed.map((c) => ({
      urn: c.after.urn,
      op: opOf.get(c.after.urn),
      paths: c.paths.map((p) => p.path),
    })),
    steps,
    risks: assessDataLoss(diff, undefined, { before, after: record }),
    summary: diffSummary(diff, replaced),
    text: renderDiff(diff, ref, "the working tree", replaced, record),
  };
}
