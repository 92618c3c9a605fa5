/** The simulated plugins decide replace or update with the data-loss guard's table, and keep a record. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { changedPaths, forcesReplacement, parseUrn, SimulatedProvider } from "../../sandbox/simulated-provider";
import { readReplacementTriggers } from "../../policy/replacement-triggers";
import { WIRE_UNKNOWN } from "../../harness/record";
import { temporaryFolder } from "../helpers";

const RDS = "urn:pulumi:staging::slipway::slipway:aws:Database$aws:rds/instance:Instance::database-instance";

describe("the simulated provider", () => {
  const dir = temporaryFolder("slipway-sim-");
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const provider = new SimulatedProvider({ version: "7.48.0", cloudFile: path.join(dir, "cloud.json") });

  it("reads the type and name a URN carries, the parent types aside", () => {
    assert.deepEqual(parseUrn(RDS), { type: "aws:rds/instance:Instance", name: "database-instance" });
  });

  it("lists changed input paths one level into objects", () => {
    assert.deepEqual(
      changedPaths({ a: 1, b: { c: 1, d: 2 }, e: [1] }, { a: 1, b: { c: 2, d: 2 }, e: [2], f: 1 }).sort(),
      ["b.c", "e", "f"],
    );
  });

  it("replaces on the inputs the replacement table lists, updates on the others", () => {
    const rds = readReplacementTriggers()["aws:rds/instance:Instance"];
    assert.equal(forcesReplacement("storageEncrypted", rds), true);
    assert.equal(forcesReplacement("allocatedStorage", rds), false);
    assert.equal(forcesReplacement("anything", undefined), false);
  });

  it("creates, previews, diffs, reads, updates and deletes through its record", async () => {
    const inputs = { allocatedStorage: 20, storageEncrypted: true, dbName: "app" };
    const preview = await provider.create(RDS, inputs, true);
    assert.equal(preview.id, "");
    assert.equal(preview.outs.allocatedStorage, 20, "a known input stays known in a preview");
    assert.equal(preview.outs.address, WIRE_UNKNOWN, "what the cloud computes is unknown in a preview");
    assert.equal(fs.existsSync(path.join(dir, "cloud.json")), false, "a preview creates nothing");

    const { id, outs } = await provider.create(RDS, inputs, false);
    assert.match(id, /^database-instance-[0-9a-f]{8}$/);
    assert.match(String(outs.address), /^database-instance\..*\.rds\.amazonaws\.com$/);
    assert.deepEqual(provider.read(id)?.inputs, inputs);

    assert.deepEqual(provider.diff(id, RDS, {}, { ...inputs, allocatedStorage: 30 }), {
      changed: ["allocatedStorage"],
      replaces: [],
    });
    assert.deepEqual(provider.diff(id, RDS, {}, { ...inputs, storageEncrypted: false }).replaces, ["storageEncrypted"]);

    await provider.update(id, RDS, { ...inputs, allocatedStorage: 30 }, false);
    assert.equal(provider.read(id)?.outputs.allocatedStorage, 30);
    await provider.delete(id);
    assert.equal(provider.read(id), undefined, "gone: a refresh drops it");
  });
});
