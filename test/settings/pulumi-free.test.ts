import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "../..");

/** Every settings module, relative to the project root. */
function settingsFiles(dir = "settings"): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return settingsFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** The modules a fresh process has loaded after requiring `files`, relative to the root. */
function loadedBy(files: readonly string[]): string[] {
  const script = `${files.map((f) => `require(${JSON.stringify(path.join(ROOT, f))});`).join("")}
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const run = spawnSync(process.execPath, ["--require", path.join(ROOT, "infra/fast-start.cjs"), "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as string[]).map((file) => path.relative(ROOT, file));
}

describe("settings", () => {
  const files = settingsFiles();

  it("holds one module per core domain", () => {
    for (const domain of ["network", "cluster", "database", "cache", "common"]) {
      assert.ok(files.includes(path.join("settings", `${domain}.ts`)), `settings/${domain}.ts`);
    }
    assert.ok(files.some((f) => f.startsWith(path.join("settings", "apps"))));
  });

  it("loads neither the Pulumi SDK nor any component, so checking a stack file needs neither", () => {
    const loaded = loadedBy(files);
    assert.ok(loaded.includes(path.join("settings", "network.ts")), "the settings modules were loaded");
    const outside = loaded.filter(
      (file) => /node_modules[\\/]@pulumi[\\/]/.test(file) || /^(components|infra|ops|policy)[\\/]/.test(file),
    );
    // The preload is the only project file outside settings/ and lib/ a process starts with.
    assert.deepEqual(
      outside.filter(
        (file) => file !== path.join("infra", "fast-start.cjs") && file !== path.join("infra", "node-version.cjs"),
      ),
      [],
    );
  });
});
