/**
 * The guard's knowledge, entry by entry: for every type in policy/replacement-triggers.yaml
 * a change of a listed input is flagged (or, for a provider or a subnet, what it takes with
 * it is), and a harmless change of the same resource is not. An emptied list fails here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { diffRecords } from "../../ops/plan/diff";
import { assessDataLoss, replacements } from "../../ops/plan/replacement";
import { protectedTypes, readReplacementTriggers, statefulTypes } from "../../policy/replacement-triggers";
import { CHART_VOLUME_SIZES } from "../../ops/plan/in-place";
import { recordOf } from "../helpers";

const triggers = readReplacementTriggers();
const urnOf = (type: string, name: string) => `urn:pulumi:production::slipway::${type}::${name}`;
const DATABASE = "aws:rds/instance:Instance";
const RELEASE = "kubernetes:helm.sh/v3:Release";
/** A chart whose contract says what its release holds (channels/contracts/charts.yaml). */
const CRD_CHART = "prometheus-operator-crds";

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

/**
 * Before and after records where `type`'s resource changes at `path`, with a database that
 * uses or sits on it. A Helm release is of a chart whose contract holds something, so the
 * value of its `name` is that chart's, then another.
 */
function scenario(type: string, path: string) {
  const named = (value: string) => (type === RELEASE && path === "name" ? ({ old: CRD_CHART }[value] ?? value) : value);
  const subject = (value: string) =>
    resource(type, "subject", {
      ...(type === RELEASE ? { name: CRD_CHART } : {}),
      ...withPath(path, named(value)),
      tags: { Name: "x" },
    });
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
      // What a release holds is its chart's; an entry that holds nothing makes the steps say replace.
      const holdsNothing = entry.holds === undefined && entry.cascade === undefined && type !== RELEASE;

      it("has a source and at least one trigger", () => {
        assert.ok(entry.source.length > 10);
        assert.ok(entry.replaceOn.length > 0);
      });

      for (const path of entry.replaceOn) {
        it(`${holdsNothing ? "replaces it on" : "flags"} a change of ${path}`, () => {
          const { build } = scenario(type, path);
          const [before, after] = [build("old", "x"), build("new", "x")];
          const diff = diffRecords(before, after);
          if (holdsNothing) {
            assert.deepEqual(
              [...replacements(diff).values()].map((r) => r.cause),
              [`${path} changed`],
            );
            assert.deepEqual(assessDataLoss(diff, triggers, { before, after }), [], "it holds nothing to lose");
            return;
          }
          const risks = assessDataLoss(diff, triggers, { before, after });
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

describe("the types production protects, marked once in the table", () => {
  it("are the database, the cache, the cluster and the KMS keys, each a type that holds data", () => {
    assert.deepEqual(protectedTypes(), [
      "aws:rds/instance:Instance",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "aws:eks/cluster:Cluster",
      "aws:kms/key:Key",
    ]);
    assert.deepEqual(
      protectedTypes().filter((type) => !statefulTypes().includes(type)),
      [],
    );
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
      "aws:rds/parameterGroup:ParameterGroup",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "kubernetes:helm.sh/v3:Release",
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

/** Every `inPlace` rule: met, it is flagged with its effect; not met, nothing is. */
describe("changes made in place that still lose something, each checked", () => {
  // For each condition: a change that meets it, and one of the same input that does not.
  const values: Record<string, { meets: [unknown, unknown]; misses: [unknown, unknown] }> = {
    changed: { meets: ["a", "b"], misses: ["a", "a"] },
    "major-version-change": { meets: ["15", "16"], misses: ["15.7", "15.8"] },
    "set-to-zero": { meets: [7, 0], misses: [7, 3] },
    shrinks: { meets: ["100Gi", "20Gi"], misses: ["100Gi", "200Gi"] },
  };
  const volumePath = "values.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage";
  const records = (type: string, path: string, [was, is]: [unknown, unknown], ignoreChanges: string[] = []) => {
    const side = (value: unknown) =>
      record([
        resource(
          type,
          "subject",
          { ...(type === RELEASE ? { name: "cluster-monitoring" } : {}), ...withPath(path, value) },
          { options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges } },
        ),
      ]);
    return { before: side(was), after: side(is) };
  };
  for (const [type, entry] of Object.entries(triggers)) {
    for (const rule of entry.inPlace ?? []) {
      const path = rule.input === CHART_VOLUME_SIZES ? volumePath : rule.input;
      it(`${type}: flags ${rule.input} when it ${rule.when.replace(/-/g, " ")}`, () => {
        const { before, after } = records(type, path, values[rule.when].meets as [unknown, unknown]);
        const risks = assessDataLoss(diffRecords(before, after), triggers, { before, after });
        assert.equal(risks.length, 1, JSON.stringify(risks));
        assert.ok(risks[0].reason.startsWith(rule.effect), risks[0].reason);
        assert.ok(
          risks[0].reason.endsWith(`(${path}: ${values[rule.when].meets.map((v) => JSON.stringify(v)).join(" -> ")})`),
        );
        assert.ok(risks[0].loses.length > 10 && risks[0].avoid === rule.avoid);
        assert.ok(rule.source.length > 10);
      });
      it(`${type}: does not flag ${rule.input} when it does not ${rule.when.replace(/-/g, " ")}`, () => {
        const { before, after } = records(type, path, values[rule.when].misses as [unknown, unknown]);
        assert.deepEqual(assessDataLoss(diffRecords(before, after), triggers, { before, after }), []);
      });
      it(`${type}: does not flag ${rule.input} when the engine ignores its changes`, () => {
        const ignored = path.split(".")[0];
        const { before, after } = records(type, path, values[rule.when].meets as [unknown, unknown], [ignored]);
        assert.deepEqual(assessDataLoss(diffRecords(before, after), triggers, { before, after }), []);
      });
    }
    if (entry.deleted) {
      it(`${type}: flags deleting one, and names what stood on it`, () => {
        const subject = resource(type, "subject", { availabilityZone: "us-east-1b" });
        const user = resource("aws:rds/subnetGroup:SubnetGroup", "db-subnets", {}, { dependencies: [subject.urn] });
        const before = record([subject, user]);
        const after = record([user]);
        const risks = assessDataLoss(diffRecords(before, after), triggers, { before, after });
        assert.deepEqual(
          risks.map((r) => r.reason),
          [
            `deleted: ${entry.deleted!.effect.replace("{availabilityZone}", "us-east-1b")} (moved off it: db-subnets (SubnetGroup))`,
          ],
        );
        assert.equal(risks[0].loses, entry.deleted!.loses);
      });
    }
    const alike = entry.deleted?.whileOthersRemain;
    if (alike) {
      it(`${type}: says what stays when another one with the same ${alike.by} remains`, () => {
        const subject = resource(type, "subject", { [alike.by]: "us-east-1b" });
        const sameGroup = resource(type, "sibling", { [alike.by]: "us-east-1b" });
        const otherGroup = resource(type, "elsewhere", { [alike.by]: "us-east-1c" });
        const before = record([subject, sameGroup, otherGroup]);
        const kept = record([sameGroup, otherGroup]);
        const [risk] = assessDataLoss(diffRecords(before, kept), triggers, { before, after: kept });
        assert.match(risk.reason, /^deleted: /);
        assert.ok(risk.reason.includes("sibling"), risk.reason);
        assert.ok(!risk.reason.includes("elsewhere"), risk.reason);
        assert.ok(!risk.reason.includes("{"), `a placeholder is left unfilled: ${risk.reason}`);
        assert.equal(risk.loses, alike.loses);
        // With no sibling in its group left, the whole rule applies again.
        const alone = record([otherGroup]);
        const both = assessDataLoss(diffRecords(before, alone), triggers, { before, after: alone });
        const subjectRisk = both.find((r) => r.urn === subject.urn);
        assert.equal(subjectRisk?.loses, entry.deleted!.loses);
      });
    }
  }
});
