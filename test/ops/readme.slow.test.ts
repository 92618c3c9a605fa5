/** The README's examples run as written, and what it lists matches the program. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { recordOf, runScript } from "../helpers";

const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

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

  it("gives JSON commands whose stdout is JSON alone, run through a shell exactly as written", () => {
    // Every inline command of the README that asks for --json: what a reader pastes and pipes into jq.
    const commands = [...readme.matchAll(/`((?:npm|node) [^`]*--json[^`]*)`/g)].map((m) => m[1]);
    assert.ok(commands.length >= 2, `JSON commands found: ${commands.join("; ")}`);
    for (const command of commands) {
      // This Node first on PATH, as in the reader's shell after installing Node 22.
      const result = spawnSync("sh", ["-c", command], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
      });
      assert.equal(result.status, 0, `${command}\n${result.stderr}`);
      let parsed: { stack?: string };
      assert.doesNotThrow(
        () => (parsed = JSON.parse(result.stdout)),
        `${command}: stdout is not JSON: ${result.stdout.slice(0, 80)}`,
      );
      assert.equal(parsed!.stack, "production", command);
    }
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
