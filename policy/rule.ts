/**
 * A Slipway policy rule: a pure check over one resource's properties and options (or
 * over the whole stack), with its severity, its fix, the scanner rules it mirrors and how
 * strictly each stack enforces it. The same functions run inside `pulumi preview
 * --policy-pack policy` (policy/index.ts) and inside the offline plan (policy/evaluate.ts).
 */

/** How a stack enforces a rule. */
export type Level = "mandatory" | "advisory" | "disabled";
/** Stacks the enforcement matrix covers. */
export type StackName = "staging" | "production";
/** Severity, as in @pulumi/policy. */
export type Severity = "low" | "medium" | "high" | "critical";

/** What a rule sees of a resource. */
export interface PolicyResource {
  /** Type token, e.g. `aws:rds/instance:Instance`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN. */
  readonly urn: string;
  /** Input properties. */
  readonly props: Record<string, unknown>;
  /** Resource options the policy SDK exposes. */
  readonly opts: {
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace?: boolean;
  };
}

interface RuleBase {
  /** Policy name, kebab-case, unique. */
  readonly name: string;
  /** Row of shared/POLICY-CHECKS.md, e.g. `RDS-01`. */
  readonly id: string;
  /** What it requires. */
  readonly description: string;
  /** How bad a violation is. */
  readonly severity: Severity;
  /** How to fix a violation in Slipway's config or code. */
  readonly remediation: string;
  /** The scanner rules it mirrors (checkov, trivy, KICS, kube-score...). */
  readonly sources: readonly string[];
  /** Enforcement per stack. */
  readonly levels: Readonly<Record<StackName, Level>>;
}

/** A rule over single resources of some types. */
export interface ResourceRule extends RuleBase {
  readonly scope: "resource";
  /** Type tokens it applies to. */
  readonly types: readonly string[];
  /** Violation messages; empty when compliant. `stack` decides thresholds that differ. */
  check(resource: PolicyResource, stack: StackName): string[];
}

/** A rule over the whole stack (relations between resources). */
export interface StackRule extends RuleBase {
  readonly scope: "stack";
  /** Violations as [resource URN, message]; empty when compliant. */
  check(resources: readonly PolicyResource[], stack: StackName): Array<[string, string]>;
}

/** Any rule. */
export type Rule = ResourceRule | StackRule;

/** Reads a nested property by dotted path. */
export function prop(resource: PolicyResource, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource.props);
}

/** One message when `ok` is false. */
export function unless(ok: boolean, message: string): string[] {
  return ok ? [] : [message];
}

/** Whole-internet CIDRs. */
export const WORLD = ["0.0.0.0/0", "::/0"];

/** Stateful types whose loss loses data (protect, replacement guard). */
export const STATEFUL_TYPES = [
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:eks/cluster:Cluster",
  "aws:kms/key:Key",
] as const;
