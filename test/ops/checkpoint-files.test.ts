import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { CommandError, readTextFile } from "../../ops/commands/common";
import { readCheckpoint } from "../../ops/state/checkpoint";
import { temporaryFolder } from "../helpers";

const HEALTHY = fs.readFileSync(path.join(__dirname, "../fixtures/checkpoints/healthy.json"), "utf8");

/** The one line readTextFile fails with, for a file written with these bytes. */
function refusal(bytes: Buffer): string {
  const file = path.join(temporaryFolder("slipway-checkpoint-bytes-"), "export.json");
  fs.writeFileSync(file, bytes);
  try {
    readTextFile(file);
  } catch (error) {
    assert.ok(error instanceof CommandError);
    return error.message.replace(file, "<file>");
  }
  assert.fail("the file was read");
}

describe("a state export that is not UTF-8 text, as doctor and restore read it", () => {
  it("a UTF-16 export is refused as UTF-16, not as JSON with invisible characters", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEALTHY, "utf16le")]);
    assert.equal(
      refusal(utf16),
      "<file>: starts with a UTF-16 byte-order mark (BOM): the file is UTF-16; save it as UTF-8",
    );
  });

  it("a byte that is not UTF-8 is named with its line, instead of being read as U+FFFD", () => {
    assert.equal(
      refusal(Buffer.from('{\n"a": "caf\xe9"}', "latin1")),
      "<file>: line 2: byte 0xE9 (offset 11) is not UTF-8; save the file as UTF-8",
    );
  });

  it("a UTF-8 BOM and CRLF line ends, as an editor on Windows saves it, read as the same checkpoint", () => {
    const file = path.join(temporaryFolder("slipway-checkpoint-bom-"), "export.json");
    fs.writeFileSync(file, "\ufeff" + HEALTHY.replace(/\n/g, "\r\n"));
    const read = readCheckpoint(readTextFile(file), file);
    assert.ok(!("kind" in read), JSON.stringify(read));
    assert.deepEqual(read, JSON.parse(HEALTHY));
  });
});
