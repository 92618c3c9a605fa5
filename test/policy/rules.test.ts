import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { evaluate, policyPackConfig } from "../../policy/evaluate";
import { toPolicy } from "../../policy/policies";
import type { PolicyResource } from "../../policy/rule";
import { TIERS, type Tier } from "../../lib/tiers";
import { RULES } from "../../policy/rules/index";
import { policyResources } from "../../ops/plan/policy";
import { goldenRecordOf, recordOf } from "../helpers";
import { FAILING, PASSING, RDS, stackFor, type Props } from "./mutations";
import { PROJECT_ROOT } from "../../lib/project-root";

async function golden(): Promise<PolicyResource[]> {
  return structuredClone(policyResources(await goldenRecordOf("production")));
}

describe("policy rules", () => {
  it("number 74, with unique names and complete metadata", () => {
    assert.equal(RULES.length, 74);
    assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
    for (const rule of RULES) {
      assert.match(rule.name, /^[a-z0-9-]+$/);
      assert.ok(rule.description && rule.remediation && rule.sources.length > 0 && rule.id, rule.name);
    }
  });

  it("each have failing fixtures", () => {
    assert.deepEqual(
      RULES.map((r) => r.name).filter((name) => !FAILING[name]?.length),
      [],
    );
  });

  it("all pass on both real stacks where mandatory", async () => {
    assert.deepEqual(evaluate(policyResources(await goldenRecordOf("production")), "production"), []);
    const staging = evaluate(policyResources(await recordOf("staging")), "staging");
    assert.deepEqual(
      staging.filter((f) => f.level === "mandatory"),
      [],
    );
  });

  it("policy/config/<tier>.json match the rules' enforcement matrix (npm run policy:config)", () => {
    for (const tier of TIERS) {
      const file = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policy", "config", `${tier}.json`), "utf8"));
      assert.deepEqual(file, policyPackConfig(tier));
    }
  });

  for (const rule of RULES) {
    describe(`${rule.name} (${rule.id})`, () => {
      const stack = stackFor(rule.levels);
      it(`passes the compliant golden stack (${stack}), which has what it checks`, async () => {
        const resources = await golden();
        if (rule.scope === "resource")
          assert.ok(
            resources.some((r) => rule.types.includes(r.type)),
            "the golden has no resource of its types",
          );
        assert.deepEqual(evaluate(resources, stack, [rule]), []);
      });
      for (const mutation of PASSING[rule.name] ?? []) {
        it(`still passes: ${mutation.label}`, async () => {
          const resources = await golden();
          const target = resources.find((r) => r.type === mutation.type && r.name === mutation.name);
          assert.ok(target, `no ${mutation.type} ${mutation.name ?? ""} in the golden`);
          mutation.change(
            target.props as Props,
            target as unknown as { opts: Props; propertyDependencies: Props; dependencies: string[] },
          );
          assert.deepEqual(evaluate(resources, stack, [rule]), []);
        });
      }
      for (const mutation of FAILING[rule.name] ?? []) {
        it(`fails: ${mutation.label}`, async () => {
          const resources = await golden();
          const target = resources.find(
            (r) => r.type === mutation.type && (mutation.name === undefined || r.name === mutation.name),
          );
          assert.ok(target, `no ${mutation.type} ${mutation.name ?? ""} in the golden`);
          mutation.change(
            target.props as Props,
            target as unknown as { opts: Props; propertyDependencies: Props; dependencies: string[] },
          );
          const findings = evaluate(resources, stack, [rule]);
          assert.ok(findings.length > 0, "the rule did not fire");
          assert.ok(findings.some((f) => f.urn === target.urn || rule.scope === "stack"));
          assert.equal(findings[0].level, rule.levels[stack]);
        });
      }
    });
  }

  it("are advisory in staging where production makes them mandatory", () => {
    const eased = RULES.filter((r) => r.levels.production === "mandatory" && r.levels.staging === "advisory").map(
      (r) => r.name,
    );
    assert.ok(eased.includes("rds-deletion-protection") && eased.includes("k8s-image-digest"));
  });
});

describe("the @pulumi/policy pack", () => {
  it("reports through validateResource exactly what the rule finds, at the configured stack", async () => {
    const rule = RULES.find((r) => r.name === "rds-backup-retention")!;
    const policy = toPolicy(rule) as unknown as {
      validateResource: (args: unknown, report: (m: string) => void) => void;
      enforcementLevel: string;
    };
    assert.equal(policy.enforcementLevel, "mandatory");
    const resource = (await golden()).find((r) => r.type === RDS)!;
    (resource.props as Props).backupRetentionPeriod = 3;
    const reports: string[] = [];
    const args = (tier: Tier) => ({ ...resource, getConfig: () => ({ tier }) });
    policy.validateResource(args("production"), (message) => reports.push(message));
    assert.deepEqual(reports, ["backups kept 3 days, fewer than 7"]);
    reports.length = 0;
    policy.validateResource(args("staging"), (message) => reports.push(message));
    assert.deepEqual(reports, [], "staging needs 1 day only");
  });

  it("reports stack findings against the resource's URN", async () => {
    const rule = RULES.find((r) => r.name === "k8s-production-replicas")!;
    const policy = toPolicy(rule) as unknown as {
      validateStack: (args: unknown, report: (m: string, urn?: string) => void) => void;
    };
    const resources = await golden();
    const hpa = resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")!;
    (hpa.props as Props).spec.minReplicas = 1;
    const reports: Array<[string, string | undefined]> = [];
    policy.validateStack({ resources, getConfig: () => ({ tier: "production" }) }, (message, urn) =>
      reports.push([message, urn]),
    );
    assert.equal(reports.length, 1);
    assert.match(reports[0][1]!, /Deployment::app-/);
  });
});
