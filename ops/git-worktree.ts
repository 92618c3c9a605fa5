/**
 * A temporary git worktree at some commit, sharing the repository's node_modules through
 * a symlink, so another revision's program runs without an install. Used by
 * `plan --base` and `slipway rollback`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A checked-out worktree and how to remove it. */
export interface Worktree {
  /** Its directory. */
  readonly dir: string;
  /** Removes it (and its git bookkeeping). */
  readonly remove: () => void;
}

/** True when `ref` names a commit of the repository at `repo`. */
export function isCommit(repo: string, ref: string): boolean {
  try {
    execFileSync("git", ["-C", repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/** Checks `ref` of `repo` out in a new temporary directory. */
export function addWorktree(repo: string, ref: string): Worktree {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-worktree-"));
  execFileSync("git", ["-C", repo, "worktree", "add", "--detach", "--force", dir, ref], { stdio: "pipe" });
  const modules = path.join(dir, "node_modules");
  // A committed node_modules symlink (a throwaway repo's) is already there.
  if (!fs.existsSync(modules)) fs.symlinkSync(fs.realpathSync(path.join(repo, "node_modules")), modules, "dir");
  return {
    dir,
    remove: () => execFileSync("git", ["-C", repo, "worktree", "remove", "--force", dir], { stdio: "pipe" }),
  };
}
