/** The generated references are committed up to date: run `npm run docs` after changing a schema or a rule. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { generatedDocs } from "../../ops/docs";
import { PROJECT_ROOT } from "../../lib/project-root";

describe("generated docs", () => {
  for (const [file, expected] of Object.entries(generatedDocs())) {
    it(`${file} matches what npm run docs writes`, () => {
      const committed = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
      assert.ok(committed === expected, `${file} is stale: run npm run docs`);
    });
  }

  it("lists every config key and every rule", () => {
    const docs = generatedDocs();
    assert.match(
      docs["docs/config.md"],
      /\| `slipway:database\.monitoringIntervalSeconds` \| one of `0`, `1`, `5`, `10`, `15`, `30`, `60` \| `60` \| {2}\|/,
    );
    assert.match(
      docs["docs/config.md"],
      /\| `slipway:cluster\.nodeGroups\.<name>\.maxUnavailable` \| integer ≥ 1, ≤ 100 \| `1` \| {2}\|/,
    );
    assert.match(
      docs["docs/policy.md"],
      /\n## rds-deletion-protection\n\n\*\*RDS-04\*\*, high: RDS deletion protection is on\.\n/,
    );
    assert.match(docs["docs/policy.md"], /- Enforcement: staging advisory, production mandatory\n/);
  });
});
