import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readAppFiles } from "../../infra/app-files";
import { readStackFile, StackFileError } from "../../infra/stack-file";
import { MAX_TEXT_FILE_BYTES, readUtf8 } from "../../infra/text-file";
import { projectTemporaryFolder, temporaryFolder } from "../helpers";

describe("hand-written files that are not files, or not hand-written", () => {
  it("a stack file that is a folder, a symlink loop, a dangling symlink or a FIFO says what it is, not that it is missing", () => {
    const dir = temporaryFolder("slipway-stack-kinds-");
    fs.mkdirSync(path.join(dir, "Pulumi.folder.yaml"));
    fs.symlinkSync("Pulumi.loop.yaml", path.join(dir, "Pulumi.loop.yaml"));
    fs.symlinkSync("gone.yaml", path.join(dir, "Pulumi.dangling.yaml"));
    // A FIFO would block a read until something writes to it: the test would hang.
    assert.equal(spawnSync("mkfifo", [path.join(dir, "Pulumi.pipe.yaml")]).status, 0);
    const problem = (stack: string) => {
      try {
        readStackFile(path.join(dir, `Pulumi.${stack}.yaml`), "slipway");
      } catch (error) {
        assert.ok(error instanceof StackFileError);
        return error.message;
      }
      assert.fail(`Pulumi.${stack}.yaml was read`);
    };
    assert.equal(problem("folder"), "Pulumi.folder.yaml: is a folder, not a file; it must be a regular YAML file");
    assert.equal(
      problem("loop"),
      "Pulumi.loop.yaml: is a symlink loop: following its links comes back to it; make it a file",
    );
    assert.equal(problem("dangling"), "Pulumi.dangling.yaml: is a symlink to gone.yaml, which does not exist");
    assert.equal(
      problem("pipe"),
      "Pulumi.pipe.yaml: is a FIFO (named pipe), not a file; it must be a regular YAML file",
    );
    assert.match(problem("absent"), /^Pulumi\.absent\.yaml: no such stack file in /);
  });

  it("a file past the size limit is refused by its size, before it is read", () => {
    const dir = temporaryFolder("slipway-huge-");
    const file = path.join(dir, "Pulumi.huge.yaml");
    fs.writeFileSync(file, "config: {}\n");
    fs.truncateSync(file, MAX_TEXT_FILE_BYTES + 1);
    const read = readUtf8(file);
    assert.ok("problem" in read);
    assert.match(
      read.problem,
      /^is 1\.0 MiB, more than the 1 MiB a hand-written YAML file is taken at .*it was not read/,
    );
    fs.truncateSync(file, MAX_TEXT_FILE_BYTES);
    assert.ok("text" in readUtf8(file), "exactly the limit is read");
  });

  it("an app file past the size limit, and a symlink loop in the apps folder, name the file", () => {
    const dir = projectTemporaryFolder("slipway-app-kinds-");
    fs.mkdirSync(path.join(dir, "apps"));
    fs.writeFileSync(path.join(dir, "apps", "big.yaml"), `port: 1\n${"#".repeat(MAX_TEXT_FILE_BYTES)}\n`);
    fs.symlinkSync("loop.yaml", path.join(dir, "apps", "loop.yaml"));
    const { files, problems } = readAppFiles(dir);
    assert.deepEqual(files, []);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^apps\/big\.yaml: is 1\.0 MiB, more than the 1 MiB/);
    assert.equal(
      problems[1],
      "apps/loop.yaml: is a symlink loop: following its links comes back to it; make it a file",
    );
  });
});
