/**
 * An update killed half-way (Ctrl-C, then SIGKILL, as a lost runner ends) leaves pending
 * operations in the real engine's state, and docs/recover-interrupted-update.md, its
 * commands run as written, recovers the stack: a later `pulumi up` completes it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { E2E_SKIP, RepositoryCopy, succeeded } from "./real-cli";
import { PROJECT_ROOT } from "../../lib/project-root";

const RUNBOOK = path.join(PROJECT_ROOT, "docs", "recover-interrupted-update.md");

/** The runbook's shell commands, in order, without comments. */
function runbookCommands(): string[] {
  const blocks = [...fs.readFileSync(RUNBOOK, "utf8").matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) =>
    block
      .split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .filter(Boolean),
  );
}

describe("an interrupted pulumi up, recovered by the runbook", { skip: E2E_SKIP, timeout: 600_000 }, () => {
  let repo: RepositoryCopy;
  let cloudFile: string;
  const pending = () => {
    const state = JSON.parse(succeeded(repo.sandbox("production", "pulumi", "stack", "export"), "export").stdout);
    return (state.deployment.pending_operations ?? []).length as number;
  };

  before(() => {
    repo = new RepositoryCopy();
    cloudFile = path.join(repo.dir, ".slipway", "sandbox", "production", "cloud.json");
  });
  after(() => repo.remove());

  it("Ctrl-C and then SIGKILL half-way through leave pending operations", async () => {
    const env = JSON.parse(
      succeeded(repo.sandbox("production", "node", "-p", "JSON.stringify(process.env)"), "the sandbox's environment")
        .stdout,
    ) as NodeJS.ProcessEnv;
    const up = spawn("pulumi", ["up", "--yes", "--stack", "production"], {
      cwd: env.SLIPWAY_WORKSPACE_DIR,
      env: { ...env, SLIPWAY_SANDBOX_LATENCY_MS: "1500" },
      stdio: "ignore",
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => up.on("exit", (_code, signal) => resolve(signal)));
    // Interrupted once a few resources exist in the simulated cloud, so others are mid-create.
    while (!fs.existsSync(cloudFile) || Object.keys(JSON.parse(fs.readFileSync(cloudFile, "utf8"))).length < 3) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    up.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 700));
    up.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    assert.ok(pending() > 0, "no pending operation was left");
  });

  it("the runbook's commands, as written, clear them, and the next up completes the stack", () => {
    const commands = runbookCommands();
    const expected = [
      "npm run ops -- backup ",
      "npm run ops -- doctor ",
      "pulumi cancel ",
      "pulumi stack export ",
      "npm run ops -- restore ",
    ];
    assert.deepEqual(
      commands.map((c, i) => c.startsWith(expected[i] ?? "-")),
      commands.map(() => true),
      commands.join("\n"),
    );
    const [backup, doctor, cancel, exportState, restore] = commands as [string, string, string, string, string];
    succeeded(repo.sandbox("production", "sh", "-c", backup), backup);
    const findings = repo.sandbox("production", "sh", "-c", doctor);
    assert.equal(findings.code, 1, "doctor reports pending operations as an error");
    assert.match(findings.stdout, /pending/i);
    succeeded(repo.sandbox("production", "sh", "-c", cancel), cancel);
    succeeded(repo.sandbox("production", "sh", "-c", exportState), exportState);
    // restore asks before it imports; `script` gives it the terminal a person would have.
    const restored = repo.sandbox("production", "sh", "-c", `printf 'y\\n' | script -qec "${restore}" /dev/null`);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, /imported; run 'pulumi refresh --stack production'/);
    assert.equal(pending(), 0);

    succeeded(repo.sandbox("production", "pulumi", "refresh", "--stack", "production", "--yes"), "refresh");
    const up = succeeded(repo.sandbox("production", "pulumi", "up", "--stack", "production", "--yes"), "up");
    assert.match(up.stdout, /created/);
    const again = succeeded(
      repo.sandbox("production", "pulumi", "preview", "--stack", "production", "--expect-no-changes"),
      "preview",
    );
    assert.doesNotMatch(again.stdout, /to create|to update|to replace|to delete/);
  });
});
