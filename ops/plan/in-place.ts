/**
 * The guard's changes that are no replacement but still lose something: an update the
 * trigger table lists under a type's `inPlace` (a renamed RDS instance, a major upgrade,
 * backups turned off, a volume shrunk), and the deletion of a type that holds no data but
 * takes something with it (`deleted`: a subnet, with its availability zone). The words
 * and sources are data, in policy/replacement-triggers.yaml.
 */
import { valueAt } from "../../lib/chart-contracts";
import { chartContracts } from "../../infra/chart-contracts";
import { binaryBytes } from "../../lib/kubernetes-quantity";
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import type { ChangedResource } from "./diff";
import type { DataLossRisk } from "./replacement";
import type { InPlaceRule, ReplacementTriggers } from "../../policy/replacement-triggers";

/** The `input` of an in-place rule that stands for every volume size of a release's chart contract. */
export const CHART_VOLUME_SIZES = "chart volume sizes";

/** What a resource holds, as the guard knows it (the table's holds, or a chart contract's). */
type Holdings = (resource: RecordedResource) => { loses: string; avoid: string } | undefined;

/** True when a rule's condition holds between the two values of its input. */
const CONDITIONS: Readonly<Record<InPlaceRule["when"], (before: unknown, after: unknown) => boolean>> = {
  changed: (before, after) => JSON.stringify(before) !== JSON.stringify(after),
  // PostgreSQL numbers its major versions by the first number since 10 (postgresql.org, "Versioning Policy").
  "major-version-change": (before, after) =>
    before !== undefined && after !== undefined && String(before).split(".")[0] !== String(after).split(".")[0],
  "set-to-zero": (before, after) => Number(before) > 0 && Number(after) === 0,
  shrinks: (before, after) => {
    const [was, is] = [binaryBytes(String(before)), binaryBytes(String(after))];
    return was !== undefined && is !== undefined && is < was;
  },
};

/** The input paths a rule reads on a resource: its own, or each volume size of the release's chart. */
function rulePaths(rule: InPlaceRule, resource: RecordedResource): Array<{ path: string; fallback?: unknown }> {
  if (rule.input !== CHART_VOLUME_SIZES) return [{ path: rule.input }];
  const volumes = chartContracts()[String(resource.inputs.name)]?.billable.volumes ?? [];
  return volumes.map((volume) => ({ path: `values.${volume.size.path}`, fallback: volume.size.default }));
}

/** True when the engine ignores changes at `path` (`ignoreChanges`), so nothing happens there. */
function ignored(resource: RecordedResource, path: string): boolean {
  return resource.options.ignoreChanges.some((p) => path === p || path.startsWith(`${p}.`));
}

const show = (value: unknown) => (value === undefined ? "(absent)" : JSON.stringify(value));

/** Every in-place rule of the changed resource's type that its change meets. */
export function inPlaceRisks(
  change: ChangedResource,
  triggers: Record<string, ReplacementTriggers>,
  holdings: Holdings,
): DataLossRisk[] {
  const { before, after } = change;
  return (triggers[after.type]?.inPlace ?? []).flatMap((rule) =>
    rulePaths(rule, before)
      .filter(({ path }) => !ignored(after, path))
      .map(({ path, fallback }) => ({
        path,
        was: valueAt(before.inputs, path) ?? fallback,
        is: valueAt(after.inputs, path) ?? fallback,
      }))
      .filter(({ was, is }) => CONDITIONS[rule.when](was, is))
      .map(({ path, was, is }): DataLossRisk => ({
        urn: after.urn,
        type: after.type,
        reason: `${rule.effect} (${path}: ${show(was)} -> ${show(is)})`,
        loses: rule.loses ?? holdings(before)?.loses ?? "what the resource holds",
        avoid: rule.avoid,
      })),
  );
}

/** Resources by name and the last part of their type (a subnet and its route table association share a name). */
const names = (resources: readonly RecordedResource[]) =>
  resources.map((r) => `${r.name} (${r.type.split(":").pop()})`).join(", ");

/**
 * The deletion of a resource whose type's `deleted` rule says what goes with it, naming
 * what is deleted along with it and what stood on it and stays (moved off it). When the
 * rule has a `whileOthersRemain` variant and another resource of the type with the same
 * value of its `by` input is still declared, that variant is what is said.
 */
export function deletionRisks(
  removed: readonly RecordedResource[],
  triggers: Record<string, ReplacementTriggers>,
  records: { readonly before: ProgramRecord; readonly after: ProgramRecord } | undefined,
): DataLossRisk[] {
  const gone = new Set(removed.map((r) => r.urn));
  return removed.flatMap((resource) => {
    const deleted = triggers[resource.type]?.deleted;
    if (!deleted) return [];
    const remaining = remainingAlike(resource, deleted.whileOthersRemain?.by, records?.after);
    const rule = remaining.length > 0 && deleted.whileOthersRemain ? deleted.whileOthersRemain : deleted;
    const fill = (text: string) =>
      text
        .replace("{remaining}", names(remaining))
        .replace(/\{(\w+)\}/g, (_, key: string) => String(resource.inputs[key] ?? `(${key})`));
    const standing = (records?.before.resources ?? []).filter((r) => r.dependencies.includes(resource.urn));
    const withIt = standing.filter((r) => gone.has(r.urn));
    const movedOff = standing.filter((r) => !gone.has(r.urn));
    const parts = [
      withIt.length > 0 ? `deleted with it: ${names(withIt)}` : undefined,
      movedOff.length > 0 ? `moved off it: ${names(movedOff)}` : undefined,
    ].filter((part) => part !== undefined);
    return [
      {
        urn: resource.urn,
        type: resource.type,
        reason: `deleted: ${fill(rule.effect)}${parts.length > 0 ? ` (${parts.join("; ")})` : ""}`,
        loses: fill(rule.loses),
        avoid: fill(rule.avoid),
      },
    ];
  });
}

/** The resources of `resource`'s type still declared with the same value of input `by`. */
function remainingAlike(
  resource: RecordedResource,
  by: string | undefined,
  after: ProgramRecord | undefined,
): RecordedResource[] {
  if (by === undefined || resource.inputs[by] === undefined) return [];
  return (after?.resources ?? []).filter((r) => r.type === resource.type && r.inputs[by] === resource.inputs[by]);
}
