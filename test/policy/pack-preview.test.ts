/**
 * The policy pack as `pulumi preview --policy-pack policy` runs it: served by
 * @pulumi/policy in its own process and called over the Analyzer protocol, over a record
 * of the program as a preview of a new stack sees it (IDs and computed outputs unknown)
 * and over one with known values, as `pulumi up` sees it.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { evaluate, policyPackConfig } from "../../policy/evaluate";
import { policyResources } from "../../ops/plan/policy";
import { typesReadByResourcePolicies } from "../../policy/policies";
import type { StackName } from "../../policy/rule";
import { RULES } from "../../policy/rules";
import {
  analyzeStackBytes,
  isAnalyzed,
  PolicyPackServer,
  readPackConfig,
  type PackConfig,
} from "../../ops/harness/policy-pack";
import { AnalyzeStackRequest } from "@pulumi/pulumi/proto/analyzer_pb";
import type { ProgramRecord } from "../../ops/harness/record";
import { PROJECT_DIR, runProgram } from "../../ops/harness/run";
import { goldenRecordOf, STACKS } from "../helpers";
import { FAILING, stackFor, type Mutation, type Props } from "./mutations";

const records = new Map<string, Promise<ProgramRecord>>();
/** One program run per stack and form for this file. */
function recordFor(stack: StackName, preview: boolean): Promise<ProgramRecord> {
  const key = `${stack}:${preview}`;
  if (!records.has(key)) records.set(key, runProgram({ stack, preview }));
  return records.get(key)!;
}

/** The stack's config with every policy but `only` disabled. */
function onlyPolicy(stack: StackName, only: string): PackConfig {
  return Object.fromEntries(
    Object.entries(policyPackConfig(stack)).map(([name, settings]) => [
      name,
      { ...settings, enforcementLevel: name === only ? settings.enforcementLevel : "disabled" },
    ]),
  );
}

/** A copy of the record with one mutation applied to its target resource. */
function mutated(record: ProgramRecord, mutation: Mutation): { record: ProgramRecord; urn: string } {
  const copy = structuredClone(record);
  const target = copy.resources.find(
    (r) => r.type === mutation.type && (mutation.name === undefined || r.name === mutation.name),
  );
  assert.ok(target, `no ${mutation.type} ${mutation.name ?? ""} in the record`);
  mutation.change(target.inputs as Props, {
    opts: target.options as unknown as Props,
    propertyDependencies: target.propertyDependencies,
    dependencies: target.dependencies,
  });
  return { record: copy, urn: target.urn };
}

describe("the policy pack served by @pulumi/policy", () => {
  let server: PolicyPackServer;
  before(async () => {
    server = await PolicyPackServer.start();
  });
  after(() => server.stop());

  for (const stack of STACKS) {
    for (const preview of [true, false]) {
      const form = preview ? "a preview of a new stack" : "known values (pulumi up)";
      it(`${stack}, ${form}: every rule runs, and no mandatory violation`, async () => {
        const record = await recordFor(stack, preview);
        const config = readPackConfig(path.join(PROJECT_DIR, "policy", "config", `${stack}.json`));
        const diagnostics = await server.analyze(record, config);
        assert.deepEqual(
          diagnostics.filter((d) => d.cannotRun).map((d) => `${d.policy}: ${d.message}`),
          [],
        );
        assert.deepEqual(
          diagnostics.filter((d) => d.level === "mandatory").map((d) => `${d.policy} ${d.urn}: ${d.message}`),
          [],
        );
      });
    }
  }

  for (const stack of STACKS) {
    it(`${stack}: Analyze of a type no resource policy reads reports nothing, so the plan can leave it out`, async () => {
      const config = readPackConfig(path.join(PROJECT_DIR, "policy", "config", `${stack}.json`));
      const read = typesReadByResourcePolicies(RULES);
      for (const preview of [true, false]) {
        const record = await recordFor(stack, preview);
        const all = await server.analyze(record, config);
        const some = await server.analyze(record, config, (r) => read.has(r.type));
        assert.ok(all.length > 0, "the stack draws some diagnostics");
        assert.deepEqual(some, all);
      }
    });
  }

  it("sends AnalyzeStack every resource, in order, as one request serialised a resource at a time", async () => {
    const record = await recordFor("production", true);
    const request = AnalyzeStackRequest.deserializeBinary(analyzeStackBytes(record));
    const sent = request.getResourcesList();
    assert.deepEqual(
      sent.map((r) => r.getUrn()),
      record.resources.map((r) => r.urn),
    );
    const rds = sent.find((r) => r.getType() === "aws:rds/instance:Instance")!;
    assert.equal(rds.getProperties()?.toJavaScript().engine, "postgres");
    assert.deepEqual(rds.getPropertydependenciesMap().get("kmsKeyId")?.getUrnsList(), [
      "urn:pulumi:production::slipway::slipway:aws:Database$aws:kms/key:Key::database-key",
    ]);
    assert.ok(rds.getProvider()?.getUrn().includes("pulumi:providers:aws"));
  });

  for (const stack of STACKS) {
    it(`${stack}: a preview declares the same resources as an update (nothing is registered inside an apply)`, async () => {
      const urns = async (preview: boolean) => (await recordFor(stack, preview)).resources.map((r) => r.urn).sort();
      assert.deepEqual(await urns(true), await urns(false));
    });
  }

  it("sees unknowns where a real preview has them", async () => {
    const record = await recordFor("production", true);
    const rds = record.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
    assert.equal(rds.inputs.kmsKeyId, "[unknown]");
    assert.equal(rds.inputs.finalSnapshotIdentifier, "[unknown]");
    assert.deepEqual(rds.propertyDependencies.kmsKeyId, [
      "urn:pulumi:production::slipway::slipway:aws:Database$aws:kms/key:Key::database-key",
    ]);
  });

  it("judges in no stack rule a Kubernetes object a new stack's preview sends without properties", async () => {
    // The engine sends every object of a provider whose config is still unknown with no
    // properties (provider_plugin.go, Create); the sandbox's real CLI showed the stack rules
    // failing each such Deployment as "namespace undefined has no default-deny NetworkPolicy".
    const original = await recordFor("production", true);
    const emptied = new Set(original.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.urn));
    const record = {
      ...original,
      resources: original.resources.map((r) => (emptied.has(r.urn) ? { ...r, inputs: {} } : r)),
    };
    assert.ok(emptied.size > 20, "the production stack declares Kubernetes objects");
    await server.configure(record, readPackConfig(path.join(PROJECT_DIR, "policy", "config", "production.json")));
    const served = (await server.analyzeStack(record)).filter((d) => emptied.has(d.urn));
    assert.deepEqual(served, []);
    // Stack rules only: a resource rule gets the resource's inputs (Analyze), which stay whole.
    const stackRules = RULES.filter((rule) => rule.scope === "stack");
    const inPlan = evaluate(policyResources(record), "production", stackRules).filter((f) => emptied.has(f.urn));
    assert.deepEqual(inPlan, []);
  });

  it('reports a policy that reads an unknown as "can\'t run", as the CLI would', async () => {
    const fixture = await PolicyPackServer.start(
      path.join(PROJECT_DIR, "test", "fixtures", "policy-pack-reads-unknown"),
    );
    try {
      const record = await recordFor("production", true);
      const rds = record.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
      await fixture.configure(record, { "reads-kms-key-id": { enforcementLevel: "mandatory" } });
      const diagnostics = await fixture.analyzeResource(record, rds);
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0].cannotRun, true);
      assert.equal(diagnostics[0].level, "advisory");
      assert.match(diagnostics[0].message, /string value at \.kmsKeyId can't be known during preview/);
    } finally {
      fixture.stop();
    }
  });

  for (const rule of RULES) {
    const stack = stackFor(rule.levels);
    for (const mutation of FAILING[rule.name] ?? []) {
      it(`${rule.name} catches, in a preview (${stack}): ${mutation.label}`, async () => {
        const { record, urn } = mutated(await goldenRecordOf(stack, true), mutation);
        await server.configure(record, onlyPolicy(stack, rule.name));
        const target = record.resources.find((r) => r.urn === urn)!;
        const diagnostics =
          rule.scope === "resource" && isAnalyzed(target)
            ? await server.analyzeResource(record, target)
            : await server.analyzeStack(record);
        const found = diagnostics.filter((d) => d.policy === rule.name);
        assert.ok(found.length > 0, "the rule did not fire");
        assert.deepEqual(
          found.filter((d) => d.cannotRun),
          [],
        );
        assert.equal(found[0].level, rule.levels[stack]);
        if (rule.scope === "resource") assert.equal(found[0].urn, urn);
      });
    }
  }
});
