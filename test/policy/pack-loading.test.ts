/**
 * The pack loads the way the Pulumi CLI loads it: the language host starts @pulumi/pulumi's
 * run-policy-pack in the pack's folder, which registers ts-node and requires the folder's
 * package.json `main`, policy/pack.cjs, which loads the pack through the project's own
 * loader. test/e2e/policy-pack.test.ts runs it under the real CLI.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { POLICY_DIR } from "../../harness/policy-pack";

describe("the policy pack, started as the CLI starts it", () => {
  it("declares no runtime options the policy runtime would ignore", () => {
    const manifest = parseYaml(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.equal(manifest.runtime, "nodejs");
  });

  it("starts from package.json's main under run-policy-pack, through the project's loader, not ts-node", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { main: string };
    assert.equal(manifest.main, "pack.cjs");
    const entry = fs.readFileSync(path.join(POLICY_DIR, manifest.main), "utf8");
    assert.match(entry, /^require\("\.\.\/infra\/fast-start\.cjs"\);$/m);
    assert.match(
      entry,
      /^process\[Symbol\.for\("ts-node\.register\.instance"\)\]\?\.enabled\(false\);\nrequire\("\.\/index\.ts"\);$/m,
    );
  });
});
