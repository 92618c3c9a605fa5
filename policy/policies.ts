/** Adapts Slipway rules to @pulumi/policy policies. */
import {
  type Policy,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { judgeable, type PolicyResource, type Rule, type StackName } from "./rule";

const configSchema = {
  properties: { stack: { type: "string" as const, enum: ["staging", "production"] } },
};

function stackOf(args: ResourceValidationArgs | StackValidationArgs): StackName {
  return args.getConfig<{ stack?: StackName }>().stack ?? "production";
}

function view(args: {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  opts: PolicyResource["opts"];
}): PolicyResource {
  return { type: args.type, name: args.name, urn: args.urn, props: args.props, opts: args.opts };
}

/** A stack resource with what only stack policies get: dependencies, by URN. */
function stackView(r: StackValidationArgs["resources"][number]): PolicyResource {
  return {
    ...view(r),
    dependencies: r.dependencies.map((d) => d.urn),
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies).map(([key, deps]) => [key, deps.map((d) => d.urn)]),
    ),
    provider: r.provider?.urn,
  };
}

/**
 * The resource types some resource policy of the pack reads. Every other resource the
 * pack's resource policies return from at once, before reading a property ({@link toPolicy}),
 * so `Analyze` of it reports nothing: the offline plan leaves it out of `Analyze`
 * (ops/plan/policy.ts). Stack policies still see every resource.
 */
export function typesReadByResourcePolicies(rules: readonly Rule[]): ReadonlySet<string> {
  return new Set(rules.flatMap((rule) => (rule.scope === "resource" ? rule.types : [])));
}

/** The @pulumi/policy form of a rule: same check, the config decides level and stack. */
export function toPolicy(rule: Rule): Policy {
  const common = {
    name: rule.name,
    description: `${rule.id}: ${rule.description}`,
    enforcementLevel: rule.levels.production,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    configSchema,
  };
  if (rule.scope === "resource") {
    const policy: ResourceValidationPolicy = {
      ...common,
      validateResource: (args, reportViolation) => {
        if (!rule.types.includes(args.type)) return;
        for (const message of rule.check(view(args), stackOf(args))) reportViolation(message);
      },
    };
    return policy;
  }
  const policy: StackValidationPolicy = {
    ...common,
    validateStack: (args, reportViolation) => {
      const resources = judgeable(args.resources.map(stackView));
      for (const [urn, message] of rule.check(resources, stackOf(args))) reportViolation(message, urn);
    },
  };
  return policy;
}
