/**
 * The preload's first checks (infra/fast-start.cjs), as a new user meets them: a Node older
 * than package.json's engines, and a checkout before `npm ci`, each stop with one line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { nodeVersionProblem, requiredVersion } from "../../infra/node-version.cjs";
import { PROJECT_ROOT } from "../../lib/project-root";

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const TOO_OLD = (version: string) =>
  `Slipway needs Node 22.15 or newer (package.json engines: node >=22.15); this is Node ${version}: install Node 22.15 or newer, or put it first on PATH`;

describe("the Node version check", () => {
  it("takes its floor from package.json's engines", () => {
    assert.equal(`>=${requiredVersion().join(".")}`, pkg.engines.node);
    assert.throws(
      () => requiredVersion("^22"),
      /^Error: package\.json engines\.node must read ">=<major>\.<minor>", not "\^22"$/,
    );
  });

  const cases: Array<[string, string | undefined]> = [
    ["20.20.2", TOO_OLD("20.20.2")],
    ["21.7.3", TOO_OLD("21.7.3")],
    ["22.14.0", TOO_OLD("22.14.0")],
    ["22.15.0", undefined],
    ["22.23.3", undefined],
    ["24.1.0", undefined],
  ];
  for (const [version, problem] of cases) {
    it(`Node ${version}: ${problem ? "refused in one line" : "runs"}`, () => {
      assert.equal(nodeVersionProblem({ ...process.versions, node: version }), problem);
    });
  }

  // /usr/bin/node is the distribution's Node where there is one: on the machines this was
  // written on, Node 20, which runs `npm test` as "Could not find 'test/**/*.test.ts'".
  const old = "/usr/bin/node";
  const oldVersion = fs.existsSync(old)
    ? spawnSync(old, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim()
    : "";
  const skip = !oldVersion
    ? `no ${old}`
    : !nodeVersionProblem({ ...process.versions, node: oldVersion })
      ? `${old} is Node ${oldVersion}, not older than ${requiredVersion().join(".")}`
      : false;
  for (const script of ["plan", "test"]) {
    it(`npm run ${script} on an older Node says so in one line`, { skip }, () => {
      // The npm script's own command, through a shell with the old Node first on PATH, as npm runs it.
      const command = `${pkg.scripts[script]}${script === "plan" ? " production" : ""}`;
      const result = spawnSync("sh", ["-c", command], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, PATH: `${path.dirname(old)}${path.delimiter}${process.env.PATH}` },
      });
      assert.equal(result.status, 1);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, `${TOO_OLD(oldVersion)}\n`);
    });
  }
});
