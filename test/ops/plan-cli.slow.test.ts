import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PolicyPackServer } from "../../harness/policy-pack";
import { PROJECT_ROOT } from "../../lib/project-root";
import { runScript } from "../helpers";

after(() => PolicyPackServer.stopShared());

describe("the plan's policy-pack process", () => {
  /** Processes (Linux /proc) whose environment carries `marker`. */
  const processesMarked = (marker: string): number[] =>
    fs.readdirSync("/proc").flatMap((pid) => {
      if (!/^\d+$/.test(pid)) return [];
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });

  it("ends with the plan, also when a missing stack file stops it before the pack has started", () => {
    const marker = `SLIPWAY_PLAN_TEST=${process.pid}-${Date.now()}`;
    const [name, value] = marker.split("=") as [string, string];
    const result = spawnSync(
      process.execPath,
      [
        "--require",
        path.join(PROJECT_ROOT, "infra", "fast-start.cjs"),
        path.join(PROJECT_ROOT, "ops", "plan.ts"),
        "qa",
      ],
      { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, [name]: value } },
    );
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(processesMarked(marker), [], "a policy-pack process outlived the plan");
  });
});

describe("npm run plan", () => {
  it("as a process of its own: exit code 1 and the message on stderr, nothing on stdout", () => {
    const { code, stdout, stderr } = runScript("ops/plan.ts", "qa");
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^plan: Pulumi\.qa\.yaml: no such stack file in .*; stacks there: airgap, production, staging\n$/,
    );
  });
});
