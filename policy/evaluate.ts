/**
 * Runs the rules over a set of resources, for the offline plan and the tests. The
 * Pulumi policy pack (policy/index.ts) calls the same `check` functions.
 */
import { judgeable, type Level, type PolicyResource, type Rule } from "./rule";
import type { Tier } from "../lib/tiers";
import { RULES } from "./rules/index";

/** One finding. */
export interface Finding {
  /** Rule name. */
  readonly rule: string;
  /** Short id, e.g. `RDS-01`. */
  readonly id: string;
  /** Enforcement in this stack. */
  readonly level: Exclude<Level, "disabled">;
  /** URN of the resource it is about. */
  readonly urn: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly remediation: string;
}

/** Evaluates `rules` (default: all) over `resources` at `tier`'s levels; disabled rules are skipped. */
export function evaluate(resources: readonly PolicyResource[], tier: Tier, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const level = rule.levels[tier];
    if (level === "disabled") continue;
    const base = { rule: rule.name, id: rule.id, level, remediation: rule.remediation };
    if (rule.scope === "stack") {
      for (const [urn, message] of rule.check(judgeable(resources), tier)) findings.push({ ...base, urn, message });
      continue;
    }
    for (const resource of resources) {
      if (!rule.types.includes(resource.type)) continue;
      for (const message of rule.check(resource, tier)) findings.push({ ...base, urn: resource.urn, message });
    }
  }
  return findings;
}

/** The policy levels a stack's `slipway:tier` selects (its policy/config/<tier>.json). */
export function levelsOfTier(tier: string): Tier {
  return tier === "production" ? "production" : "staging";
}

/** The Pulumi policy-pack config for a tier: each rule's enforcement level and the tier it checks for. */
export function policyPackConfig(tier: Tier): Record<string, { enforcementLevel: Level; tier: Tier }> {
  return Object.fromEntries(RULES.map((rule) => [rule.name, { enforcementLevel: rule.levels[tier], tier }]));
}
