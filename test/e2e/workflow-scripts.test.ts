/**
 * The deploy and drift workflows' steps are scripts (.github/scripts/), run here as the jobs
 * run them, against a sandbox with the real Pulumi CLI: bookmark, backup, up, preview, the
 * drift preview and report (clean, drifted, failed), and the rollback hint.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { temporaryFolder } from "../helpers";
import { E2E_SKIP, RepositoryCopy, succeeded, type Ran } from "./real-cli";

describe("the workflows' scripts against a sandbox", { skip: E2E_SKIP, timeout: 600_000 }, () => {
  let repo: RepositoryCopy;
  let github: string;
  const outputs = () =>
    Object.fromEntries(
      fs
        .readFileSync(path.join(github, "output"), "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
  /** A step: one script, with the runner's $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY. */
  const step = (script: string, ...args: string[]): Ran => {
    fs.writeFileSync(path.join(github, "output"), "");
    const env = { GITHUB_OUTPUT: path.join(github, "output"), GITHUB_STEP_SUMMARY: path.join(github, "summary") };
    return repo.sandboxWith(env, "staging", `.github/scripts/${script}`, ...args);
  };
  const editCloud = (edit: (entry: { type: string; inputs: any; outputs: any }) => void) => {
    const file = repo.sandboxFile("staging", "cloud.json");
    const cloud = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const entry of Object.values(cloud)) edit(entry as never);
    fs.writeFileSync(file, JSON.stringify(cloud));
  };
  const report = () => JSON.parse(fs.readFileSync(repo.sandboxFile("staging", "project", "drift.json"), "utf8"));

  before(() => {
    repo = new RepositoryCopy();
    github = temporaryFolder("slipway-e2e-github-");
  });
  after(() => {
    repo.remove();
    fs.rmSync(github, { recursive: true, force: true });
  });

  it("bookmark of a stack with no update yet: an empty version, and the step passes", () => {
    succeeded(step("bookmark.sh", "staging"), "bookmark");
    assert.deepEqual(outputs(), { version: "" });
  });

  it("up deploys with the commit's message and the policy pack at the stack's tier", () => {
    const up = succeeded(step("up.sh", "staging", "abc123 a change"), "up");
    assert.match(up.stdout, /Policies:\n\s+⚠️ slipway@v0\.1\.0/);
    assert.match(up.stdout, /\+ \d{3} created/);
    const history = JSON.parse(
      succeeded(repo.sandbox("staging", "pulumi", "stack", "history", "--json"), "history").stdout,
    );
    assert.equal(history[0].message, "abc123 a change");
  });

  it("bookmark then names that update, backup writes the state, preview runs the pack", () => {
    succeeded(step("bookmark.sh", "staging"), "bookmark");
    assert.deepEqual(outputs(), { version: "1" });
    const backup = succeeded(step("backup.sh", "staging"), "backup");
    assert.match(backup.stdout, /backup written: .*staging-.*\.json/);
    const preview = succeeded(step("preview.sh", "staging"), "preview");
    assert.match(preview.stdout, /Policies:/);
  });

  it("drift: a clean stack reports no drift", () => {
    succeeded(step("drift-preview.sh", "staging"), "drift preview");
    assert.deepEqual(outputs(), { "exit-code": "0" });
    succeeded(step("drift-report.sh", "staging", "0", "https://github.com/acme/slipway/actions/runs/1"), "report");
    assert.equal(report().drifted, false);
  });

  it("drift: a change made outside Pulumi is reported, with the resource it hit", () => {
    editCloud((entry) => {
      if (entry.type === "aws:rds/instance:Instance")
        entry.outputs.allocatedStorage = entry.inputs.allocatedStorage = 50;
    });
    succeeded(step("drift-preview.sh", "staging"), "drift preview");
    assert.deepEqual(outputs(), { "exit-code": "7" });
    succeeded(step("drift-report.sh", "staging", "7", "https://github.com/acme/slipway/actions/runs/2"), "report");
    assert.equal(report().drifted, true);
    assert.match(report().body, /database-instance/);
  });

  it("drift: a preview that fails is 'drift check failed', and the report step fails", () => {
    const copy = repo.sandboxFile("staging", "project", "Pulumi.staging.yaml");
    fs.writeFileSync(copy, fs.readFileSync(copy, "utf8").replace("allocatedStorageGiB: 20", "allocatedStorageGiB: -5"));
    succeeded(step("drift-preview.sh", "staging"), "drift preview (the step keeps the code)");
    const code = outputs()["exit-code"]!;
    assert.ok(!["0", "7"].includes(code), `exit code ${code}`);
    const failed = step("drift-report.sh", "staging", code, "https://github.com/acme/slipway/actions/runs/3");
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^slipway drift-report: drift check failed for staging: /m);
  });

  it("the rollback hint names the command, on the run and in the job summary", () => {
    const hint = step("rollback-hint.sh", "staging", "1");
    assert.equal(hint.code, 0);
    assert.match(
      hint.stdout,
      /^::error::staging failed after the deploy started; roll back with: npm run ops -- rollback staging --to 1$/m,
    );
    assert.match(fs.readFileSync(path.join(github, "summary"), "utf8"), /`npm run ops -- rollback staging --to 1`/);
    const nothing = step("rollback-hint.sh", "staging", "");
    assert.equal(nothing.code, 1);
    assert.match(nothing.stdout, /^::error::staging failed, and no earlier update succeeded/m);
  });
});
