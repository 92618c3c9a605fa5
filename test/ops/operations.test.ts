import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../infra/config";
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { vetRestore } from "../../ops/commands/restore";
import { PROJECT_ROOT } from "../../lib/project-root";
import {
  backupFileName,
  compareCheckpoints,
  doctor,
  readCheckpoint,
  sha256,
  type Checkpoint,
  type Finding,
} from "../../ops/state/checkpoint";
import { commitOf, historyRows, lastSucceededUpdate, numberHistory, parseHistory } from "../../ops/state/history";
import { promote, promotionConcerns, versionMove, type PinChange, type VersionMove } from "../../ops/state/promote";
import { compareConfig, planRollback, riskyPreviewSteps } from "../../ops/state/rollback";
import { protectedTypes, statefulTypes } from "../../policy/replacement-triggers";
import { inProcess, stackFileConfig, temporaryFolder } from "../helpers";
import { runSlipway } from "../../ops/cli";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures");
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
const fixture = (...parts: string[]) => fs.readFileSync(path.join(FIXTURES, ...parts), "utf8");
const service = parseHistory(JSON.parse(fixture("history", "service-backend.json")));
const selfManaged = parseHistory(JSON.parse(fixture("history", "self-managed-backend.json")));
const everyCommitKnown = () => true;

describe("stack history", () => {
  it("numbers a service backend's entries by their versions", () => {
    assert.deepEqual(
      numberHistory(service).map((e) => [e.number, e.numberedBy]),
      [6, 5, 4, 3, 2, 1].map((n) => [n, "version"]),
    );
  });

  it("numbers a self-managed backend's entries by position in time, oldest = 1, whatever the listed order", () => {
    const numbered = numberHistory(selfManaged);
    assert.deepEqual(
      numbered.map((e) => e.number),
      [5, 4, 3, 2, 1],
    );
    assert.ok(numbered.every((e) => e.numberedBy === "position"));
    assert.equal(numbered.find((e) => e.number === 1)!.message, "first deploy");
  });

  it("names the newest succeeded update as the version to roll back to", () => {
    const rows = historyRows(service);
    const newest = Math.max(
      ...rows.filter((r) => r.kind === "update" && r.result === "succeeded").map((r) => r.number),
    );
    assert.equal(lastSucceededUpdate(rows), newest);
    assert.ok(
      rows.some((r) => r.number > newest),
      "the fixture has later updates that did not succeed",
    );
    assert.equal(lastSucceededUpdate([]), undefined);
  });

  it("takes the commit from the CI PR head when there is one, else from git.head", () => {
    assert.equal(commitOf(service.find((e) => e.version === 2)!), "2".repeat(40));
    assert.equal(commitOf(service.find((e) => e.version === 3)!), "3".repeat(40));
  });

  it("lists time, result, commit, channel and changed resources", () => {
    const rows = historyRows(service);
    assert.deepEqual(rows[0], {
      number: 6,
      time: "2026-11-20T14:00:00Z",
      kind: "update",
      result: "failed",
      commit: "666666666666",
      channel: "stable",
      changed: 2,
    });
    assert.equal(rows.find((r) => r.number === 4)!.commit, "444444444444 (dirty)");
    assert.equal(rows.find((r) => r.number === 1)!.changed, 132);
  });
});

describe("rollback decisions", () => {
  const facts = (target: number, extra: Partial<Parameters<typeof planRollback>[0]> = {}) => ({
    history: service,
    target,
    commitExists: everyCommitKnown,
    pendingOperations: 0,
    ...extra,
  });

  it("picks version 2's PR head commit and names it in the update message", () => {
    const plan = planRollback(facts(2));
    assert.ok(plan.ok);
    assert.equal(plan.commit, "2".repeat(40));
    assert.equal(plan.message, "Rollback to version 2 (version, commit 222222222222)");
  });

  it("picks by position on a self-managed backend", () => {
    const plan = planRollback({ ...facts(1), history: selfManaged });
    assert.ok(plan.ok);
    assert.equal(plan.commit, "1".repeat(40));
    assert.match(plan.message, /version 1 \(position/);
  });

  const refusals: Array<[string, ReturnType<typeof facts>, RegExp]> = [
    ["an unknown version", facts(9), /^version 9 is not in the stack's history \(known: 1, 2, 3, 4, 5, 6\)$/],
    ["a failed update", facts(6), /^version 6 failed: roll back only to an update that succeeded$/],
    ["a refresh", facts(5), /^version 5 was a refresh, not an update/],
    ["an update from a dirty tree", facts(4), /^version 4 ran from a dirty working tree/],
    [
      "a commit missing from the repository",
      facts(3, { commitExists: () => false }),
      /^commit 3{40} of version 3 is not in this repository; fetch it first$/,
    ],
    [
      "a stack with pending operations",
      facts(2, { pendingOperations: 2 }),
      /^the stack has 2 pending operation\(s\) from an interrupted update/,
    ],
  ];
  for (const [what, input, reason] of refusals) {
    it(`refuses ${what}`, () => {
      const plan = planRollback(input);
      assert.equal(plan.ok, false);
      assert.match((plan as { reason: string }).reason, reason);
    });
  }

  for (const ref of ["HEAD", "HEAD~1", "main", "origin/main", "v1.2.3"]) {
    it(`refuses a recorded moving reference: ${ref}`, () => {
      const history = service.map((e) => {
        if (e.version !== 2) return e;
        const environment: Record<string, string> = { ...e.environment, "git.head": ref };
        delete environment["ci.pr.headSHA"];
        return { ...e, environment };
      });
      assert.match(
        (planRollback({ ...facts(2), history }) as { reason: string }).reason,
        new RegExp(`^version 2 recorded "${ref.replace(/[.~]/g, "\\$&")}", a moving reference, not a commit`),
      );
    });
  }

  it("judges a preview's steps against the same stateful types as the plan's guard", () => {
    const types = statefulTypes();
    assert.ok(types.includes("kubernetes:core/v1:PersistentVolumeClaim") && types.includes("aws:ebs/volume:Volume"));
    const urn = (type: string, name: string) => `urn:pulumi:production::slipway::slipway:k8s:Platform$${type}::${name}`;
    assert.deepEqual(
      riskyPreviewSteps(
        [
          { op: "delete", urn: urn("kubernetes:core/v1:PersistentVolumeClaim", "grafana") },
          { op: "replace", urn: urn("aws:ebs/volume:Volume", "data") },
          { op: "update", urn: urn("aws:rds/instance:Instance", "db") },
          { op: "delete", urn: urn("kubernetes:core/v1:ConfigMap", "settings") },
        ],
        types,
      ),
      ["delete grafana (kubernetes:core/v1:PersistentVolumeClaim)", "replace data (aws:ebs/volume:Volume)"],
    );
  });

  it("refuses an entry with no recorded commit", () => {
    const history = service.map((e) => (e.version === 2 ? { ...e, environment: { "exec.kind": "cli" } } : e));
    assert.match((planRollback({ ...facts(2), history }) as { reason: string }).reason, /recorded no git commit/);
  });

  it("cross-checks the recorded config against the stack file at that commit", () => {
    const recorded = service.find((e) => e.version === 3)!.config;
    const file = {
      "aws:region": { value: "us-east-1", secret: false },
      "slipway:owner": { value: "platform-team", secret: false },
      "slipway:channel": { value: "stable", secret: false },
      "slipway:alertmanagerWebhookUrl": { value: "", secret: true },
      "slipway:cache": {
        value: JSON.stringify({ engineVersion: "7.1", nodeType: "cache.r6g.large", numCacheClusters: 2 }),
        secret: false,
      },
    };
    assert.deepEqual(compareConfig(recorded, file), [
      'slipway:cache: ran with {"engineVersion":"7.1","nodeType":"cache.r6g.xlarge","numCacheClusters":2}, the stack file says {"engineVersion":"7.1","nodeType":"cache.r6g.large","numCacheClusters":2}',
    ]);
    const withoutOwner: Record<string, { value: string; secret: boolean }> = { ...file };
    delete withoutOwner["slipway:owner"];
    assert.ok(
      compareConfig(service.find((e) => e.version === 2)!.config, withoutOwner).includes(
        "slipway:owner: in the config that ran, not in the stack file at that commit",
      ),
    );
  });

  it("finds preview steps that would replace or delete a stateful resource", () => {
    const urn = (type: string, name: string) => `urn:pulumi:production::slipway::slipway:aws:Database$${type}::${name}`;
    const risky = riskyPreviewSteps(
      [
        { op: "replace", urn: urn("aws:rds/instance:Instance", "database-instance") },
        { op: "update", urn: urn("aws:kms/key:Key", "database-key") },
        { op: "delete", urn: urn("aws:iam/role:Role", "database-monitoring") },
      ],
      protectedTypes(),
    );
    assert.deepEqual(risky, ["replace database-instance (aws:rds/instance:Instance)"]);
  });
});

describe("doctor", () => {
  const checkpoints = fs.readdirSync(path.join(FIXTURES, "checkpoints"));
  const expected: Record<string, string> = {
    "broken-pending-operations.json": "pending-operations",
    "broken-missing-parent.json": "missing-parent",
    "broken-missing-provider.json": "missing-provider",
    "broken-missing-dependency.json": "missing-dependency",
    "broken-dependency-order.json": "dependency-order",
    "broken-duplicate-urn.json": "duplicate-urn",
    "broken-plaintext-secret.json": "plaintext-secret",
    "broken-unprotected-stateful.json": "unprotected-stateful",
    "broken-unsupported-version.json": "unsupported-version",
    "broken-unreadable.json": "unreadable",
    "broken-duplicate-key.json": "duplicate-key",
    "broken-foreign-resource.json": "foreign-resource",
    "broken-plaintext-output.json": "plaintext-output",
  };

  it("has a broken checkpoint of each of its 13 kinds in the corpus", () => {
    assert.deepEqual(checkpoints.filter((f) => f.startsWith("broken-")).sort(), Object.keys(expected).sort());
    assert.equal(Object.keys(expected).length, 13);
  });

  for (const file of checkpoints.filter((f) => f.startsWith("healthy"))) {
    it(`passes ${file}`, () => {
      const text = fixture("checkpoints", file);
      const checkpoint = readCheckpoint(text);
      assert.ok(!("kind" in checkpoint));
      assert.deepEqual(doctor(checkpoint as Checkpoint, { requireProtect: true, text }), []);
    });
  }

  for (const [file, kind] of Object.entries(expected)) {
    it(`finds ${kind} in ${file}, and only that`, () => {
      const text = fixture("checkpoints", file);
      const read = readCheckpoint(text);
      const findings = "kind" in read ? [read] : doctor(read as Checkpoint, { text });
      assert.deepEqual([...new Set(findings.map((f) => f.kind))], [kind]);
      assert.ok(findings.every((f) => f.meaning.length > 20));
    });
  }

  it("makes a missing protect an error when asked to", () => {
    const checkpoint = readCheckpoint(fixture("checkpoints", "broken-unprotected-stateful.json")) as Checkpoint;
    assert.equal(doctor(checkpoint)[0].severity, "warning");
    assert.equal(doctor(checkpoint, { requireProtect: true })[0].severity, "error");
  });
});

describe("restore", () => {
  const errors = [
    "pending-operations",
    "missing-parent",
    "missing-provider",
    "missing-dependency",
    "dependency-order",
    "duplicate-urn",
    "plaintext-secret",
    "unsupported-version",
    "unreadable",
    "duplicate-key",
    "foreign-resource",
    "plaintext-output",
  ];
  for (const kind of errors) {
    it(`refuses what doctor rejects: ${kind}`, () => {
      const result = vetRestore(fixture("checkpoints", `broken-${kind}.json`), undefined, false, true);
      assert.equal(result.ok, false);
      assert.ok(result.findings.some((f) => f.kind === kind));
    });
  }

  it("accepts a healthy backup whose checksum matches, and refuses one that changed since", () => {
    const text = fixture("checkpoints", "healthy.json");
    assert.equal(vetRestore(text, `${sha256(text)}  healthy.json\n`, false).ok, true);
    const changed = vetRestore(`${text} `, `${sha256(text)}  healthy.json\n`, false);
    assert.deepEqual(
      [changed.ok, (changed as { reason: string }).reason],
      [false, "the file does not match its .sha256: it changed since the backup"],
    );
  });

  it("refuses a backup with no checksum beside it unless told it is known", () => {
    const text = fixture("checkpoints", "healthy.json");
    const refused = vetRestore(text, undefined, false);
    assert.equal(refused.ok, false);
    assert.match((refused as { reason: string }).reason, /^the file has no \.sha256 beside it.*pass --no-checksum/);
    assert.equal(vetRestore(text, undefined, false, true).ok, true);
  });

  it("clears pending operations only when asked", () => {
    const text = fixture("checkpoints", "broken-pending-operations.json");
    assert.equal(vetRestore(text, undefined, false, true).ok, false);
    const cleared = vetRestore(text, undefined, true, true);
    assert.ok(cleared.ok);
    assert.deepEqual(cleared.checkpoint.deployment.pending_operations, []);
  });

  it("shows what differs from the current state", () => {
    const healthy = readCheckpoint(fixture("checkpoints", "healthy.json")) as Checkpoint;
    const smaller = readCheckpoint(fixture("checkpoints", "broken-missing-dependency.json")) as Checkpoint;
    assert.deepEqual(compareCheckpoints(healthy, smaller), {
      added: [],
      removed: ["urn:pulumi:production::slipway::slipway:aws:Database$aws:kms/key:Key::database-key"],
      changed: [],
    });
  });

  it("names backups so they sort by time", () => {
    assert.equal(
      backupFileName("production", new Date("2026-11-21T23:05:09.123Z")),
      "production-2026-11-21T23-05-09-123Z.json",
    );
  });
});

describe("promote", () => {
  it("moves every differing pin from edge to stable, keeps the header, and the channel check passes afterwards", async () => {
    const dir = temporaryFolder("slipway-channels-");
    fs.cpSync(path.join(PROJECT_ROOT, "channels"), dir, { recursive: true });
    const channels = readChannelFiles(dir);
    const edge = channelSchema.parse(channels.edge.document);
    const stable = channelSchema.parse(channels.stable.document);
    const result = promote(edge, stable, fs.readFileSync(path.join(dir, "stable.yaml"), "utf8"));
    assert.equal(result.changes.length, Object.keys(edge.charts).length + Object.keys(edge.images).length);
    assert.ok(
      result.changes.some(
        (c) => c.pin === "charts.cert-manager" && c.from === "cert-manager v1.17.2" && c.to === "cert-manager v1.18.2",
      ),
    );
    assert.match(result.text, /^# Release channel `stable`/);
    assert.match(result.text, /\nchannel: stable\n/);
    fs.writeFileSync(path.join(dir, "stable.yaml"), result.text);

    const promoted = readChannelFiles(dir);
    const config = parseStackConfig(
      stackFileConfig("production"),
      { project: "slipway", stack: "production", stackFile: "Pulumi.production.yaml" },
      promoted,
    );
    assert.equal(config.platform.charts["cert-manager"]?.version, "v1.18.2");
    assert.deepEqual(
      promote(edge, channelSchema.parse(promoted.stable.document), result.text).changes,
      [],
      "a second promotion has nothing to move",
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("promotion that understands versions", () => {
  const moves: Array<[string | undefined, string | undefined, VersionMove]> = [
    [undefined, "1.0.0", "new"],
    ["1.2.3", "1.2.4", "patch"],
    ["v1.17.2", "v1.18.2", "minor"],
    ["35.4.0", "36.3.0", "major"],
    ["2.5.0", "2.4.9", "downgrade"],
    ["2.5.0-rc.2", "2.5.0", "patch"],
    ["2.4.1", "2.4.1", "same"],
    ["main-abc", "main-def", "unversioned"],
  ];
  for (const [from, to, move] of moves) {
    it(`reads ${from ?? "(none)"} -> ${to} as ${move}`, () => assert.equal(versionMove(from, to), move));
  }

  const change = (pin: string, move: VersionMove, prerelease = false): PinChange => ({
    pin,
    from: "a",
    to: "b",
    move,
    prerelease,
  });
  const limits = { crdCharts: new Set(["charts.cert-manager", "charts.prometheus-operator-crds"]) };
  it("refuses a pre-release into stable, takes it into edge", () => {
    const changes = [change("images.api", "minor", true)];
    assert.deepEqual(
      promotionConcerns("stable", changes, limits).map((c) => c.concern),
      ["prerelease"],
    );
    assert.deepEqual(promotionConcerns("edge", changes, limits), []);
  });
  it("calls a major version of a chart with CRDs a migration, and a major of another chart a plain move", () => {
    assert.deepEqual(
      promotionConcerns(
        "stable",
        [change("charts.cert-manager", "major"), change("charts.ingress-controllers", "major")],
        limits,
      ).map((c) => [c.pin, c.concern]),
      [["charts.cert-manager", "migration"]],
    );
  });
  it("calls out a downgrade", () => {
    assert.deepEqual(
      promotionConcerns("stable", [change("charts.grafana-stack", "downgrade")], limits).map((c) => c.concern),
      ["downgrade"],
    );
  });
  it("moves only the pins asked for", () => {
    const channels = readChannelFiles();
    const edge = channelSchema.parse(channels.edge.document);
    const stable = channelSchema.parse(channels.stable.document);
    const result = promote(
      edge,
      stable,
      fs.readFileSync(path.join(PROJECT_ROOT, "channels", "stable.yaml"), "utf8"),
      new Set(["charts.cert-manager"]),
    );
    assert.deepEqual(
      result.changes.map((c) => [c.pin, c.move]),
      [["charts.cert-manager", "minor"]],
    );
  });
});

describe("doctor on damaged state", () => {
  const healthy = () => JSON.parse(fixture("checkpoints", "healthy.json")) as Record<string, any>;
  const kindsOf = (checkpoint: unknown) => {
    const read = readCheckpoint(JSON.stringify(checkpoint));
    return "kind" in read ? [read.kind] : doctor(read).map((f) => f.kind);
  };
  const resources = (c: Record<string, any>) => c.deployment.resources as Array<Record<string, any>>;
  const cases: Array<[string, (c: Record<string, any>) => unknown, Finding["kind"]]> = [
    ["an empty deployment", () => ({ version: 3, deployment: {} }), "empty-deployment"],
    ["no resources", (c) => ((c.deployment.resources = []), c), "empty-deployment"],
    [
      "a component after its children",
      (c) => {
        const list = resources(c);
        const component = list.findIndex((r) => r.type.startsWith("slipway:"));
        list.push(list.splice(component, 1)[0]);
        return c;
      },
      "parent-order",
    ],
    [
      "a provider after its users",
      (c) => {
        const list = resources(c);
        const provider = list.findIndex((r) => r.type === "pulumi:providers:aws");
        list.push(list.splice(provider, 1)[0]);
        return c;
      },
      "provider-order",
    ],
    [
      "ciphertext with no secrets provider",
      (c) => {
        delete c.deployment.secrets_providers;
        resources(c)[1].outputs = { token: { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, ciphertext: "v1:abc" } };
        return c;
      },
      "no-secrets-provider",
    ],
    ["a URN that is not one", (c) => ((resources(c)[2].urn = "not-a-urn"), c), "malformed-resource"],
    [
      "a URN with an empty name",
      (c) => ((resources(c)[2].urn = "urn:pulumi:production::slipway::aws:x:Y::"), c),
      "malformed-resource",
    ],
    ["a missing URN", (c) => (delete resources(c)[2].urn, c), "malformed-resource"],
    ["a number among the resources", (c) => (resources(c).push(42 as never), c), "malformed-resource"],
    ["null among the resources", (c) => (resources(c).push(null as never), c), "malformed-resource"],
    ["a list among the resources", (c) => (resources(c).push([]), c), "malformed-resource"],
    [
      "an RDS password in plain text",
      (c) => (
        resources(c).push({
          urn: "urn:pulumi:production::slipway::aws:rds/instance:Instance::db",
          type: "aws:rds/instance:Instance",
          inputs: { password: "hunter2" },
        }),
        c
      ),
      "plaintext-secret",
    ],
    [
      "a Redis auth token in plain text",
      (c) => (
        resources(c).push({
          urn: "urn:pulumi:production::slipway::aws:elasticache/replicationGroup:ReplicationGroup::r",
          type: "aws:elasticache/replicationGroup:ReplicationGroup",
          outputs: { authToken: "t0ken" },
        }),
        c
      ),
      "plaintext-secret",
    ],
    [
      "a kubeconfig in plain text",
      (c) => (
        resources(c).push({
          urn: "urn:pulumi:production::slipway::pulumi:providers:kubernetes::k8s",
          type: "pulumi:providers:kubernetes",
          inputs: { kubeconfig: "apiVersion: v1" },
        }),
        c
      ),
      "plaintext-secret",
    ],
    ["a version that is text", (c) => ((c.version = "3"), c), "unreadable"],
    ["a deployment that is a list", (c) => ((c.deployment = []), c), "unreadable"],
    ["resources that are an object", (c) => ((c.deployment.resources = {}), c), "unreadable"],
    ["a JSON array", () => [], "unreadable"],
  ];
  for (const [what, damage, kind] of cases) {
    it(`reports ${what} as ${kind}`, () => {
      assert.ok(kindsOf(damage(healthy())).includes(kind), JSON.stringify(kindsOf(damage(healthy()))));
    });
  }

  // Damage the engine's own integrity check rejects on import (pulumi/pulumi
  // pkg/resource/deploy/snapshot.go, VerifyIntegrity), or that leaves a resource the engine
  // cannot reach: each reported as exactly this, and each refused by restore.
  const URN = {
    awsProvider: "urn:pulumi:production::slipway::pulumi:providers:aws::aws",
    key: "urn:pulumi:production::slipway::slipway:aws:Database$aws:kms/key:Key::database-key",
    instance: "urn:pulumi:production::slipway::slipway:aws:Database$aws:rds/instance:Instance::database-instance",
  };
  const byUrn = (c: Record<string, any>, urn: string) => resources(c).find((r) => r.urn === urn)!;
  const exact: Array<[string, (c: Record<string, any>) => unknown, Array<Finding["kind"]>]> = [
    [
      "a propertyDependencies entry naming a URN not in the state",
      (c) => ((byUrn(c, URN.instance).propertyDependencies.vpcSecurityGroupIds = [`${URN.key}-gone`]), c),
      ["missing-property-dependency"],
    ],
    [
      "a resource that depends on itself",
      (c) => (byUrn(c, URN.instance).dependencies.push(URN.instance), c),
      ["self-dependency"],
    ],
    [
      "a property that depends on its own resource",
      (c) => ((byUrn(c, URN.instance).propertyDependencies.port = [URN.instance]), c),
      ["self-dependency"],
    ],
    ["a resource that is its own parent", (c) => ((byUrn(c, URN.key).parent = URN.key), c), ["self-dependency"]],
    [
      "a provider reference whose ID is not the provider's",
      (c) => ((byUrn(c, URN.key).provider = `${URN.awsProvider}::00000000-0000-4000-8000-000000000000`), c),
      ["provider-id-mismatch"],
    ],
    [
      "a provider marked delete: true that resources still use",
      (c) => ((byUrn(c, URN.awsProvider).delete = true), c),
      ["deleted-provider", "deleted-provider"],
    ],
    [
      "a custom resource with no provider reference",
      (c) => (delete byUrn(c, URN.key).provider, c),
      ["missing-provider-reference"],
    ],
    ["a custom resource with no ID", (c) => (delete byUrn(c, URN.key).id, c), ["missing-id"]],
    ["a custom resource with an empty ID", (c) => ((byUrn(c, URN.key).id = ""), c), ["missing-id"]],
    [
      "a type that contradicts its URN",
      (c) => ((byUrn(c, URN.key).type = "aws:kms/alias:Alias"), c),
      ["type-mismatch"],
    ],
    ["a type that is not a type token", (c) => ((byUrn(c, URN.key).type = "kms key"), c), ["invalid-type"]],
    [
      "another stack's resources mixed in",
      (c) => {
        const staging = structuredClone(byUrn(c, URN.key));
        for (const field of ["urn", "parent", "provider"])
          staging[field] = staging[field].replace(":production::", ":staging::");
        resources(c).push(staging);
        return c;
      },
      ["foreign-resource"],
    ],
    [
      "another project's resources mixed in",
      (c) => {
        const other = structuredClone(byUrn(c, URN.key));
        for (const field of ["urn", "parent", "provider"])
          other[field] = other[field].replace("::slipway::", "::billing::");
        resources(c).push(other);
        return c;
      },
      ["foreign-resource"],
    ],
    [
      "a kubeconfig in the stack outputs, in plain text",
      (c) => ((resources(c)[0].outputs.kubeconfig = { apiVersion: "v1", clusters: [], contexts: [], users: [] }), c),
      ["plaintext-output"],
    ],
    [
      "an EKS token in the stack outputs, in plain text",
      (c) => ((resources(c)[0].outputs.access = `k8s-aws-v1.${"a".repeat(40)}`), c),
      ["plaintext-output"],
    ],
    [
      "an output named as a token, in plain text",
      (c) => ((resources(c)[0].outputs.runnerToken = "ghs_0123456789"), c),
      ["plaintext-output"],
    ],
  ];
  for (const [what, damage, kinds] of exact) {
    it(`reports ${what} as ${kinds[0]}, and nothing else`, () => {
      assert.deepEqual(kindsOf(damage(healthy())), kinds);
    });
    it(`restore refuses ${what}`, () => {
      const result = vetRestore(JSON.stringify(damage(healthy())), undefined, false, true);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, new RegExp(`^doctor found \\d+ error\\(s\\): ${kinds[0]}$`));
    });
  }

  const fine: Array<[string, (c: Record<string, any>) => unknown]> = [
    [
      "a provider marked delete: true that nothing uses any more (left by a replacement)",
      (c) => (
        resources(c).splice(2, 0, {
          ...structuredClone(byUrn(c, URN.awsProvider)),
          id: "11111111-2222-4333-8444-555555555555",
          delete: true,
        }),
        c
      ),
    ],
    [
      "an output that is an ARN, named after a secret",
      (c) => ((resources(c)[0].outputs.secretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"), c),
    ],
    [
      "an encrypted kubeconfig output",
      (c) => ((resources(c)[0].outputs.kubeconfig = { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, ciphertext: "v1:abc" }), c),
    ],
  ];
  for (const [what, change] of fine) {
    it(`finds nothing wrong with ${what}`, () => {
      assert.deepEqual(kindsOf(change(healthy())), []);
    });
  }

  it("reports a dependency missing from both lists once, as a missing dependency", () => {
    const c = healthy();
    resources(c).splice(
      resources(c).findIndex((r) => r.urn === URN.key),
      1,
    );
    assert.deepEqual(kindsOf(c), ["missing-dependency"]);
  });

  it("sees a key written twice, which JSON.parse hides, and says where", () => {
    const text = fixture("checkpoints", "broken-duplicate-key.json");
    const findings = doctor(readCheckpoint(text) as Checkpoint, { text });
    assert.deepEqual(
      findings.map((f) => [f.kind, f.urn, f.message]),
      [
        [
          "duplicate-key",
          URN.instance,
          'deployment.resources[6].inputs has the key "storageEncrypted" twice; JSON.parse keeps the last one',
        ],
      ],
    );
    assert.deepEqual(doctor(readCheckpoint(text) as Checkpoint), [], "the parsed object alone cannot show it");
  });

  it("never prints the credential it found in an output", async () => {
    const r = await inProcess(runSlipway, [
      "doctor",
      "test/fixtures/checkpoints/broken-plaintext-output.json",
      "--json",
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /stack output kubeconfig is a kubeconfig in plain text/);
    assert.doesNotMatch(r.stdout + r.stderr, /k8s-aws-v1|EXAMPLE0123456789/);
  });

  it("says which part of a file of the wrong shape is wrong, never 'unexpected failure'", () => {
    const read = readCheckpoint(JSON.stringify({ version: 3, deployment: { resources: {} } }));
    assert.ok("kind" in read);
    assert.equal(read.message, "deployment.resources: must be a list of resources");
  });

  it("finds nothing wrong in the healthy fixtures", () => {
    assert.deepEqual(kindsOf(healthy()), []);
  });
});
