/**
 * What differs between two records: resources only in one, and input paths whose values
 * differ. Resources are matched by their URN without the stack name, so two stacks of
 * the same program compare resource by resource.
 */
import { identity, type ProgramRecord, type RecordedResource } from "../../harness/record";

/** One changed input. */
export interface ChangedPath {
  /** Dotted path, e.g. `vpcConfig.publicAccessCidrs[0]`. */
  readonly path: string;
  /** Value on the left (undefined when absent). */
  readonly before: unknown;
  /** Value on the right (undefined when absent). */
  readonly after: unknown;
}

/** A resource present on both sides with different inputs or options. */
export interface ChangedResource {
  /** The left-hand resource. */
  readonly before: RecordedResource;
  /** The right-hand resource. */
  readonly after: RecordedResource;
  /** Inputs and options that differ (`options.protect` for options). */
  readonly paths: ChangedPath[];
}

/** The difference of two records. */
export interface RecordDiff {
  /** Only on the right. */
  readonly added: RecordedResource[];
  /** Only on the left. */
  readonly removed: RecordedResource[];
  /** On both, differing. */
  readonly changed: ChangedResource[];
}

/**
 * The key a list's items are identified by, as Kubernetes merges them (env, containers,
 * ports, volumes, volumeMounts, rules... carry a unique `name`; kubectl's strategic merge
 * uses it as the patch merge key), or undefined for lists diffed by position.
 */
function listKey(items: readonly unknown[]): string | undefined {
  const names = items.map((item) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? (item as Record<string, unknown>).name
      : undefined,
  );
  const keyed = names.every((n) => typeof n === "string") && new Set(names).size === names.length;
  return keyed && items.length > 0 ? "name" : undefined;
}

/**
 * Leaves of a value as path -> value. Lists of named objects index by name
 * (`env[name=LOG_LEVEL].value`), so adding one entry at the front is one added path, not
 * every later one changed; other lists index as `[i]`.
 */
export function flatten(value: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      if (node.length === 0) out.set(path, []);
      const key = listKey(node);
      node.forEach((item, i) =>
        walk(item, key ? `${path}[${key}=${String((item as Record<string, unknown>)[key])}]` : `${path}[${i}]`),
      );
    } else if (node !== null && typeof node === "object") {
      const entries = Object.entries(node);
      if (entries.length === 0) out.set(path, {});
      for (const [k, v] of entries) walk(v, path ? `${path}.${k}` : k);
    } else {
      out.set(path, node);
    }
  };
  walk(value, prefix);
  return out;
}

/** Replaces `token` with `<stack>` in every string leaf. */
function generalise(values: Map<string, unknown>, token: string | undefined): Map<string, unknown> {
  if (!token) return values;
  return new Map([...values].map(([k, v]) => [k, typeof v === "string" ? v.split(token).join("<stack>") : v]));
}

/**
 * Paths whose values differ between two resources' inputs and safety options. `tokens`
 * name each side's stack-specific name prefix (`slipway-staging`), compared as equal.
 */
export function changedPaths(
  before: RecordedResource,
  after: RecordedResource,
  tokens: [string?, string?] = [],
): ChangedPath[] {
  const left = generalise(flatten({ ...before.inputs, options: before.options }), tokens[0]);
  const right = generalise(flatten({ ...after.inputs, options: after.options }), tokens[1]);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(left.get(p)) !== JSON.stringify(right.get(p)))
    .map((p) => ({ path: p, before: left.get(p), after: right.get(p) }));
}

/**
 * Compares two records (components and providers included; the stack resource itself,
 * named after its stack, is not). For two different stacks, names that differ only by the
 * `<project>-<stack>` prefix count as equal.
 */
export function diffRecords(before: ProgramRecord, after: ProgramRecord): RecordDiff {
  const keyed = (record: ProgramRecord) =>
    new Map(record.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => [identity(r), r]));
  const left = keyed(before);
  const right = keyed(after);
  const tokens: [string?, string?] =
    before.stack === after.stack ? [] : [`${before.project}-${before.stack}`, `${after.project}-${after.stack}`];
  const changed: ChangedResource[] = [];
  for (const [id, resource] of right) {
    const old = left.get(id);
    if (!old) continue;
    const paths = changedPaths(old, resource, tokens);
    if (paths.length > 0) changed.push({ before: old, after: resource, paths });
  }
  return {
    added: [...right].filter(([id]) => !left.has(id)).map(([, r]) => r),
    removed: [...left].filter(([id]) => !right.has(id)).map(([, r]) => r),
    changed,
  };
}

function show(value: unknown): string {
  return value === undefined ? "(absent)" : JSON.stringify(value);
}

/**
 * The diff as text, with the two sides named. Markers as Pulumi prints them: `+` create,
 * `-` delete, `~` update, `+-` replace (the URNs in `replaced`).
 */
export function renderDiff(
  diff: RecordDiff,
  leftName: string,
  rightName: string,
  replaced: ReadonlySet<string> = new Set(),
  after?: ProgramRecord,
): string {
  const lines: string[] = [];
  const label = (r: RecordedResource) => `${r.name} (${r.type})`;
  lines.push(`Only in ${leftName} (${diff.removed.length}):`, ...diff.removed.map((r) => `  - ${label(r)}`));
  lines.push(`Only in ${rightName} (${diff.added.length}):`, ...diff.added.map((r) => `  + ${label(r)}`));
  lines.push(`Declared by both, with different values (${diff.changed.length}):`);
  for (const change of diff.changed) {
    lines.push(`  ${replaced.has(change.after.urn) ? "+-" : "~"} ${label(change.after)}`);
    for (const p of change.paths) lines.push(`      ${p.path}: ${show(p.before)} -> ${show(p.after)}`);
  }
  // Replaced without a change of their own (the users of a replaced provider, the
  // dependents of a replaced subnet): listed too, so the lines add up to the summary.
  const changed = new Set(diff.changed.map((c) => c.after.urn));
  const cascaded = (after?.resources ?? []).filter((r) => replaced.has(r.urn) && !changed.has(r.urn));
  if (cascaded.length > 0) {
    lines.push(
      `Replaced because of another resource (${cascaded.length}):`,
      ...cascaded.map((r) => `  +- ${label(r)}`),
    );
  }
  return lines.join("\n");
}

/**
 * The summary line of a change, in Pulumi's words: `+ 3 to create, ~ 2 to update,
 * +- 1 to replace, - 0 to delete`. A resource the engine would replace because of another
 * (a provider's users) counts as a replacement even when its own inputs did not change.
 */
export function diffSummary(diff: RecordDiff, replaced: ReadonlySet<string>): string {
  const updated = diff.changed.filter((c) => !replaced.has(c.after.urn)).length;
  return `+ ${diff.added.length} to create, ~ ${updated} to update, +- ${replaced.size} to replace, - ${diff.removed.length} to delete`;
}
