import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(PROJECT_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

const components = sourceFiles("components").map((file) => ({
  file,
  text: fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"),
}));

describe("components are functions of their Args", () => {
  it("finds the component files", () =>
    assert.deepEqual(
      [
        "components/app-release.ts",
        "components/cache.ts",
        "components/cluster.ts",
        "components/database.ts",
        "components/network.ts",
      ].filter((f) => !components.some((c) => c.file === f)),
      [],
    ));

  const forbidden: Array<[string, RegExp]> = [
    ["reads Pulumi config", /pulumi\.Config|new Config\(|runtime\.(allConfig|getConfig)|loadStackConfig|infra\/config/],
    ["tests the stack name", /getStack\(|\bstack\s*===|===\s*["'](staging|production)["']/],
    ["reads the environment", /process\.env/],
  ];
  for (const [what, pattern] of forbidden) {
    it(`no component ${what}`, () => {
      const offenders = components.filter((c) => pattern.test(c.text)).map((c) => c.file);
      assert.deepEqual(offenders, []);
    });
  }

  it("infra/index.ts composes only: it creates no cloud resource itself", () => {
    const index = fs.readFileSync(path.join(PROJECT_ROOT, "infra", "index.ts"), "utf8");
    assert.doesNotMatch(index, /new aws\.|new k8s\.|new random\./);
  });
});
