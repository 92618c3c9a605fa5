/**
 * An error thrown in a component is reported at the component's own file and line when the
 * program runs as the Pulumi CLI runs it: `@pulumi/pulumi/cmd/run` started by the language
 * host with Pulumi.yaml's `nodeargs` (the preload, infra/fast-start.cjs), against an engine
 * over gRPC (bench/cli-program.ts, bench/engine.ts). `cmd/run` reports an uncaught error to
 * the engine with its stack (@pulumi/pulumi 3.248.0, cmd/run/run.js, uncaughtHandler), and
 * that stack is what a user reads in `pulumi preview`.
 *
 * Every component class is checked, not one file: in a throwaway copy of the project, a
 * throw is written into each component's constructor in turn, and the first frame of the
 * reported stack must name that file and that line.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { stripVTControlCharacters } from "node:util";
import { readStackFile, stackFilePath } from "../../infra/stack-file";
import { PROJECT } from "../../harness/run";
import { PROJECT_ROOT } from "../../lib/project-root";
import { PROJECT_PATH, runAsHost } from "../../bench/cli-program";
import { RecordingEngine } from "../../bench/engine";
import { temporaryFolder } from "../helpers";

/** The stack that builds every component: airgap is the only one with VPC endpoints. */
const STACK = "airgap";

/** Every component class of the product: each file under components/ that declares one. */
function componentFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "components"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => file.endsWith(".ts") && fs.existsSync(path.join(PROJECT_ROOT, file)))
    .filter((file) =>
      /extends pulumi\.ComponentResource\b/.test(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")),
    )
    .sort();
}

/** The project's files as git sees them (committed or not, not ignored), copied, with its node_modules linked. */
function copyOfProject(): string {
  const copy = temporaryFolder("slipway-error-positions-");
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => file !== "" && fs.existsSync(path.join(PROJECT_ROOT, file)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

/**
 * The source with a throw on a line of its own right after the constructor's `super(...)`
 * call, and that line's number (1-based), where the stack must point.
 */
function withThrow(source: string, file: string): { source: string; line: number } {
  const lines = source.split("\n");
  const superAt = lines.findIndex((l) => /^\s*super\(/.test(l));
  assert.ok(superAt >= 0, `${file}: no super(...) call to put the throw after`);
  const endAt = lines.findIndex((l, i) => i >= superAt && /\);\s*$/.test(l));
  assert.ok(endAt >= 0, `${file}: the super(...) call does not end with ");"`);
  lines.splice(endAt + 1, 0, `    throw new Error("thrown on purpose in ${file}");`);
  return { source: lines.join("\n"), line: endAt + 2 };
}

/** The file and line of the first frame of the first error the program reported. */
function firstFrame(logs: ReadonlyArray<{ severity: string; message: string }>): { file: string; line: number } {
  const error = logs.find((l) => l.severity === "error" && l.message.includes("thrown on purpose"));
  assert.ok(error, `no error reported; the logs: ${JSON.stringify(logs).slice(0, 1000)}`);
  const frame = stripVTControlCharacters(error.message)
    .split("\n")
    .find((l) => /^\s+at /.test(l));
  const match = /\(?([^\s()]+):(\d+):\d+\)?$/.exec(frame ?? "");
  assert.ok(match, `no position in the first frame of: ${error.message.slice(0, 1000)}`);
  return { file: match[1] ?? "", line: Number(match[2]) };
}

describe("an error thrown in a component, as the CLI runs the program", () => {
  const files = componentFiles();
  let copy = "";
  let engine: RecordingEngine;
  before(async () => {
    copy = copyOfProject();
    engine = await RecordingEngine.start({ stack: STACK, project: PROJECT, preview: true });
  });
  after(() => engine.stop());

  it("finds the component classes to check", () => {
    for (const name of ["network", "cluster", "database", "cache", "app-release", "platform/platform"]) {
      assert.ok(files.includes(`components/${name}.ts`), `components/${name}.ts is not a component any more`);
    }
  });

  for (const file of files) {
    it(`is reported at ${file} and the line it was thrown on`, async () => {
      const target = path.join(copy, file);
      const original = fs.readFileSync(target, "utf8");
      const { source, line } = withThrow(original, file);
      fs.writeFileSync(target, source);
      try {
        const config = readStackFile(stackFilePath(copy, STACK), PROJECT);
        const run = await runAsHost(
          { stack: STACK, config, path: PROJECT_PATH, preview: true, projectDir: copy },
          engine,
        );
        assert.notEqual(run.code, 0, "the program must fail");
        assert.deepEqual(firstFrame(run.engine.logs), { file: target, line });
      } finally {
        fs.writeFileSync(target, original);
      }
    });
  }
});
