/**
 * Temporary worktrees (plan --base, rollback) are removed when the command is
 * interrupted, and a run cleans up what a killed run left.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { addWorktree, removeStaleWorktrees } from "../../ops/git-worktree";
import { temporaryFolder } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

/** A throwaway repository with one commit and a node_modules link. */
function repository(): string {
  const repo = temporaryFolder("slipway-repo-");
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { stdio: "pipe" });
  git("init", "-q");
  fs.writeFileSync(path.join(repo, "README"), "x");
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
  git("add", "README");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "one");
  return repo;
}

const worktrees = (repo: string) =>
  execFileSync("git", ["-C", repo, "worktree", "list", "--porcelain"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.startsWith("worktree "));

/** A process that adds a worktree, says where, then waits to be signalled. */
const HOLDER = `
const { addWorktree } = require(${JSON.stringify(path.join(PROJECT_ROOT, "ops", "git-worktree.ts"))});
const tree = addWorktree(process.argv[1], "HEAD");
console.log(tree.dir);
setInterval(() => {}, 1000);
`;

function holdWorktree(repo: string): Promise<{ dir: string; child: ReturnType<typeof spawn> }> {
  const child = spawn(
    process.execPath,
    ["--require", path.join(PROJECT_ROOT, "infra", "fast-start.cjs"), "-e", HOLDER, repo],
    { cwd: PROJECT_ROOT },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve({ dir: chunk.toString().trim(), child }));
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
}

describe("temporary worktrees", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`are removed on ${signal}, and the command exits ${code}`, async () => {
      const repo = repository();
      const { dir, child } = await holdWorktree(repo);
      assert.equal(worktrees(repo).length, 2);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      child.kill(signal);
      assert.equal(await exited, code);
      assert.equal(worktrees(repo).length, 1);
      assert.ok(!fs.existsSync(dir), `${dir} is left`);
      assert.ok(!fs.existsSync(`${dir}.pid`));
    });
  }

  it("left by a killed run are removed by the next one; a live run's are kept", async () => {
    const repo = repository();
    const killed = await holdWorktree(repo);
    const exited = new Promise((resolve) => killed.child.once("exit", resolve));
    killed.child.kill("SIGKILL");
    await exited;
    assert.equal(worktrees(repo).length, 2, "SIGKILL leaves the worktree registered");
    const live = await holdWorktree(repo);
    try {
      // The new run removed the killed run's worktree before adding its own.
      assert.equal(worktrees(repo).length, 2);
      assert.ok(!fs.existsSync(killed.dir), `${killed.dir} is left`);
      assert.deepEqual(removeStaleWorktrees(repo), [], "a running command's worktree is not stale");
      assert.ok(fs.existsSync(live.dir));
    } finally {
      const done = new Promise((resolve) => live.child.once("exit", resolve));
      live.child.kill("SIGTERM");
      await done;
    }
  });

  it("are removed when checking out fails", () => {
    const repo = repository();
    const before = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("slipway-worktree-")).length;
    assert.throws(() => addWorktree(repo, "no-such-ref"));
    const after = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("slipway-worktree-")).length;
    assert.ok(after <= before);
    assert.equal(
      spawnSync("git", ["-C", repo, "worktree", "list"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean)
        .length,
      1,
    );
  });
});
