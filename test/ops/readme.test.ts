/** The README's examples run as written, and what it lists matches the program. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_DIR } from "../../ops/harness/run";
import { recordOf, runScript } from "../helpers";

const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

describe("the README", () => {
  it("shows the broken-stack example with the command that produces it, and the same first lines", () => {
    assert.match(readme, /npm run plan -- broken --stack-dir test\/fixtures\/stacks/);
    const shown = /```\n(plan: Pulumi\.broken\.yaml[^`]*)```/.exec(readme)![1].trimEnd().split("\n");
    const result = runScript("ops/plan.ts", "broken", "--stack-dir", "test/fixtures/stacks");
    assert.equal(result.code, 1);
    const actual = result.stderr.trimEnd().split("\n");
    assert.equal(actual.length, shown.length);
    shown.forEach((line, i) => {
      const prefix = line.replace(/ \.\.\.$|, \.\.\.$/, "");
      assert.ok(actual[i].startsWith(prefix), `README line ${i + 1}: ${line}\nactual: ${actual[i]}`);
    });
  });

  it("lists exactly the stack outputs the program exports", async () => {
    const listed = /Stack outputs: ([^]*?)\n\n/
      .exec(readme)![1]
      .match(/`(\w+)`/g)!
      .map((s) => s.slice(1, -1));
    const record = await recordOf("staging");
    assert.deepEqual([...listed].sort(), Object.keys(record.outputs).sort());
  });
});
