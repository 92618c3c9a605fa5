/**
 * The runbooks' commands work as written: every `slipway` command a doc shows, in its shell
 * blocks or inline (`npm run ops -- ...`, `npm run plan -- ...`, `slipway ...`), is accepted
 * by that command's own parser; the recovery runbook's restore takes the file its own
 * export writes, and it calls nothing offline that drives the Pulumi CLI. Docs are read
 * the way readme.test.ts reads the README.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runSlipway } from "../../ops/cli";
import { inProcess, temporaryFolder } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

/** The npm scripts that run a slipway command (package.json), by the argv prefix they give it. */
const NPM_SCRIPTS: Readonly<Record<string, readonly string[]>> = {
  ops: [],
  plan: ["plan"],
  "check:channel": ["check-channel"],
  smoke: ["smoke"],
};

/** One slipway command a doc shows. */
interface DocCommand {
  /** The line as written, without its comment. */
  readonly line: string;
  /** The argv `slipway` gets. */
  readonly argv: string[];
  /** For a command in a shell block, the text between the previous block and this one; "" inline. */
  readonly intro: string;
}

/** A command line as `slipway` argv, or undefined when it is no slipway command or only names its syntax (`<command>`, `…`). */
function slipwayArgv(line: string): string[] | undefined {
  const npm = /^npm run (?:-s )?([\w:]+) -- (.*)$/.exec(line);
  const slipway = /^slipway (.*)$/.exec(line);
  const prefix = npm ? NPM_SCRIPTS[npm[1]] : slipway ? [] : undefined;
  if (!prefix) return undefined;
  const words = (npm ? npm[2] : slipway![1]).match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  const argv = [...prefix, ...words.map((w) => w.replace(/^(["'])(.*)\1$/, "$2"))];
  return argv.length > 0 && !/[<|…]|\.\.\./.test(argv[0]) ? argv : undefined;
}

/** The slipway commands a doc shows, in its shell blocks and in inline code, in order. */
function docCommands(file: string): DocCommand[] {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  const commands: DocCommand[] = [];
  let previousEnd = 0;
  for (const block of text.matchAll(/^ *```(?:sh|bash)?\n([^]*?)^ *```$/gm)) {
    const intro = text.slice(previousEnd, block.index);
    previousEnd = block.index + block[0].length;
    for (const line of [...intro.matchAll(/`([^`\n]+)`/g)].map((m) => m[1])) {
      const argv = slipwayArgv(line);
      if (argv) commands.push({ line, argv, intro: "" });
    }
    for (const raw of block[1].split("\n")) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      const argv = slipwayArgv(line);
      // The block's own introduction: the text after the last blank line or list item before it.
      if (argv) commands.push({ line, argv, intro: intro.split(/\n\s*\n|\n\d+\. /).pop() ?? intro });
    }
  }
  for (const line of [...text.slice(previousEnd).matchAll(/`([^`\n]+)`/g)].map((m) => m[1])) {
    const argv = slipwayArgv(line);
    if (argv) commands.push({ line, argv, intro: "" });
  }
  return commands;
}

const RUNBOOK = "docs/recover-interrupted-update.md";
const DOCS = fs
  .readdirSync(path.join(PROJECT_ROOT, "docs"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => `docs/${f}`);

describe("the runbooks' commands", () => {
  it(`${RUNBOOK}: restore takes the file the runbook's own export writes, as written`, async () => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, RUNBOOK), "utf8");
    const [, stack, exported] = /^ *pulumi stack export --stack (\S+) --file (\S+)$/m.exec(text)!;
    const restore = docCommands(RUNBOOK).find((c) => c.argv[0] === "restore")!;
    assert.deepEqual(restore.argv.slice(1, 3), [stack, exported]);
    // What the export leaves after an interrupted update: pending operations, no .sha256 beside it.
    const file = path.join(temporaryFolder("runbook-"), path.basename(exported));
    fs.copyFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "checkpoints", "broken-pending-operations.json"), file);
    // With no Pulumi CLI on PATH the command stops at the stack, once every check of the file has passed.
    const result = await inProcess(
      runSlipway,
      restore.argv.map((a) => (a === exported ? file : a)),
      { PATH: "" },
    );
    assert.doesNotMatch(result.stderr, /refusing to restore/);
    assert.match(result.stderr, /^slipway restore: the Pulumi CLI is not on PATH/);
  });

  it(`${RUNBOOK}: calls no block offline whose commands drive the Pulumi CLI`, async () => {
    const driving: DocCommand[] = [];
    for (const command of docCommands(RUNBOOK).filter((c) => c.intro !== "")) {
      // No Pulumi CLI on PATH: a command that drives it stops there, before it does anything.
      const result = await inProcess(runSlipway, command.argv, { PATH: "" });
      if (/the Pulumi CLI is not on PATH/.test(result.stderr)) driving.push(command);
    }
    // restore drives it too once its file exists (the export the step before writes), so
    // whether it shows here depends on /tmp; backup and doctor always do.
    const lines = driving.map((c) => c.line);
    for (const line of ["npm run ops -- backup production", "npm run ops -- doctor production"]) {
      assert.ok(lines.includes(line), `${line} drives the CLI: ${lines.join(", ")}`);
    }
    for (const command of driving) assert.doesNotMatch(command.intro, /offline/, command.line);
  });

  for (const file of ["README.md", ...DOCS]) {
    it(`${file}: every flag of every slipway command is one its parser accepts`, async () => {
      for (const command of docCommands(file)) {
        // A command after "--" is another's (`slipway sandbox <stack> -- slipway history ...`): its own line.
        const separator = command.argv.indexOf("--");
        const wrapped = separator < 0 ? [] : command.argv.slice(separator + 1);
        const lines = [separator < 0 ? command.argv : command.argv.slice(0, separator)];
        if (wrapped[0] === "slipway") lines.push(wrapped.slice(1));
        for (const argv of lines) {
          // --help ends each command right after its parser accepted the line: nothing runs.
          const result = await inProcess(runSlipway, [...argv, "--help"]);
          assert.equal(result.code, 0, `${file}: ${command.line}\n${result.stderr}`);
        }
      }
    });
  }
});
