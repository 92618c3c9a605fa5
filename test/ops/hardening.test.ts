/**
 * Hostile but fair input to the commands: output piped whole, output to a full disk,
 * stack names the CLI would refuse (and that would reach a parent folder), a manifests
 * folder Slipway did not write, or cannot write.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import { stackNameProblem } from "../../infra/stack-file";
import { PROJECT_ROOT } from "../../lib/project-root";
import { MANIFESTS_MARKER, writeManifests, type RenderedObject } from "../../ops/plan/manifests";
import { outputPathProblem } from "../../ops/plan/output-paths";
import { PolicyPackServer } from "../../harness/policy-pack";
import { planInProcess, temporaryFolder } from "../helpers";

after(() => PolicyPackServer.stopShared());

describe("stack names", () => {
  const cases: Array<[string, boolean]> = [
    ["production", true],
    ["prod.eu-west-1_b", true],
    ["a".repeat(100), true],
    ["a".repeat(101), false],
    ["", false],
    ["..", false],
    ["../etc", false],
    ["a/b", false],
    ["prod uction", false],
    ["prod\u0000", false],
  ];
  for (const [name, ok] of cases) {
    it(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)} is ${ok ? "" : "not "}a stack name`, () => {
      const problem = stackNameProblem(name);
      if (ok) assert.equal(problem, undefined);
      else
        assert.match(
          problem ?? "",
          /is not a stack name: use letters, digits, "-", "_" and "\." \(at most 100\), like production$/,
        );
    });
  }

  it("plan refuses a name that would reach a parent folder, in one line", async () => {
    const { code, stderr } = await planInProcess("../Pulumi.production");
    assert.equal(code, 1);
    assert.equal(stderr.trim().split("\n").length, 1);
    assert.match(stderr, /^plan: "\.\.\/Pulumi\.production" is not a stack name/);
  });
});

describe("plan --manifests", () => {
  const objects: RenderedObject[] = [
    { apiVersion: "v1", kind: "ConfigMap", id: "apps/settings", object: { apiVersion: "v1", kind: "ConfigMap" } },
  ];

  it("never deletes a folder it did not write", () => {
    const dir = temporaryFolder("slipway-foreign-");
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    assert.throws(() => writeManifests(objects, dir), /holds files the plan did not write/);
    assert.equal(fs.readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("replaces what an earlier run wrote, and writes into an empty folder", () => {
    const dir = temporaryFolder("slipway-own-");
    writeManifests(objects, dir);
    fs.writeFileSync(path.join(dir, "configmap", "stale.yaml"), "old");
    writeManifests(objects, dir);
    assert.ok(fs.existsSync(path.join(dir, MANIFESTS_MARKER)));
    assert.ok(!fs.existsSync(path.join(dir, "configmap", "stale.yaml")));
    assert.ok(fs.existsSync(path.join(dir, "configmap", "apps.settings.yaml")));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a path that is a file", () => {
    const file = path.join(temporaryFolder("slipway-file-"), "x");
    fs.writeFileSync(file, "x");
    assert.throws(() => writeManifests(objects, file), /exists and is not a folder/);
  });

  it("refuses at once a folder a file system calls writable but will not create (/proc), where a recursive mkdir never returns", () => {
    assert.equal(
      outputPathProblem("--manifests", "/proc/slipway-manifests/staging", "folder"),
      "--manifests /proc/slipway-manifests/staging: cannot create /proc/slipway-manifests (ENOENT); name a place on a file system you can write",
    );
  });

  it("takes a folder it can create, and leaves nothing behind from the check", () => {
    const parent = temporaryFolder("slipway-probe-");
    assert.equal(outputPathProblem("--manifests", path.join(parent, "out", "staging"), "folder"), undefined);
    assert.deepEqual(fs.readdirSync(parent), []);
  });
});

describe("files that must not reach git", () => {
  it("ignores backups/, which holds state exports", () => {
    const ignored = spawnSync("git", ["check-ignore", "-q", "backups/production-1.json"], { cwd: PROJECT_ROOT });
    assert.equal(ignored.status, 0);
  });
});
