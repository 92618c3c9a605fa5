/**
 * Runs the program as it was at another git revision, in a temporary worktree, so code,
 * stack file and channels come back together. The worktree borrows this checkout's
 * node_modules (a symlink), so no install is needed.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ProgramRecord } from "../harness/record";
import { ProgramError, runProgram } from "../harness/run";

/** Throws a ProgramError unless `ref` names a commit of the repository. */
export function assertRevision(repoDir: string, ref: string): void {
  try {
    execFileSync("git", ["-C", repoDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { stdio: "pipe" });
  } catch {
    throw new ProgramError(`--base ${ref}: no such revision in ${repoDir}`);
  }
}

/** Runs `stack` of the program at `ref` of the repository in `repoDir`. */
export async function recordAtRevision(repoDir: string, ref: string, stack: string): Promise<ProgramRecord> {
  assertRevision(repoDir, ref);
  const worktree = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-base-"));
  execFileSync("git", ["-C", repoDir, "worktree", "add", "--detach", "--force", worktree, ref], { stdio: "pipe" });
  try {
    const modules = path.join(worktree, "node_modules");
    if (!fs.existsSync(modules)) fs.symlinkSync(fs.realpathSync(path.join(repoDir, "node_modules")), modules, "dir");
    if (!fs.existsSync(path.join(worktree, "infra", "index.ts"))) {
      throw new ProgramError(`--base ${ref}: that revision has no infra/index.ts`);
    }
    return await runProgram({ stack, projectDir: worktree, programDir: worktree });
  } finally {
    execFileSync("git", ["-C", repoDir, "worktree", "remove", "--force", worktree], { stdio: "pipe" });
  }
}
