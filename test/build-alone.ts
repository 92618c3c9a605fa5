/**
 * Builds one component alone under Pulumi's mocks and records what it declares: the
 * component tests' `Template.fromStack` (STYLE.md, rule 14). Only the SDK's public
 * surfaces: `pulumi.runtime.setMocks` answers each registration (with the same mock cloud
 * as the whole-program harness, so ids are `<name>-id` and ARNs end in `/<name>`), and a
 * resource transformation given to the component (`transformations`, which its children
 * inherit) sees each resource's options as the component wrote them.
 */
import * as pulumi from "@pulumi/pulumi";
import { createMockCloud } from "../harness/mock-cloud";
import { SECRET_SIG, SIG_KEY } from "../harness/record";

/** One resource the component declared. */
export interface BuiltResource {
  /** Type token, e.g. `aws:ec2/vpc:Vpc`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** True for cloud resources, false for components. */
  readonly custom: boolean;
  /** Logical name of the parent; "" for the component under test. */
  readonly parent: string;
  /** Inputs as the mock cloud received them, every value resolved, secrets in plain text. */
  readonly inputs: Record<string, unknown>;
  /** Dotted paths of the inputs passed as Pulumi secrets (`password`, `stringData.token`). */
  readonly secretInputs: readonly string[];
  /** Pulumi `protect`, inherited from the parent when the resource does not set it. */
  readonly protect: boolean;
  /** Pulumi `retainOnDelete`. */
  readonly retainOnDelete: boolean;
  /** Input paths whose changes Pulumi ignores. */
  readonly ignoreChanges: readonly string[];
  /** Logical names of the resources in its explicit `dependsOn` (and their type, `type::name`). */
  readonly dependsOn: readonly string[];
}

/** What a component built alone declared. */
export interface Built<C> {
  /** The component itself, for its public outputs. */
  readonly component: C;
  /** Every resource, in the order they were constructed. */
  readonly resources: readonly BuiltResource[];
  /** What the component logged with `pulumi.log.warn` (printed with console.warn without an engine). */
  readonly warnings: readonly string[];
  /** Resources of one type. */
  ofType(type: string): BuiltResource[];
  /** The one resource of a type (fails when there is not exactly one). */
  only(type: string): BuiltResource;
  /** The resource of a type with this logical name (fails when there is none). */
  named(type: string, name: string): BuiltResource;
  /** The resource the mock cloud gave this id (`<name>-id`), if any. */
  byId(id: unknown): BuiltResource | undefined;
  /** The resource of a type the mock cloud gave this ARN (ending in `/<name>`), if any. */
  byArn(type: string, arn: unknown): BuiltResource | undefined;
}

/** A mutable record while the build runs. */
interface Pending {
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  inputs?: Record<string, unknown>;
  secretInputs: string[];
  protect?: boolean;
  ownProtect?: boolean;
  parentRecord?: Pending;
  retainOnDelete: boolean;
  ignoreChanges: string[];
  dependsOn: string[];
}

/** How the SDK prints `pulumi.log.warn` when no engine is attached (runtime/log.ts). */
const RUNTIME_WARNING = "warning: [runtime] ";

const keyOf = (type: string, name: string) => `${type}::${name}`;

/** The value of an Output once it resolves (every value is known under these mocks). */
export function promiseOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((value) => resolve(value as T)));
}

/**
 * The inputs in plain form, and the dotted paths of those the SDK sent as secrets (the
 * mock runtime hands them over wrapped in Pulumi's wire form for a secret).
 */
function unwrapSecrets(value: unknown, at: string, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map((item, i) => unwrapSecrets(item, join(at, String(i)), secrets));
  if (value === null || typeof value !== "object" || pulumi.Resource.isInstance(value)) return value;
  const object = value as Record<string, unknown>;
  if (object[SIG_KEY] === SECRET_SIG) {
    secrets.push(at);
    return unwrapSecrets(object.value, at, []);
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, unwrapSecrets(v, join(at, k), secrets)]));
}
const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

/**
 * Builds the component `build` returns, passing it the options it must hand to its
 * constructor, and waits until every resource it declared has registered.
 *
 * @example const { only } = await buildAlone((opts) => new Network("network", args, opts));
 */
export async function buildAlone<C extends pulumi.ComponentResource>(
  build: (opts: pulumi.ComponentResourceOptions) => C,
): Promise<Built<C>> {
  const mocks = createMockCloud();
  const records: Pending[] = [];
  const byKey = new Map<string, Pending>();
  const byResource = new Map<pulumi.Resource, Pending>();

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const record = byKey.get(keyOf(args.type, args.name));
        if (record) record.inputs = unwrapSecrets(args.inputs, "", record.secretInputs) as Record<string, unknown>;
        return mocks.newResource(args);
      },
      call: (args) => mocks.call(args),
    },
    "slipway",
    "test",
    false,
  );

  const record: pulumi.ResourceTransformation = ({ resource, type, name, opts }) => {
    const key = keyOf(type, name);
    if (byKey.has(key)) throw new Error(`buildAlone cannot tell apart two resources ${key}`);
    const parentRecord = opts.parent ? byResource.get(opts.parent) : undefined;
    const pending: Pending = {
      type,
      name,
      custom: pulumi.CustomResource.isInstance(resource),
      parent: parentRecord?.name ?? "",
      parentRecord,
      secretInputs: [],
      ownProtect: opts.protect,
      retainOnDelete: opts.retainOnDelete === true,
      ignoreChanges: [...(opts.ignoreChanges ?? [])],
      dependsOn: [],
    };
    const dependsOn = opts.dependsOn;
    for (const dependency of Array.isArray(dependsOn) ? dependsOn : dependsOn ? [dependsOn] : []) {
      const found = pulumi.Resource.isInstance(dependency) ? byResource.get(dependency) : undefined;
      pending.dependsOn.push(found ? keyOf(found.type, found.name) : "(outside the component)");
    }
    records.push(pending);
    byKey.set(key, pending);
    byResource.set(resource, pending);
    return undefined;
  };

  const warnings: string[] = [];
  /* eslint-disable no-console -- without an engine, the SDK prints pulumi.log.warn through console.warn */
  const printWarning = console.warn;
  console.warn = (...parts: unknown[]) => {
    const text = parts.map(String).join(" ");
    if (text.startsWith(RUNTIME_WARNING)) warnings.push(text.slice(RUNTIME_WARNING.length));
    else printWarning(...parts);
  };
  let component: C;
  try {
    try {
      component = build({ transformations: [record] });
    } catch (error) {
      // What was declared before the throw still registers; let it, so it cannot reach the next build's mocks.
      await settled(records).catch(() => undefined);
      throw error;
    }
    await settled(records);
  } finally {
    console.warn = printWarning;
  }
  /* eslint-enable no-console */
  const resources: BuiltResource[] = records.map((r) => ({
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent,
    inputs: r.inputs ?? {},
    secretInputs: r.secretInputs,
    protect: protectOf(r),
    retainOnDelete: r.retainOnDelete,
    ignoreChanges: r.ignoreChanges,
    dependsOn: r.dependsOn,
  }));
  return builtOf(component, resources, warnings);
}

/** `protect` as the SDK resolves it: the resource's own, else its parent's (resource.ts). */
function protectOf(record: Pending): boolean {
  for (let r: Pending | undefined = record; r; r = r.parentRecord) if (r.ownProtect !== undefined) return r.ownProtect;
  return false;
}

/** Waits until every constructed resource has reached the mock cloud (or says which did not). */
async function settled(records: Pending[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (records.every((r) => r.inputs !== undefined)) {
      // One more turn: a registration may construct further resources (an apply that builds some).
      const count = records.length;
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (count === records.length && records.every((r) => r.inputs !== undefined)) return;
    } else if (Date.now() > deadline) {
      const missing = records.filter((r) => r.inputs === undefined).map((r) => keyOf(r.type, r.name));
      throw new Error(`never registered: ${missing.join(", ")}`);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

function builtOf<C>(component: C, resources: BuiltResource[], warnings: string[]): Built<C> {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    component,
    resources,
    warnings,
    ofType,
    only(type) {
      const found = ofType(type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
      return found[0]!;
    },
    named(type, name) {
      const found = resources.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name}; there are ${ofType(type).map((r) => r.name)}`);
      return found;
    },
    byId: (id) => resources.find((r) => `${r.name}-id` === id),
    byArn: (type, arn) => ofType(type).find((r) => typeof arn === "string" && arn.endsWith(`/${r.name}`)),
  };
}

/** A nested input by dotted path (`vpcConfig.subnetIds`, `routes.0.cidrBlock`). */
export function input(resource: BuiltResource, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource.inputs);
}
