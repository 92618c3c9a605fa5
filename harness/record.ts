/**
 * The record of one program run: every resource the program declared, with what Pulumi
 * would send to the engine. This is what the tests assert on and what the plan prints.
 */

/** Resource options that matter for safety reviews. */
export interface RecordedOptions {
  /** `protect`: Pulumi refuses to delete (or replace) the resource. */
  readonly protect: boolean;
  /** `retainOnDelete`: Pulumi drops it from state without deleting it in the cloud. */
  readonly retainOnDelete: boolean;
  /** `deleteBeforeReplace`. */
  readonly deleteBeforeReplace: boolean;
  /** Input paths whose changes Pulumi ignores. */
  readonly ignoreChanges: string[];
}

/** One declared resource. */
export interface RecordedResource {
  /** Full URN, as the engine would compute it. */
  readonly urn: string;
  /** Type token, e.g. `aws:eks/cluster:Cluster` or `slipway:aws:Cluster`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** True for cloud resources, false for components. */
  readonly custom: boolean;
  /** URN of the parent ("" for the stack itself). */
  readonly parent: string;
  /** URN of the explicit provider, or "" for a default provider. */
  readonly provider: string;
  /** URNs this resource waits for (explicit `dependsOn` and inputs from other resources). */
  readonly dependencies: string[];
  /** For each input that came from other resources' outputs, those resources' URNs. */
  readonly propertyDependencies: Record<string, string[]>;
  /** Inputs, with secret values replaced by `[secret]` and resource references by their URN. */
  readonly inputs: Record<string, unknown>;
  /** Safety-relevant resource options. */
  readonly options: RecordedOptions;
}

/** Everything one run of the program declared. */
export interface ProgramRecord {
  /** Project name. */
  readonly project: string;
  /** Stack name. */
  readonly stack: string;
  /** The stack's `slipway:tier` (which policy levels apply), as its stack file sets it. */
  readonly tier: string;
  /** True when recorded as a preview of a new stack (IDs and computed outputs unknown). */
  readonly preview: boolean;
  /** Resources in registration order. */
  readonly resources: RecordedResource[];
  /** Stack outputs, secrets masked. */
  readonly outputs: Record<string, unknown>;
  /** Each component's `registerOutputs`, by URN, secrets masked. */
  readonly componentOutputs: Record<string, Record<string, unknown>>;
  /** What the program logged with `pulumi.log.warn`, in order. */
  readonly warnings: string[];
}

/** Text that stands in for every secret value in a record. */
export const SECRET_MASK = "[secret]";

/** Key that marks a special value in Pulumi's wire format. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature of a secret value in Pulumi's wire format. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/**
 * The wire form of a value not known until the resource exists (`UnknownStringValue` in
 * the Pulumi SDKs, sdk/nodejs/runtime/rpc.ts, and the sentinel @pulumi/policy's proxy.ts
 * recognises as an unknown string).
 */
export const WIRE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Text that stands in for an unknown value in a record. */
export const UNKNOWN_MARK = "[unknown]";

/**
 * Turns a value in Pulumi's wire format into plain data: secrets become `[secret]`,
 * resource references their URN, unknowns `[unknown]`.
 */
export function fromWire(value: unknown): unknown {
  if (value === WIRE_UNKNOWN) return UNKNOWN_MARK;
  if (Array.isArray(value)) return value.map(fromWire);
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (object[SIG_KEY] === SECRET_SIG) return SECRET_MASK;
    if (object[SIG_KEY] === RESOURCE_SIG) return { urn: object.urn };
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fromWire(v)]));
  }
  return value;
}

/** Resources of one type. */
export function ofType(record: ProgramRecord, type: string): RecordedResource[] {
  return record.resources.filter((r) => r.type === type);
}

/** The resource with this URN, or an error naming it. */
export function byUrn(record: ProgramRecord, urn: string): RecordedResource {
  const found = record.resources.find((r) => r.urn === urn);
  if (!found) throw new Error(`no resource ${urn} in the record of ${record.stack}`);
  return found;
}

/** Every ancestor URN of a resource, nearest first. */
export function ancestors(record: ProgramRecord, resource: RecordedResource): string[] {
  const chain: string[] = [];
  let parent = resource.parent;
  while (parent) {
    chain.push(parent);
    parent = record.resources.find((r) => r.urn === parent)?.parent ?? "";
  }
  return chain;
}

/** URNs a resource waits for, directly or through its dependencies (transitively). */
export function transitiveDependencies(record: ProgramRecord, resource: RecordedResource): Set<string> {
  const seen = new Set<string>();
  const queue = [...resource.dependencies];
  while (queue.length > 0) {
    const urn = queue.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    const next = record.resources.find((r) => r.urn === urn);
    if (next) queue.push(...next.dependencies);
  }
  return seen;
}

/** A URN without its stack, the identity of a resource across stacks. */
export function identity(resource: RecordedResource): string {
  return resource.urn.split("::").slice(1).join("::");
}
