/**
 * Runs the program as it was at another git revision, in a temporary worktree, so code,
 * stack file and channels come back together. The worktree borrows this checkout's
 * node_modules (a symlink), so no install is needed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { addWorktree, isCommit } from "../git-worktree";
import type { ProgramRecord } from "../harness/record";
import { ProgramError, runProgram } from "../harness/run";

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
