/**
 * A Slipway policy rule: a pure check over one resource's properties and options (or
 * over the whole stack), with its severity, its fix, the scanner rules it mirrors and how
 * strictly each tier enforces it. The same functions run inside `pulumi preview
 * --policy-pack policy` (policy/index.ts) and inside the offline plan, which serves the
 * same pack through @pulumi/policy (harness/policy-pack.ts).
 *
 * What a rule may touch in a preview (read in @pulumi/policy 1.21.0, proxy.js and
 * server.js): the engine sends inputs that are not known yet (IDs, ARNs, generated
 * passwords of resources not created) as unknowns, and the pack wraps the properties in
 * `unknownCheckingProxy`, whose `get` throws `UnknownValueError` on an unknown. The policy
 * runtime turns that error into an advisory "can't run policy during preview" note, so a
 * rule that reads an unknown silently stops checking anything. Safe to use:
 * - `prop()` below, which turns that error into the {@link UNKNOWN} marker, so a rule
 *   decides what an unknown means (an input wired from another resource is *set*);
 * - the resource's type, name, URN and options (protect, ignoreChanges), always known;
 * - in stack rules, `dependencies` and `propertyDependencies` (which resources each input
 *   came from), which the engine sends with every resource (AnalyzerResource in
 *   pulumi's analyzer.proto), known in a preview too.
 */
import { UnknownValueError } from "@pulumi/policy";
import type { Tier } from "../lib/tiers";

/** How a tier enforces a rule. */
export type Level = "mandatory" | "advisory" | "disabled";
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
  /** Stack rules only: URNs the resource depends on. @default - not given to resource rules */
  readonly dependencies?: readonly string[];
  /** Stack rules only: for each input, the URNs of the resources it came from. @default - not given to resource rules */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** Stack rules only: URN of the resource's provider. @default - not given to resource rules */
  readonly provider?: string;
}

interface RuleBase {
  /** Policy name, kebab-case, unique. */
  readonly name: string;
  /** Short id, e.g. `RDS-01`, shared with the scanners' rules it mirrors. */
  readonly id: string;
  /** What it requires. */
  readonly description: string;
  /** How bad a violation is. */
  readonly severity: Severity;
  /** How to fix a violation in Slipway's config or code. */
  readonly remediation: string;
  /** The scanner rules it mirrors (checkov, trivy, KICS, kube-score...). */
  readonly sources: readonly string[];
  /** Enforcement per tier. */
  readonly levels: Readonly<Record<Tier, Level>>;
}

/** A rule over single resources of some types. */
export interface ResourceRule extends RuleBase {
  readonly scope: "resource";
  /** Type tokens it applies to. */
  readonly types: readonly string[];
  /** Violation messages; empty when compliant. `tier` decides thresholds that differ. */
  check(resource: PolicyResource, tier: Tier): string[];
}

/** A rule over the whole stack (relations between resources). */
export interface StackRule extends RuleBase {
  readonly scope: "stack";
  /** Violations as [resource URN, message]; empty when compliant. */
  check(resources: readonly PolicyResource[], tier: Tier): Array<[string, string]>;
}

/** Any rule. */
export type Rule = ResourceRule | StackRule;

/** A value the engine does not know yet (it comes from a resource not yet created). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
/** What {@link prop} returns. */
export type PropValue = unknown;

/** The text a record (harness/record.ts) holds where a preview has an unknown. */
const RECORDED_UNKNOWN = "[unknown]";

/**
 * Reads a nested property by dotted path: `undefined` when absent, {@link UNKNOWN} when
 * the value (or an object on the way to it) is not known yet. Never throws on unknowns.
 */
export function prop(resource: PolicyResource, path: string): PropValue {
  return path.split(".").reduce<PropValue>(field, resource.props);
}

/** One key of a value read with {@link prop} (objects and arrays), with the same unknown handling. */
export function field(value: PropValue, key: string): PropValue {
  if (value === UNKNOWN) return UNKNOWN;
  if (value === null || typeof value !== "object") return undefined;
  let next: unknown;
  try {
    next = (value as Record<string, unknown>)[key];
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
  return next === RECORDED_UNKNOWN ? UNKNOWN : next;
}

/** True when an input is given: a known, non-empty value, or a value to be computed. */
export function isSet(value: PropValue): boolean {
  return value === UNKNOWN || (value !== undefined && value !== null && value !== "" && value !== false);
}

/** A list input: `[]` when absent, {@link UNKNOWN} when not known yet. */
export function listProp(resource: PolicyResource, path: string): PropValue[] | typeof UNKNOWN {
  const value = prop(resource, path);
  if (value === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(value)) return [];
  // Element by element: spreading a proxied array would read an unknown element and throw.
  return Array.from({ length: value.length }, (_, i) => field(value, String(i)));
}

/**
 * A plain copy of a value read with {@link prop}, safe to walk with ordinary code: every
 * unknown inside becomes the text `[unknown]`.
 */
export function plain(value: PropValue): unknown {
  if (value === UNKNOWN) return RECORDED_UNKNOWN;
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => plain(field(value, String(i))));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).map((key) => [key, plain(field(value, key))]));
  }
  return value;
}

/** The type token a URN names (the last of its qualified type chain). */
export function typeOfUrn(urn: string): string {
  return (urn.split("::")[2] ?? "").split("$").pop() ?? "";
}

/** URNs an input of a stack-rule resource came from (`[]` when known or not tracked). */
export function sourcesOf(resource: PolicyResource, input: string): readonly string[] {
  return resource.propertyDependencies?.[input] ?? [];
}

/** One message when `ok` is false. */
export function unless(ok: boolean, message: string): string[] {
  return ok ? [] : [message];
}

/** Whole-internet CIDRs. */
export const WORLD = ["0.0.0.0/0", "::/0"];

/**
 * The resources a stack rule can judge: those with properties. In a preview, a resource whose
 * provider's configuration is not known yet (the Kubernetes provider of a cluster the same
 * update creates, so every Kubernetes object of a new stack) comes to the analyzer with no
 * properties at all: the engine does not ask the provider and "hands back an empty property
 * map" (pulumi/pulumi 3.248.0, sdk/go/common/resource/plugin/provider_plugin.go, Create).
 * Judged, such a resource fails every rule that looks for what it declares; skipped, it is
 * judged by the next preview or by the update, when its provider is configured.
 */
export function judgeable(resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => Object.keys(r.props).length > 0);
}
