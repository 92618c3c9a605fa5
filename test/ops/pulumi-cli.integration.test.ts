/**
 * End to end with the real Pulumi CLI on a local (file) backend: up, up, rollback to
 * version 1, backup, restore, and the state matches. The tiny stack holds only a
 * component and a stack output, so it needs no provider plugin and no cloud. Where the
 * CLI is not installed (as on this project's CI machines) the test is skipped, and says why.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { writeBackup } from "../../ops/commands/backup";
import { commitExists, hasPulumiCli, selectStack, worktreeAt } from "../../ops/commands/common";
import { fullHistory } from "../../ops/commands/history";
import { vetRestore } from "../../ops/commands/restore";
import { PROJECT_DIR } from "../../ops/harness/run";
import { planRollback } from "../../ops/state/rollback";
import { temporaryFolder } from "../helpers";

const SKIP = hasPulumiCli() ? false : "the Pulumi CLI is not on PATH here; install it to run this end-to-end test";

const PROGRAM = `const pulumi = require("@pulumi/pulumi");
class Marker extends pulumi.ComponentResource {
  constructor(name, value) { super("tiny:index:Marker", name, { value }); this.registerOutputs({ value }); }
}
const value = new pulumi.Config().require("value");
new Marker("marker", value);
module.exports = { value };
`;

describe("rollback, backup and restore against the real CLI", () => {
  it(
    "up, up, rollback to version 1, backup, restore: the state matches",
    { skip: SKIP, timeout: 300_000 },
    async () => {
      const repo = temporaryFolder("slipway-e2e-");
      const git = (...args: string[]) =>
        execFileSync("git", ["-C", repo, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", ...args], {
          stdio: "pipe",
        });
      fs.writeFileSync(path.join(repo, "Pulumi.yaml"), "name: tiny\nruntime: nodejs\nmain: index.js\n");
      fs.writeFileSync(path.join(repo, "index.js"), PROGRAM);
      fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\nstate\n");
      fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(repo, "node_modules"), "dir");
      process.env.PULUMI_BACKEND_URL = `file://${path.join(repo, "state")}`;
      process.env.PULUMI_CONFIG_PASSPHRASE = "e2e-only";
      fs.mkdirSync(path.join(repo, "state"));
      git("init", "-q");
      execFileSync("pulumi", ["stack", "init", "dev", "--non-interactive"], { cwd: repo, stdio: "pipe" });

      const deploy = async (value: string) => {
        fs.writeFileSync(path.join(repo, "Pulumi.dev.yaml"), `config:\n  tiny:value: ${value}\n`);
        git("add", "-A");
        git("commit", "-qm", `value ${value}`);
        await (await selectStack("dev", repo)).up({ message: `value ${value}` });
      };
      await deploy("one");
      await deploy("two");

      const stack = await selectStack("dev", repo);
      const plan = planRollback({
        history: await fullHistory(stack),
        target: 1,
        commitExists: (sha) => commitExists(sha, repo),
        pendingOperations: 0,
      });
      assert.ok(plan.ok, JSON.stringify(plan));
      const worktree = worktreeAt(plan.commit, repo);
      try {
        await (await selectStack("dev", worktree.dir)).up({ message: plan.message });
      } finally {
        worktree.remove();
      }
      assert.equal((await stack.outputs()).value.value, "one");

      const file = await writeBackup(stack, "dev", path.join(repo, "backups"));
      const vetted = vetRestore(fs.readFileSync(file, "utf8"), fs.readFileSync(`${file}.sha256`, "utf8"), false);
      assert.ok(vetted.ok);
      await deploy("three");
      await stack.importStack(vetted.checkpoint as never);
      const restored = (await stack.exportStack()) as unknown as {
        deployment: { resources: Array<{ urn: string; outputs?: unknown }> };
      };
      const backedUp = JSON.parse(fs.readFileSync(file, "utf8"));
      const outputsOf = (c: typeof restored) =>
        c.deployment.resources.map((r) => [r.urn, JSON.stringify(r.outputs ?? {})]);
      assert.deepEqual(outputsOf(restored), outputsOf(backedUp));
      fs.rmSync(repo, { recursive: true, force: true });
    },
  );
});
