/** `npm run bench`'s command line as a person meets it: usage, and one-line refusals, measuring nothing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runScript } from "../helpers";

describe("npm run bench", () => {
  it("prints its usage with --help, exits 0 and measures nothing", () => {
    const { code, stdout, stderr } = runScript("bench/run.ts", "--help");
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    assert.match(stdout, /^Usage: npm run bench -- \[--runs <n>\] \[--only <section,\.\.\.>\] /);
    assert.match(stdout, /\n {2}--help +this text\n$/);
  });

  const refusals: Array<[string, string[], string]> = [
    ["an unknown flag", ["--colour"], "bench: Unknown option '--colour'; see npm run bench -- --help\n"],
    ["runs that are not a whole number", ["--runs", "x"], "bench: --runs x: give a whole number, 1 or more\n"],
    ["no runs", ["--runs", "0"], "bench: --runs 0: give a whole number, 1 or more\n"],
    [
      "app counts that are not numbers",
      ["--apps", "ten"],
      "bench: --apps ten: give app counts separated by commas, like 10,100,1000\n",
    ],
    ["no apps for the apps section", ["--cli-apps", "0"], "bench: --cli-apps 0: give a whole number, 1 or more\n"],
    [
      "a section it does not have",
      ["--only", "program,plans"],
      "bench: --only program,plans: no section plans; the sections are program, apps, plan, pack, preview, harness\n",
    ],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what} in one line, exit 2, no stack trace`, () => {
      const { code, stdout, stderr } = runScript("bench/run.ts", ...args);
      assert.equal(code, 2);
      assert.equal(stdout, "");
      assert.equal(stderr, message);
    });
  }
});
