/**
 * Checking a stack file loads no Pulumi code: the config validation that reads the add-on
 * settings (infra/schema/platform.ts against the channel, infra/stack-apps.ts for the apps'
 * add-ons) imports no component and no Pulumi SDK; test/settings/pulumi-free.test.ts
 * proves the same of settings/ alone. Run in a fresh process, where nothing else has
 * loaded them first.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..");

/** The modules a fresh process loads to validate the platform and apps of a stack file. */
function modulesLoadedByValidation(): string[] {
  const script = `
    const path = require("node:path");
    const root = ${JSON.stringify(ROOT)};
    const before = new Set(Object.keys(require.cache));
    const { platformSchema, resolvePlatform } = require(path.join(root, "infra/schema/platform.ts"));
    // What ties apps to the stack's add-ons (their namespaces, the add-ons they need).
    require(path.join(root, "infra/stack-apps.ts"));
    const { readChannelFiles } = require(path.join(root, "infra/schema/channel.ts"));
    // Validate a platform section against its channel, as the config does.
    const issues = [];
    const ctx = { addIssue: (issue) => issues.push(issue) };
    const platform = platformSchema.parse({
      disabledCharts: ["gha-runners", "example-services"],
      certificates: { acmeEmail: "ops@example.com" },
    });
    const resolved = resolvePlatform(platform, "stable", readChannelFiles(), { githubAppPrivateKey: false }, ctx);
    if (!resolved || issues.length > 0) throw new Error("validation failed: " + JSON.stringify(issues));
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((m) => !before.has(m))));
  `;
  // The same loader flags as this test process (the TypeScript loader), nothing else.
  const output = execFileSync(process.execPath, [...process.execArgv, "-e", script], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(output) as string[];
}

describe("config validation", () => {
  const loaded = modulesLoadedByValidation();

  it("loads the add-on settings and the schemas it checks", () => {
    const ours = loaded.map((m) => path.relative(ROOT, m));
    for (const module of [
      "settings/addons/catalog.ts",
      "settings/addons/platform.ts",
      "infra/schema/platform.ts",
      "infra/stack-apps.ts",
    ]) {
      assert.ok(ours.includes(module), `${module} loaded`);
    }
  });

  it("loads no component and no Pulumi SDK module", () => {
    const offenders = loaded
      .map((m) => path.relative(ROOT, m))
      .filter((m) => m.startsWith(`components${path.sep}`) || m.includes(`node_modules${path.sep}@pulumi${path.sep}`));
    assert.deepEqual(offenders, []);
  });
});
