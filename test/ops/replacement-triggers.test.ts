/**
 * The guard's knowledge, entry by entry: for every type in policy/replacement-triggers.yaml
 * a change of a listed input is flagged (or, for a provider or a subnet, what it takes with
 * it is), and a harmless change of the same resource is not. An emptied list fails here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProgramRecord, RecordedResource } from "../../ops/harness/record";
import { diffRecords } from "../../ops/plan/diff";
import { assessDataLoss, readReplacementTriggers } from "../../ops/plan/replacement";
import { recordOf } from "../helpers";

const triggers = readReplacementTriggers();
const urnOf = (type: string, name: string) => `urn:pulumi:production::slipway::${type}::${name}`;
const DATABASE = "aws:rds/instance:Instance";

function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    parent: "",
    provider: "",
    dependencies: [],
    propertyDependencies: {},
    inputs,
    options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [] },
    ...extra,
  };
}

const record = (resources: RecordedResource[]): ProgramRecord => ({
  project: "slipway",
  stack: "production",
  tier: "production",
  preview: false,
  resources,
  outputs: {},
  componentOutputs: {},
  warnings: [],
});

/** Sets a dotted path in a fresh object. */
function withPath(path: string, value: unknown): Record<string, unknown> {
  const keys = path.split(".");
  const root: Record<string, unknown> = {};
  keys.reduce<Record<string, unknown>>((node, key, i) => {
    node[key] = i === keys.length - 1 ? value : {};
    return node[key] as Record<string, unknown>;
  }, root);
  return root;
}

/** Before and after records where `type`'s resource changes at `path`, with a database that uses or sits on it. */
function scenario(type: string, path: string) {
  const subject = (value: string) => resource(type, "subject", { ...withPath(path, value), tags: { Name: "x" } });
  const database = (provider: string) =>
    resource(
      DATABASE,
      "db",
      { identifier: "db" },
      { provider, dependencies: provider ? [] : [urnOf(type, "subject")] },
    );
  const cascade = triggers[type].cascade;
  const dbProvider = cascade === "users" ? urnOf(type, "subject") : "";
  const build = (value: string, tag: string) => {
    const s = subject(value);
    (s.inputs.tags as Record<string, string>).Name = tag;
    return record([s, ...(cascade ? [database(dbProvider)] : [])]);
  };
  return { build };
}

describe("the replacement triggers, each checked", () => {
  for (const [type, entry] of Object.entries(triggers)) {
    describe(type, () => {
      it("has a source and at least one trigger", () => {
        assert.ok(entry.source.length > 10);
        assert.ok(entry.replaceOn.length > 0);
        assert.ok(
          entry.holds !== undefined || entry.cascade !== undefined,
          "neither holds data nor takes anything with it",
        );
      });

      for (const path of entry.replaceOn) {
        it(`flags a change of ${path}`, () => {
          const { build } = scenario(type, path);
          const [before, after] = [build("old", "x"), build("new", "x")];
          const risks = assessDataLoss(diffRecords(before, after), triggers, { before, after });
          const expected = entry.cascade ? DATABASE : type;
          const risk = risks.find((r) => r.type === expected);
          assert.ok(risk, `nothing flagged: ${JSON.stringify(risks)}`);
          assert.match(risk.reason, new RegExp(`replaced, because .*${path.replace(/\./g, "\\.")} changed`));
          assert.ok(risk.loses.length > 0 && risk.avoid.length > 0);
        });
      }

      it("does not flag a change of its Name tag", () => {
        const { build } = scenario(type, entry.replaceOn[0]);
        const [before, after] = [build("same", "x"), build("same", "y")];
        assert.deepEqual(assessDataLoss(diffRecords(before, after), triggers, { before, after }), []);
      });

      if (entry.holds) {
        it("flags deleting it, saying what is lost", () => {
          const { build } = scenario(type, entry.replaceOn[0]);
          const before = build("v", "x");
          const after = record(before.resources.filter((r) => r.type !== type));
          const risks = assessDataLoss(diffRecords(before, after), triggers, { before, after });
          assert.equal(risks.find((r) => r.type === type)?.loses, entry.holds);
        });
      }
    });
  }

  it("does not flag a resource type it has no entry for", () => {
    const before = record([resource("aws:ec2/securityGroup:SecurityGroup", "sg", { name: "a" })]);
    const after = record([resource("aws:ec2/securityGroup:SecurityGroup", "sg", { name: "b" })]);
    assert.deepEqual(assessDataLoss(diffRecords(before, after), triggers, { before, after }), []);
  });
});

describe("the guard covers every stateful type the program declares", () => {
  it("has an entry for exactly these types (removing one fails here)", () => {
    assert.deepEqual(Object.keys(triggers).sort(), [
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:ebs/volume:Volume",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/vpc:Vpc",
      "aws:eks/cluster:Cluster",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:kms/key:Key",
      "aws:rds/instance:Instance",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "pulumi:providers:aws",
    ]);
  });

  // terraform-provider-aws internal/service/elasticache/replication_group.go marks these ForceNew.
  for (const path of ["replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port"]) {
    it(`flags production's cache when ${path} changes in the real record`, async () => {
      const before = await recordOf("production");
      const after = structuredClone(before);
      const cache = after.resources.find((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")!;
      cache.inputs[path] =
        typeof cache.inputs[path] === "boolean" ? !cache.inputs[path] : `${String(cache.inputs[path])}-new`;
      const risks = assessDataLoss(diffRecords(before, after), triggers, { before, after });
      assert.deepEqual(
        risks.map((r) => [r.type, r.loses]),
        [["aws:elasticache/replicationGroup:ReplicationGroup", "every key in the cache"]],
      );
      assert.match(risks[0].reason, new RegExp(`replaced, because ${path} changed`));
    });
  }
});
