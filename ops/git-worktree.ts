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

/** Prefix of the temporary directories worktrees are checked out in. */
const WORKTREE_PREFIX = "slipway-worktree-";

/** Worktrees this process has added and not yet removed, removed on a signal too. */
const active = new Map<string, () => void>();
let handlersInstalled = false;

/**
 * On Ctrl-C, SIGTERM or SIGHUP, removes this process's worktrees before exiting with the
 * shell's code for the signal (128 + its number), so an interrupted `plan --base` leaves
 * neither a registered worktree nor a checkout in the temporary folder.
 */
function removeOnSignals(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, number] of [
    ["SIGINT", 2],
    ["SIGTERM", 15],
    ["SIGHUP", 1],
  ] as const) {
    process.once(signal, () => {
      for (const remove of [...active.values()]) {
        try {
          remove();
        } catch {
          // Best effort: the next run's removeStaleWorktrees finishes the job.
        }
      }
      process.exit(128 + number);
    });
  }
}

/** The file beside a worktree's directory that names the process using it. */
const ownerFile = (dir: string) => `${dir}.pid`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes worktrees an earlier run left behind (killed with SIGKILL, or a machine that
 * stopped): Slipway's temporary worktrees whose owning process is gone. Returns their
 * directories.
 */
export function removeStaleWorktrees(repo: string): string[] {
  const listed = execFileSync("git", ["-C", repo, "worktree", "list", "--porcelain"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length));
  const stale = listed.filter((dir) => {
    if (!path.basename(dir).startsWith(WORKTREE_PREFIX)) return false;
    const owner = Number(fs.existsSync(ownerFile(dir)) ? fs.readFileSync(ownerFile(dir), "utf8") : NaN);
    return !Number.isInteger(owner) || !isAlive(owner);
  });
  for (const dir of stale) {
    execFileSync("git", ["-C", repo, "worktree", "remove", "--force", dir], { stdio: "pipe" });
    fs.rmSync(ownerFile(dir), { force: true });
  }
  execFileSync("git", ["-C", repo, "worktree", "prune"], { stdio: "pipe" });
  return stale;
}

/** Checks `ref` of `repo` out in a new temporary directory. */
export function addWorktree(repo: string, ref: string): Worktree {
  removeStaleWorktrees(repo);
  removeOnSignals();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), WORKTREE_PREFIX));
  fs.writeFileSync(ownerFile(dir), String(process.pid));
  const remove = () => {
    active.delete(dir);
    try {
      execFileSync("git", ["-C", repo, "worktree", "remove", "--force", dir], { stdio: "pipe" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(ownerFile(dir), { force: true });
    }
  };
  active.set(dir, remove);
  try {
    execFileSync("git", ["-C", repo, "worktree", "add", "--detach", "--force", dir, ref], { stdio: "pipe" });
  } catch (error) {
    active.delete(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(ownerFile(dir), { force: true });
    throw error;
  }
  const modules = path.join(dir, "node_modules");
  // A committed node_modules symlink (a throwaway repo's) is already there.
  if (!fs.existsSync(modules)) fs.symlinkSync(fs.realpathSync(path.join(repo, "node_modules")), modules, "dir");
  return { dir, remove };
}
