/**
 * The preload's first checks (infra/fast-start.cjs), as a new user meets them: a Node older
 * than package.json's engines, and a checkout before `npm ci`, each stop with one line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { temporaryFolder } from "../helpers";

describe("a checkout before npm ci", () => {
  it("stops at the first TypeScript file with one line saying to run npm ci", () => {
    // The preload and what it reads, in a folder with no node_modules above it.
    const copy = temporaryFolder("slipway-no-install-");
    fs.mkdirSync(path.join(copy, "infra"));
    for (const file of [
      "infra/fast-start.cjs",
      "infra/node-version.cjs",
      "infra/pulumi-sdk-adapter.cjs",
      "package.json",
    ]) {
      fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(copy, file));
    }
    fs.writeFileSync(path.join(copy, "entry.ts"), "export const ready: boolean = true;\n");
    assert.throws(() => require.resolve("sucrase", { paths: [copy] }), "sucrase must not be reachable from the copy");
    const result = spawnSync(
      process.execPath,
      ["--require", path.join(copy, "infra", "fast-start.cjs"), path.join(copy, "entry.ts")],
      { cwd: copy, encoding: "utf8" },
    );
    assert.equal(result.status, 1);
    assert.equal(result.stderr, "Slipway's dependencies are not installed (sucrase is missing): run npm ci first\n");
  });
});
